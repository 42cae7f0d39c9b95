import { loadavg } from 'node:os'
import { generateSigningKeyPair } from '@dak/protocol'
import { startEmbeddedNode, startLocalCluster, type LocalCluster } from '../../../bootstrap/src/cluster/local-cluster.js'
import { postgresBinDir } from '../../../bootstrap/src/cluster/local-engine.js'
import { conversationTopic, seal } from '../../department/envelopes.js'
import { enrolClient, waitLinked, type Client } from '../../scaled/workload.js'
import { perSecond, pool, ratio, sig, timed } from '../lib/stats.js'
import type { BenchContext, BenchResult, Benchmark, Figure } from '../lib/types.js'

/**
 * Scaled mode (docs/scaled.md): store ingest and catch-up through 1 and
 * through 3 department-node processes sharing one engine (a PostgreSQL
 * primary with two synchronous replicas, as `npm run cluster` runs it),
 * against the embedded default (one process, LevelDB), in one run.
 *
 * Everything is real and end to end: devices (libp2p nodes in this process)
 * deposit sealed envelopes over TCP, one after another each, on their own
 * topics, all devices at once; readers then page through every topic written
 * (`query`, as a device catching up does). With 1 process every device is
 * linked to it; with 3, device k to process k mod 3. On a machine with few
 * cores the processes, the engine and the devices share them: the figure
 * says what a process adds here, not on separate machines.
 */

interface Sizes { devices: number, perDevice: number, readers: number }

function sizes (quick: boolean): Sizes {
  // at most 9 enrolments per process: each limits enrolments per address (capacity 10)
  return quick ? { devices: 3, perDevice: 10, readers: 3 } : { devices: 6, perDevice: 80, readers: 3 }
}

type Edge = Pick<LocalCluster, 'nodes'>

interface Phase { ingest: number, catchUp: number, envelopes: number }

async function phase (edge: Edge, enrolled: Array<{ enrol: (linkTo?: number[]) => Promise<Client> }>, readers: Array<{ enrol: (linkTo?: number[]) => Promise<Client> }>, processes: number, s: Sizes): Promise<Phase> {
  const devices = await Promise.all(enrolled.map(async (e, k) => await e.enrol([k % processes])))
  const readerClients: Client[] = []
  try {
    for (const d of devices) await waitLinked(d)
    const topics = devices.map(() => conversationTopic())
    const envelopes = devices.map((d, k) => Array.from({ length: s.perDevice }, (_, n) => seal(d.keys, topics[k]!, n + 1)))
    const ingest = await timed(async () => {
      await pool(devices.length, devices.length, async (k) => {
        for (const envelope of envelopes[k]!) await devices[k]!.client.deposit(envelope)
      })
    })
    for (const [k, r] of readers.entries()) readerClients.push(await r.enrol([k % processes]))
    for (const r of readerClients) { await waitLinked(r); await r.client.registerTopics(topics) }
    let read = 0
    const catchUp = await timed(async () => {
      await pool(readerClients.length, readerClients.length, async (i) => {
        for (const topic of topics) {
          let after = 0
          for (let page = 0; page < 1000; page++) {
            const answer = await readerClients[i]!.client.query(topic, after, 0)
            read += answer.entries.length
            after = answer.nextAfterSequence
            if (!answer.hasMore) break
          }
        }
      })
    })
    const total = devices.length * s.perDevice
    if (read !== total * readerClients.length) throw new Error(`catch-up read ${read} envelopes, expected ${total * readerClients.length}`)
    return { ingest: perSecond(total, ingest.ms), catchUp: perSecond(read, catchUp.ms), envelopes: total }
  } finally {
    for (const c of [...devices, ...readerClients]) await c.stop()
  }
}

function meanPhase (phases: Phase[]): Phase {
  const mean = (f: (p: Phase) => number): number => phases.reduce((sum, p) => sum + f(p), 0) / phases.length
  return { ingest: mean(p => p.ingest), catchUp: mean(p => p.catchUp), envelopes: mean(p => p.envelopes) }
}

async function enrolAll (edge: Edge, processes: number, s: Sizes, tag: string): Promise<{ devices: Array<{ enrol: (linkTo?: number[]) => Promise<Client> }>, readers: Array<{ enrol: (linkTo?: number[]) => Promise<Client> }> }> {
  const devices = []
  for (let k = 0; k < s.devices; k++) devices.push(await enrolClient(edge, `${tag}.d${k}`, [0], generateSigningKeyPair(), k % processes))
  const readers = []
  for (let k = 0; k < s.readers; k++) readers.push(await enrolClient(edge, `${tag}.r${k}`, [0], generateSigningKeyPair(), k % processes))
  return { devices, readers }
}

