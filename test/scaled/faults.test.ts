import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { makeDevice } from '../../protocol/src/mls/test-fixtures.js'
import { postgresBinDir } from '../../bootstrap/src/cluster/local-engine.js'
import { startLocalCluster, type LocalCluster } from '../../bootstrap/src/cluster/local-cluster.js'
import { commitRace, commitViolations, connectedTo, depositLoop, enrolClient, lostDeposits, waitLinked, type Acked, type Client } from './workload.js'

/**
 * A scaled department under faults, in the manner of Jepsen (`npm run
 * test:scaled`; docs/scaled.md): three department-node processes on a
 * PostgreSQL primary with two synchronous streaming replicas, a device
 * depositing without pause and a member racing two commits for every epoch
 * through two processes. Faults: kill -9 the department-node process the
 * depositing device is on; then kill -9 one of the engine's two synchronous
 * replicas; then kill -9 the primary and promote the replica left (it has no
 * standby after that: commits are acknowledged on its flush alone). Checked over the recorded acknowledgements: none is
 * lost, no epoch has two acknowledged commits, the device is served again
 * within seconds. A partition of the engine: partition.test.ts.
 */

const installed = postgresBinDir() != null
if (!installed) console.warn('scaled fault tests skipped: PostgreSQL is not installed (test/setup/system-deps.sh installs it)')

/** Load between faults: long enough for hundreds of deposits and tens of epochs on a loaded 2-core machine. */
const STEADY_MS = 4_000
/** "Within seconds": from the kill to the first deposit acknowledged again. */
const FAILOVER_BOUND_MS = 10_000

let cluster: LocalCluster
const clients: Client[] = []
beforeAll(async () => {
  if (!installed) return
  cluster = await startLocalCluster({ nodes: 3, engine: { replicas: 2, synchronous: true }, department: 'mof.budget', onStderr: (i, text) => { process.stderr.write(`[department-node ${i + 1}] ${text}`) } })
}, 180_000)
afterAll(async () => {
  for (const c of clients) await c.stop()
  await cluster?.stop()
}, 60_000)

const sleep = async (ms: number): Promise<void> => { await new Promise(resolve => setTimeout(resolve, ms)) }

/** Time from `since` to the first deposit acknowledged after it, polled until the bound (and a little more). */
let watched: Client | undefined
async function recovery (acked: Acked[], since: number): Promise<number> {
  const deadline = since + FAILOVER_BOUND_MS * 3
  let dumped = false
  while (Date.now() < deadline) {
    if (!dumped && Date.now() > since + 6000) {
      // what the device is doing while it is not served: for the report when the bound is missed
      dumped = true
      console.log('depositor connections:', watched?.libp2p.getConnections().map(c => `${c.remoteAddr.toString()} ${c.status} streams=${c.streams.length}`), 'dials:', watched?.libp2p.getDialQueue().map(d => `${d.status} ${d.multiaddrs.map(String).join(' ')}`))
    }
    const next = acked.find(a => a.at > since)
    if (next != null) return next.at - since
    await sleep(50)
  }
  return Infinity
}

describe.runIf(installed)('a scaled department under kill -9', () => {
  it('loses no acknowledged envelope, acknowledges one commit per epoch, and serves its devices again within seconds', async () => {
    const depositor = await (await enrolClient(cluster, 'asha.rao', [0, 1, 2])).enrol()
    clients.push(depositor)
    watched = depositor
    await waitLinked(depositor)
    const mls = await makeDevice('ravi.k')
    const racer = await commitRace(cluster, await enrolClient(cluster, 'ravi.k', [0, 1], mls.device), mls)
    const deposits = depositLoop(depositor)

    await sleep(STEADY_MS)
    const victim = connectedTo(cluster, depositor) ?? 0
    const beforeKill = deposits.acked.length
    const killedAt = Date.now()
    await cluster.nodes[victim]!.kill()
    const edgeFailover = await recovery(deposits.acked, killedAt)
    await sleep(STEADY_MS)

    // one of the two synchronous replicas: ANY 1 (r1, r2) lets the other answer every COMMIT
    const replica = cluster.engine.servers.find(s => s.role === 'replica')!
    const replicaKilledAt = Date.now()
    await cluster.engine.kill(replica.name)
    const replicaStall = await recovery(deposits.acked, replicaKilledAt)
    await sleep(STEADY_MS)

    const primary = cluster.engine.primary()
    const engineKilledAt = Date.now()
    await cluster.engine.kill(primary.name)
    const promoted = await cluster.engine.failover()
    const engineFailover = await recovery(deposits.acked, engineKilledAt)
    await sleep(STEADY_MS)

    await deposits.stop()
    await racer.stop()
    const survivor = cluster.nodes.findIndex(n => n.alive())
    // read back through a fresh device linked to a surviving process, from the promoted primary
    const reader = await (await enrolClient(cluster, 'mina.s', [survivor])).enrol()
    clients.push(reader)
    await waitLinked(reader)
    const { lost, duplicateSequences, stored } = await lostDeposits(reader.client, deposits.topic, deposits.acked)
    const violations = commitViolations(racer.records)

    console.log(`scaled faults: ${deposits.acked.length} deposits acknowledged (${beforeKill} before the first kill), ${deposits.failures.length} failed attempts retried, ` +
      `${stored} stored; department-node process ${victim + 1} killed: served again after ${edgeFailover} ms; ` +
      `replica ${replica.name} killed: deposits acknowledged again after ${replicaStall} ms; primary ${primary.name} killed, ${promoted.name} promoted: deposits acknowledged again after ${engineFailover} ms; ` +
      `${racer.epochs() - 1} epochs raced, ${racer.records.length} commit answers, ${violations.length} violations`)
    if (edgeFailover >= FAILOVER_BOUND_MS || replicaStall >= FAILOVER_BOUND_MS || engineFailover >= FAILOVER_BOUND_MS) console.log(`failed deposit attempts:\n${deposits.errors.join('\n')}`)
    expect(lost).toEqual([])
    expect(duplicateSequences).toEqual([])
    expect(violations).toEqual([])
    expect(racer.epochs()).toBeGreaterThan(3)
    expect(beforeKill).toBeGreaterThan(10)
    expect(deposits.acked.length).toBeGreaterThan(beforeKill)
    expect(edgeFailover).toBeLessThan(FAILOVER_BOUND_MS)
    expect(replicaStall).toBeLessThan(FAILOVER_BOUND_MS)
    expect(engineFailover).toBeLessThan(FAILOVER_BOUND_MS)
  }, 300_000)
})
