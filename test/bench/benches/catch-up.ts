import { join } from 'node:path'
import { ClassicLevel } from 'classic-level'
import { decodeAppContent, openEnvelope, processMessage, restoreState, serialiseState, signingKeyPairFromSeed, toHex, type OpenedEnvelope } from '@dak/protocol'
import { EnvelopeStore, type Db } from '../../../bootstrap/src/store/index.js'
import { numberKey } from '../../../bootstrap/src/store/level.js'
import { envelopeKey, openStoreTables, timeKey, topicKey } from '../../../bootstrap/src/store/tables.js'
import { at, buildGroup, ctx, NOW } from '../lib/mls.js'
import { sendText, topicFor } from '../lib/pipeline.js'
import { fillerBytes, perSecond, ratio, sig } from '../lib/stats.js'
import { engineHooks } from '../engine/hooks.js'
import { engineCatchUp, pendingFigure } from '../engine/measure.js'
import type { BenchContext, BenchResult, Benchmark, Figure } from '../lib/types.js'

/**
 * Figure 3: catch-up after being offline. A department node's EnvelopeStore
 * (bootstrap/src/store, classic-level) holds 10,000 (--quick: 300) text
 * messages of a 10-member conversation from 9 senders; the 10th member pages
 * through them as node/src/messenger/catch-up.ts does (query pages of 128),
 * and for each envelope: dedupe lookup, openEnvelope (signature), MLS
 * processMessage, AppContent decode, and one classic-level batch (message
 * record + seen id; the cursor after each page). ÷ a raw classic-level
 * iterator over the same stored records.
 *
 * A second variant also writes the serialised MLS group state in each batch,
 * as node/src/messenger/incoming.ts does today (persist the state with what it
 * produced), over the first 1,000 (--quick: 100) envelopes.
 */

const MEMBERS = 10
/** Envelopes for the engine figure (full run): each one is really sent and deposited first. */
const ENGINE_ENVELOPES = 2_000
/** node/src/messenger/catch-up.ts PAGE */
const PAGE = 128
const DAY_MS = 86_400_000

interface Stages { query: number, dedupe: number, open: number, mls: number, decode: number, state: number, write: number }

function emptyStages (): Stages {
  return { query: 0, dedupe: 0, open: 0, mls: 0, decode: 0, state: 0, write: 0 }
}

/**
 * Write the envelopes into the store exactly as EnvelopeStore.deposit lays them
 * out (tables.ts), without its per-envelope signature check, receipt and fsync:
 * this is setup, and deposit's own speed is the ingest benchmark's subject.
 * The store's query() then serves them like any deposited envelope (checked below).
 */
async function preload (db: ClassicLevel<string, string>, envelopes: OpenedEnvelope[], storedAt: number): Promise<void> {
  const tables = openStoreTables(db as unknown as Db)
  const first = envelopes[0]
  if (first == null) return
  const topic = topicKey(first.topic)
  let bytes = 0
  const quota = new Map<string, { envelopes: number, bytes: number }>()
  for (let start = 0; start < envelopes.length; start += 500) {
    const ops: Array<{ type: 'put', sublevel: unknown, key: string, value: unknown }> = []
    envelopes.slice(start, start + 500).forEach((envelope, j) => {
      const sequence = start + j + 1
      const id = toHex(envelope.id)
      bytes += envelope.bytes.length
      const sender = `${numberKey(Math.floor(storedAt / DAY_MS))}:${toHex(envelope.sender)}`
      const used = quota.get(sender) ?? { envelopes: 0, bytes: 0 }
      quota.set(sender, { envelopes: used.envelopes + 1, bytes: used.bytes + envelope.bytes.length })
      ops.push({ type: 'put', sublevel: tables.envelopes, key: envelopeKey(topic, sequence), value: envelope.bytes })
      ops.push({ type: 'put', sublevel: tables.ids, key: id, value: { topic: envelope.topic, sequence, storedAt } })
      ops.push({ type: 'put', sublevel: tables.byTime, key: timeKey(storedAt, topic, sequence), value: `${id}:${envelope.bytes.length}` })
    })
    await db.batch(ops as never, { sync: false })
  }
  const meta = [
    { type: 'put', sublevel: tables.topics, key: topic, value: { next: envelopes.length + 1, count: envelopes.length, bytes, lastStoredAt: storedAt } },
    ...[...quota].map(([key, value]) => ({ type: 'put', sublevel: tables.quota, key, value }))
  ]
  await db.batch(meta as never, { sync: true })
}

interface CatchUpRun { messages: number, ms: number, stages: Stages, stateBytes: number }