async function run (bench: BenchContext): Promise<BenchResult> {
  if (postgresBinDir() == null) throw new Error('PostgreSQL is not installed (test/setup/system-deps.sh installs it)')
  const s = sizes(bench.quick)
  const loadAtStart = loadavg()

  bench.progress('embedded default: one department-node process on LevelDB')
  const embedded = await startEmbeddedNode({ department: 'bench.scaled' })
  let alone: Phase
  try {
    const edge: Edge = { nodes: [embedded.node] }
    const { devices, readers } = await enrolAll(edge, 1, s, 'emb')
    await phase(edge, devices, readers, 1, { ...s, perDevice: Math.max(5, Math.floor(s.perDevice / 4)) })
    alone = meanPhase([await phase(edge, devices, readers, 1, s), await phase(edge, devices, readers, 1, s)])
  } finally {
    await embedded.stop()
  }

  bench.progress('shared engine: PostgreSQL primary + 2 synchronous replicas, 3 department-node processes')
  const cluster = await startLocalCluster({ nodes: 3, engine: { replicas: 2, synchronous: true }, department: 'bench.scaled' })
  let one: Phase
  let three: Phase
  try {
    const { devices, readers } = await enrolAll(cluster, 3, s, 'eng')
    // every process warmed (JIT, engine connections) before anything is timed, then 1, 3, 3, 1: what the
    // machine's other load does to one arrangement it does about as much to the other
    bench.progress('warm-up through all 3 processes (not timed)')
    await phase(cluster, devices, readers, 3, { ...s, perDevice: Math.max(5, Math.floor(s.perDevice / 4)) })
    const runs: Record<1 | 3, Phase[]> = { 1: [], 3: [] }
    for (const processes of [1, 3, 3, 1] as const) {
      bench.progress(`through ${processes} process${processes === 1 ? '' : 'es'}: ${s.devices} devices × ${s.perDevice} deposits, ${s.readers} readers`)
      runs[processes].push(await phase(cluster, devices, readers, processes, s))
    }
    one = meanPhase(runs[1])
    three = meanPhase(runs[3])
  } finally {
    await cluster.stop()
  }

  const addedIngest = (three.ingest - one.ingest) / 2
  const addedCatchUp = (three.catchUp - one.catchUp) / 2
  const figures: Figure[] = [
    {
      key: 'scaled.ingest.one-process',
      label: `ingest through 1 process on the shared engine (${s.devices} devices depositing at once)`,
      value: sig(one.ingest),
      unit: 'env/s',
      baseline: { label: 'embedded default (1 process, LevelDB)', value: sig(alone.ingest), unit: 'env/s' },
      ratio: ratio(one.ingest, alone.ingest)
    },
    {
      key: 'scaled.ingest.three-processes',
      label: 'ingest through 3 processes on the shared engine',
      value: sig(three.ingest),
      unit: 'env/s',
      baseline: { label: 'through 1 process', value: sig(one.ingest), unit: 'env/s' },
      ratio: ratio(three.ingest, one.ingest),
      note: `each process beyond the first adds ${sig(addedIngest)} env/s (${sig(ratio(addedIngest, one.ingest) * 100, 2)} % of one)`
    },
    {
      key: 'scaled.catch-up.one-process',
      label: `catch-up through 1 process on the shared engine (${s.readers} readers, every topic)`,
      value: sig(one.catchUp),
      unit: 'env/s',
      baseline: { label: 'embedded default (1 process, LevelDB)', value: sig(alone.catchUp), unit: 'env/s' },
      ratio: ratio(one.catchUp, alone.catchUp)
    },
    {
      key: 'scaled.catch-up.three-processes',
      label: 'catch-up through 3 processes on the shared engine',
      value: sig(three.catchUp),
      unit: 'env/s',
      baseline: { label: 'through 1 process', value: sig(one.catchUp), unit: 'env/s' },
      ratio: ratio(three.catchUp, one.catchUp),
      note: `each process beyond the first adds ${sig(addedCatchUp)} env/s (${sig(ratio(addedCatchUp, one.catchUp) * 100, 2)} % of one)`
    }
  ]
  return { figures, details: { sizes: s, loadAverage: { atStart: loadAtStart, atEnd: loadavg() }, note: 'each figure is the mean of two timed rounds after an untimed warm-up; shared-engine rounds in the order 1, 3, 3, 1 processes', perSecond: { embedded: alone, oneProcess: one, threeProcesses: three }, addedPerProcess: { ingest: addedIngest, catchUp: addedCatchUp } } }
}

export const scaled: Benchmark = {
  id: 'scaled',
  title: 'Scaled department: 1 vs 3 processes on the shared engine, vs embedded',
  budgetSeconds: { full: 300, quick: 120 },
  run
}
