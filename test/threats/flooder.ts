/**
 * Child process for the flood test: Mallory's device, in a process of its own
 * so that what the flood costs her does not count as the victims' cost. It
 * opens her store, sends PER_SECOND requests a second on every department
 * protocol to the node and on both device protocols to Asha, gossips fresh
 * signed envelopes on the conversation topic, for FLOOD_MS, and prints one
 * JSON line of outcomes. argv: <db dir> <node peer id> <node multiaddr> <asha multiaddr> <asha peer id> <conversation id> <group id hex> <flood ms>
 */
import { ClassicLevel } from 'classic-level'
import { EnvelopeKind, fromHex, sealEnvelope, signingKeyPairFromSeed, toHex } from '@dak/protocol'
import { createDepartmentClient } from '@dak/node/department'
import { createRpc } from '@dak/node/net'
import { peerIdFromString } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import { CARRY_PROTOCOL, DELIVER_PROTOCOL, KEY_PACKAGE_PROTOCOL } from '../../node/src/device/mesh-adapter.js'
import { encodeCarryRequest } from '../../node/src/messenger/carry-wire.js'
import { openDevice } from '../../node/src/device/open-device.js'

const [dir, nodeId, nodeAddr, ashaAddr, ashaId, conversationId, groupIdHex, floodMs] = process.argv.slice(2)
if (dir == null || nodeId == null || nodeAddr == null || ashaAddr == null || ashaId == null || conversationId == null || groupIdHex == null || floodMs == null) throw new Error('usage: flooder <db> <node id> <node addr> <asha addr> <asha id> <conversation> <group id> <ms>')
const PER_SECOND = 1_000
/** Requests of one path in flight at once: the flooder's own memory stays bounded. */
const MAX_IN_FLIGHT = 64

const device = await openDevice({ db: new ClassicLevel<string, Uint8Array>(dir, { valueEncoding: 'view' }), listen: [], bootstrap: [nodeAddr] })
const identity = await device.store.identity.get()
if (identity.deviceSeed == null) throw new Error('no device seed')
const key = signingKeyPairFromSeed(identity.deviceSeed)
const node = peerIdFromString(nodeId)
const client = createDepartmentClient({ node, deviceKeys: key, libp2p: device.libp2p })
const asha = peerIdFromString(ashaId)
await device.libp2p.dial(multiaddr(nodeAddr))
await device.libp2p.dial(multiaddr(ashaAddr))
const verified = async (peer: ReturnType<typeof peerIdFromString>): Promise<void> => {
  if (!(await device.libp2p.services.directory.whenVerified(peer, { signal: AbortSignal.timeout(10_000) }))) throw new Error(`${peer.toString()} did not verify us`)
}
await verified(node)
await verified(asha)
const rpc = createRpc(device.libp2p, device.libp2p.services.directory)
// The node no longer announces the conversation to her (bootstrap/src/node/topic-announcements.ts): a flooder sends to it anyway.
const heardBy = (device.libp2p.services.pubsub as unknown as { topics: Map<string, Set<string>> }).topics
heardBy.set(conversationId, new Set([...(heardBy.get(conversationId) ?? []), nodeId]))
process.stdout.write(JSON.stringify({ peerId: device.libp2p.peerId.toString() }) + '\n')

const inbox = `dak/i/${toHex(key.publicKey)}`
let seq = 1
const junk = (topic: string): Uint8Array => sealEnvelope(key, { kind: EnvelopeKind.APPLICATION, topic, timestamp: Date.now(), senderSeq: seq++, payload: new Uint8Array(64).fill(seq % 251) }).bytes
const attacks: Record<string, () => Promise<unknown>> = {
  'node registerTopics': async () => await client.registerTopics([inbox]),
  'node deposit': async () => await client.deposit(junk(inbox)),
  'node query': async () => await client.query(inbox, 0, 0),
  'node uploadKeyPackages': async () => await client.uploadKeyPackages([]),
  'node fetchKeyPackages': async () => await client.fetchKeyPackages('asha'),
  'node heldKeyPackages': async () => await client.heldKeyPackages(),
  'node submitCommit': async () => await client.submitCommit(fromHex(groupIdHex), 1, junk(conversationId)),
  'node revocations': async () => await client.revocations(),
  'node directory': async () => await client.directoryPage(),
  'device keyPackage': async () => await rpc.request(asha, KEY_PACKAGE_PROTOCOL, new Uint8Array(0), { maxResponseBytes: 16 * 1024 }),
  'device deliver': async () => await rpc.request(asha, DELIVER_PROTOCOL, junk(conversationId), { maxResponseBytes: 16 }),
  'device carry': async () => await rpc.request(asha, CARRY_PROTOCOL, encodeCarryRequest({ topic: conversationId, have: [] })),
  'gossip on the conversation': async () => await device.libp2p.services.pubsub.publish(conversationId, junk(conversationId))
}

async function flood (send: () => Promise<unknown>, tally: Record<string, number>): Promise<number> {
  let inFlight = 0
  let sent = 0
  const pending = new Set<Promise<void>>()
  const end = Date.now() + Number(floodMs)
  const tick = 10
  while (Date.now() < end) {
    for (let i = 0; i < PER_SECOND * tick / 1000 && inFlight < MAX_IN_FLIGHT; i++) {
      inFlight++
      sent++
      const p: Promise<void> = send().then(() => { tally.ok = (tally.ok ?? 0) + 1 }, (err: Error) => { const name = err?.name ?? 'unknown'; tally[name] = (tally[name] ?? 0) + 1 })
        .finally(() => { inFlight--; pending.delete(p) })
      pending.add(p)
    }
    await new Promise(resolve => setTimeout(resolve, tick))
  }
  await Promise.allSettled([...pending])
  return sent
}

const started = Date.now()
const tallies: Record<string, Record<string, number>> = {}
const sent = await Promise.all(Object.entries(attacks).map(async ([name, send]) => await flood(send, tallies[name] = {})))
process.stdout.write(JSON.stringify({ sent: sent.reduce((a, b) => a + b, 0), seconds: (Date.now() - started) / 1000, tallies }) + '\n')
await device.stop()
process.exit(0)