async function catchUp (store: EnvelopeStore, topic: string, readerState: Uint8Array, dir: string, limit: number, withState: boolean, now: number): Promise<CatchUpRun> {
  // A copy: restoreState keeps views into its input, and processMessage zeroes spent secrets in place,
  // so restoring from the same bytes twice would hand the second run zeroed keys (reported as a bug).
  let state = await restoreState(readerState.slice())
  const db = new ClassicLevel<string, Uint8Array>(dir, { valueEncoding: 'view' })
  await db.open()
  const messages = db.sublevel<string, string>('messages', { valueEncoding: 'utf8' })
  const seen = db.sublevel<string, string>('seen', { valueEncoding: 'utf8' })
  const groups = db.sublevel<string, Uint8Array>('groups', { valueEncoding: 'view' })
  const cursors = db.sublevel<string, string>('cursors', { valueEncoding: 'utf8' })
  const stages = emptyStages()
  let stateBytes = 0
  let count = 0
  let after = 0
  const start = performance.now()
  try {
    for (let pages = 0; pages < 100_000 && count < limit; pages++) {
      let t = performance.now()
      const page = await store.query(topic, after, PAGE, 0)
      stages.query += performance.now() - t
      for (const entry of page.entries) {
        if (count >= limit) break
        t = performance.now()
        const envelope = openEnvelope(entry.envelope, now)
        const id = toHex(envelope.id)
        stages.open += performance.now() - t
        t = performance.now()
        if (await seen.get(id) != null) throw new Error(`envelope ${id} seen twice`)
        stages.dedupe += performance.now() - t
        t = performance.now()
        const processed = await processMessage(state, envelope.payload, ctx)
        stages.mls += performance.now() - t
        if (processed.kind !== 'application') throw new Error(`expected an application message, got a ${processed.kind}`)
        t = performance.now()
        const content = decodeAppContent(processed.plaintext)
        if (content.kind !== 'text') throw new Error('expected text')
        const record = JSON.stringify({ id, conversationId: topic, sender: processed.sender.handle, text: content.text, sentAt: envelope.timestamp, state: 'received' })
        stages.decode += performance.now() - t
        t = performance.now()
        const stateOp = withState ? [{ type: 'put' as const, sublevel: groups, key: 'group', value: serialiseState(processed.state) }] : []
        stateBytes = stateOp[0]?.value.length ?? 0
        stages.state += performance.now() - t
        t = performance.now()
        const ops: unknown[] = [
          ...stateOp,
          { type: 'put', sublevel: messages, key: `${topic}!${String(envelope.timestamp).padStart(16, '0')}!${id}`, value: record },
          { type: 'put', sublevel: seen, key: id, value: String(now) }
        ]
        await db.batch(ops as never)
        stages.write += performance.now() - t
        state = processed.state
        count++
      }
      after = page.nextAfterSequence
      t = performance.now()
      await cursors.put(`${topic}!store`, String(after))
      stages.write += performance.now() - t
      if (!page.hasMore || page.entries.length === 0) break
    }
    return { messages: count, ms: performance.now() - start, stages, stateBytes }
  } finally {
    await db.close()
  }
}

async function rawIterator (db: ClassicLevel<string, string>, topic: string): Promise<{ records: number, ms: number }> {
  const envelopes = db.sublevel<string, Uint8Array>('env', { valueEncoding: 'view' })
  const hex = topicKey(topic)
  let best = { records: 0, ms: Number.POSITIVE_INFINITY }
  for (let round = 0; round < 3; round++) {
    let records = 0
    let bytes = 0
    const start = performance.now()
    for await (const [, value] of envelopes.iterator({ gte: `${hex}:`, lt: `${hex};` })) {
      records++
      bytes += value.length
    }
    const ms = performance.now() - start
    if (bytes === 0) throw new Error('raw iterator found nothing')
    if (ms < best.ms) best = { records, ms }
  }
  return best
}

function breakdown (stages: Stages): string {
  const total = Object.values(stages).reduce((a, b) => a + b, 0)
  return Object.entries(stages).filter(([, ms]) => ms > 0).sort((a, b) => b[1] - a[1]).map(([name, ms]) => `${name} ${Math.round(ms / total * 100)}%`).join(', ')
}

async function engineFigure (bench: BenchContext, envelopes: number, raw: number): Promise<Figure> {
  const label = 'Dak end to end (messenger engine catch-up)'
  const start = engineHooks.startCatchUp
  if (start == null) return pendingFigure('catchup.engine', label, 'msg/s', 'startCatchUp', '≥ 5,000 msg/s')
  bench.progress('messenger engine catch-up')
  // Fewer than the store-level figure: every envelope is sent for real (encrypt, seal, deposit, receipt)
  // before measuring, ~100–200 a second here. The note gives the count.
  const scenario = await start({ envelopes: bench.quick ? 20 : Math.min(envelopes, ENGINE_ENVELOPES), members: bench.quick ? 3 : MEMBERS, tmpDir: bench.tmpDir, progress: bench.progress })
  try {
    const engine = await engineCatchUp(scenario, 600_000)
    return {
      key: 'catchup.engine',
      label,
      value: sig(engine.rate),
      unit: 'msg/s',
      baseline: { label: 'raw classic-level iterator', value: sig(raw), unit: 'rec/s' },
      ratio: ratio(engine.rate, raw),
      target: { text: '≥ 5,000 msg/s', met: engine.rate >= 5000 },
      note: `${engine.messages} messages caught up (${scenario.envelopes} stored, ${bench.quick ? 3 : MEMBERS}-member conversation, one sender)`
    }
  } finally {
    await scenario.stop()
  }
}

