import { readFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { makeDevice } from '../../protocol/src/mls/test-fixtures.js'
import { postgresBinDir } from '../../bootstrap/src/cluster/local-engine.js'
import { startLocalCluster, type LocalCluster } from '../../bootstrap/src/cluster/local-cluster.js'
import { EngineNetwork, namespacesAvailable, removeStaleEngineNamespaces } from './engine-network.js'
import { commitRace, commitViolations, depositLoop, enrolClient, lostDeposits, waitLinked, type Acked, type Client } from './workload.js'

/**
 * A scaled department whose engine is partitioned (`npm run test:scaled`;
 * docs/scaled.md), in the manner of Jepsen. The PostgreSQL primary and its
 * two synchronous replicas each run in their own network namespace
 * (engine-network.ts); the department-node processes and the devices are in
 * the root namespace and reach every server. Under deposits and raced
 * commits, the primary is cut from both replicas: it is the minority, and
 * what is written on it must never be acknowledged. The failover manager on
 * the majority side (this test) fences the old primary (kill -9: STONITH) and
 * promotes the most advanced replica; the department goes on. Then the
 * partition heals and the old primary rejoins as a replica (pg_rewind throws
 * away what it wrote alone). Checked over the recorded acknowledgements: none
 * is lost, none was given while the primary was alone, no epoch has two
 * acknowledged commits, and the rejoined server holds what the primary holds.
 */

const installed = postgresBinDir() != null
const netns = namespacesAvailable()
if (!installed) console.warn('scaled partition test skipped: PostgreSQL is not installed (test/setup/system-deps.sh installs it)')
else if (!netns) console.warn('scaled partition test skipped: network namespaces need root, iproute2 and nftables')

const STEADY_MS = 4_000
/** How long the primary stays alone, still reachable by every department-node process, before the manager fences it. */
const APART_MS = 4_000
const FAILOVER_BOUND_MS = 10_000

let cluster: LocalCluster | undefined
let network: EngineNetwork | undefined
const clients: Client[] = []
beforeAll(async () => {
  if (!installed || !netns) return
  removeStaleEngineNamespaces()
  const net = new EngineNetwork()
  network = net
  net.create(['p', 'r1', 'r2'])
  cluster = await startLocalCluster({ nodes: 3, engine: { replicas: 2, synchronous: true, placement: name => net.placement(name) }, department: 'mof.budget', onStderr: (i, text) => { process.stderr.write(`[department-node ${i + 1}] ${text}`) } })
}, 180_000)
afterAll(async () => {
  for (const c of clients) await c.stop()
  await cluster?.stop()
  network?.destroy()
}, 60_000)

const sleep = async (ms: number): Promise<void> => { await new Promise(resolve => setTimeout(resolve, ms)) }

async function until<T> (what: string, boundMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + boundMs
  while (Date.now() < deadline) {
    const value = await probe()
    if (value !== undefined) return value
    await sleep(100)
  }
  throw new Error(`${what}: not within ${boundMs} ms`)
}

async function recovery (acked: Acked[], since: number): Promise<number> {
  return await until('a deposit acknowledged again', FAILOVER_BOUND_MS * 3, async () => {
    const next = acked.find(a => a.at > since)
    return next == null ? undefined : next.at - since
  }).catch(() => Infinity)
}

describe.runIf(installed && netns)('a scaled department whose engine is partitioned', () => {
  it('acknowledges nothing on the minority primary, goes on on the majority, and loses nothing acknowledged after the heal', async () => {
    const c = cluster!
    const net = network!
    const depositor = await (await enrolClient(c, 'asha.rao', [0, 1, 2])).enrol()
    clients.push(depositor)
    await waitLinked(depositor)
    const mls = await makeDevice('ravi.k')
    const racer = await commitRace(c, await enrolClient(c, 'ravi.k', [0, 1], mls.device), mls)
    const deposits = depositLoop(depositor)
    await sleep(STEADY_MS)

    const beforeCut = deposits.acked.length
    const cutAt = Date.now()
    net.partition(['p'], ['r1', 'r2'])
    // the event that the minority is being written to: a COMMIT on the old primary waiting for a standby that cannot answer
    const stuckAt = await until('a commit waiting on the minority primary', 15_000, async () =>
      Number(await c.engine.psql("select count(*) from pg_stat_activity where wait_event = 'SyncRep'", 'p')) > 0 ? Date.now() : undefined)
    await sleep(APART_MS)
    const waiting = Number(await c.engine.psql("select count(*) from pg_stat_activity where wait_event = 'SyncRep'", 'p'))
    const ackedAlone = deposits.acked.filter(a => a.at > stuckAt).length + racer.records.filter(r => r.at > stuckAt).length

    // the failover manager on the majority side: fence the old primary, then promote
    const fencedAt = Date.now()
    await c.engine.kill('p')
    const promoted = await c.engine.failover()
    const majorityFailover = await recovery(deposits.acked, fencedAt)
    await sleep(STEADY_MS)

    const beforeHeal = deposits.acked.length
    net.heal()
    await c.engine.rejoin('p')
    await until('the old primary streaming again', 30_000, async () => await c.engine.standbys() === 2 ? true : undefined)
    await sleep(STEADY_MS)

    await deposits.stop()
    await racer.stop()
    const reader = await (await enrolClient(c, 'mina.s', [0, 1, 2])).enrol()
    clients.push(reader)
    await waitLinked(reader)
    const { lost, duplicateSequences, stored } = await lostDeposits(reader.client, deposits.topic, deposits.acked)
    const violations = commitViolations(racer.records)
    // the rejoined server replays to what the primary holds (no writes now: the load has stopped)
    const rows = await c.engine.psql('select count(*) from dak.dak_kv')
    const rejoinedRows = await until('the rejoined server caught up', 30_000, async () => {
      const n = await c.engine.psql('select count(*) from dak.dak_kv', 'p')
      return n === rows ? n : undefined
    }).catch(async () => await c.engine.psql('select count(*) from dak.dak_kv', 'p'))

    if (rejoinedRows !== rows) {
      console.log('replication:', await c.engine.psql('select application_name, state, sent_lsn, replay_lsn from pg_stat_replication'),
        '\nold primary:', await c.engine.psql('select pg_is_in_recovery(), pg_last_wal_receive_lsn(), pg_last_wal_replay_lsn(), pg_is_wal_replay_paused()', 'p'),
        await c.engine.psql('select status, received_tli, latest_end_lsn from pg_stat_wal_receiver', 'p'),
        '\nprimary:', await c.engine.psql('select pg_current_wal_lsn()'),
        '\nits log:', (await readFile(join(dirname(c.engine.servers.find(s => s.name === 'p')!.dataDir), 'p.log'), 'utf8')).slice(-4000))
    }
    console.log(`scaled partition: ${deposits.acked.length} deposits acknowledged (${beforeCut} before the cut, ${beforeHeal} before the heal), ${stored} stored; ` +
      `primary alone for ${fencedAt - cutAt} ms with ${waiting} commits waiting on it, ${ackedAlone} acknowledged meanwhile; ` +
      `p fenced, ${promoted.name} promoted: deposits acknowledged again after ${majorityFailover} ms; ` +
      `p rejoined (${rejoinedRows}/${rows} rows); ${racer.epochs() - 1} epochs raced, ${racer.records.length} commit answers, ${violations.length} violations`)
    expect(lost).toEqual([])
    expect(duplicateSequences).toEqual([])
    expect(violations).toEqual([])
    expect(waiting).toBeGreaterThan(0)
    expect(ackedAlone).toBe(0)
    expect(beforeCut).toBeGreaterThan(10)
    expect(majorityFailover).toBeLessThan(FAILOVER_BOUND_MS)
    expect(deposits.acked.length).toBeGreaterThan(beforeHeal)
    expect(racer.epochs()).toBeGreaterThan(3)
    expect(rejoinedRows).toBe(rows)
  }, 300_000)
})