async function run (bench: BenchContext): Promise<BenchResult> {
  const total = bench.quick ? 300 : 10_000
  const withStateCount = bench.quick ? 100 : 1_000
  const group = await buildGroup(MEMBERS, 'cu')
  const topic = topicFor('catch-up')
  const readerState = serialiseState(at(group.states, 0)) // member 0 reads; members 1..9 send
  bench.progress(`encrypting and sealing ${total} messages from ${MEMBERS - 1} senders`)
  const envelopes: OpenedEnvelope[] = []
  const seqs = new Array<number>(MEMBERS).fill(0)
  for (let k = 0; k < total; k++) {
    const s = 1 + (k % (MEMBERS - 1))
    const seq = (seqs[s] ?? 0) + 1
    seqs[s] = seq
    const sent = await sendText(at(group.states, s), at(group.devices, s).device, topic, k, seq, NOW + k)
    group.states[s] = sent.state
    envelopes.push(sent.envelope)
    if ((k + 1) % 2000 === 0) bench.progress(`  ${k + 1}/${total}`)
  }
  const now = NOW + total + 60_000
  const storeDb = new ClassicLevel<string, string>(join(bench.tmpDir, 'store'))
  await storeDb.open()
  try {
    bench.progress('loading the department store')
    await preload(storeDb, envelopes, now)
    const store = new EnvelopeStore({ db: storeDb as unknown as Db, nodeKey: signingKeyPairFromSeed(fillerBytes(32, 7)) })
    const stats = await store.stats()
    const last = await store.query(topic, total - 1, 0, 0)
    if (stats.envelopes !== total || last.entries.length !== 1 || last.hasMore || last.entries[0]?.sequence !== total) {
      throw new Error(`store preload is inconsistent: ${JSON.stringify({ stats, last: last.entries.map(e => e.sequence), hasMore: last.hasMore })}`)
    }

    bench.progress('raw classic-level iterator')
    const raw = await rawIterator(storeDb, topic)
    const rawRate = perSecond(raw.records, raw.ms)
    bench.progress(`catch-up of ${total}: query, open, MLS, decode, persist`)
    const main = await catchUp(store, topic, readerState, join(bench.tmpDir, 'client-a'), total, false, now)
    if (main.messages !== total) throw new Error(`caught up ${main.messages} of ${total}`)
    bench.progress(`catch-up of ${withStateCount} with the group state persisted per message`)
    const withState = await catchUp(store, topic, readerState, join(bench.tmpDir, 'client-b'), withStateCount, true, now)
    const mainRate = perSecond(main.messages, main.ms)
    const stateRate = perSecond(withState.messages, withState.ms)
    const target = (rate: number): Figure['target'] => ({ text: '≥ 5,000 msg/s', met: rate >= 5000 })
    const figures: Figure[] = [
      {
        key: 'catchup.persist',
        label: `catch-up of ${total.toLocaleString('en-US')} stored envelopes (query, open, MLS, decode, write)`,
        value: sig(mainRate),
        unit: 'msg/s',
        baseline: { label: 'raw classic-level iterator', value: sig(rawRate), unit: 'rec/s' },
        ratio: ratio(mainRate, rawRate),
        target: target(mainRate),
        note: `time: ${breakdown(main.stages)}`
      },
      {
        key: 'catchup.with-state',
        label: `catch-up, group state persisted per message as the engine does (${withStateCount.toLocaleString('en-US')})`,
        value: sig(stateRate),
        unit: 'msg/s',
        baseline: { label: 'raw classic-level iterator', value: sig(rawRate), unit: 'rec/s' },
        ratio: ratio(stateRate, rawRate),
        target: target(stateRate),
        note: `time: ${breakdown(withState.stages)}; state ${sig(withState.stateBytes / 1024)} KiB per write`
      },
      await engineFigure(bench, total, rawRate)
    ]
    return {
      figures,
      details: {
        envelopes: total,
        envelopeBytes: envelopes[0]?.bytes.length,
        rawIterator: raw,
        main: { ...main, rate: mainRate },
        withState: { ...withState, rate: stateRate }
      }
    }
  } finally {
    await storeDb.close()
  }
}

export const catchUpBench: Benchmark = {
  id: 'catch-up',
  title: 'Catch-up from a department store',
  budgetSeconds: { full: 120, quick: 10 },
  run
}
