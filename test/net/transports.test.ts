import { afterEach, describe, expect, it } from 'vitest'
import { department, officer } from '../../protocol/src/identity/test-fixtures.js'
import { connectVerified, joinTopic, nextEvent, samePeer, seal, startNode, stopAll, subscribed, testTopic } from './helpers.js'
import type { DakLibp2p } from '../../node/src/net/index.js'

/**
 * The transports other than TCP, each on 127.0.0.1: the certificate gate and
 * gossip must work the same over every one of them (WebSockets and
 * WebRTC-Direct are how browsers reach department nodes).
 */

const mof = department('mof.budget')
const asha = officer(mof, 'asha.rao')
const ravi = officer(mof, 'ravi.kumar')
const devices = [asha.device.publicKey, ravi.device.publicKey]

afterEach(stopAll)

async function pairOn (listen: string): Promise<[DakLibp2p, DakLibp2p]> {
  // Node.js nodes dial WebRTC-Direct only when asked (node/src/net/libp2p.ts): here they stand in for a browser
  const options = { dialWebRtcDirect: true }
  const a = await startNode({ device: asha.device, certificate: asha.certificate.bytes }, { trust: [mof.entry], listen: [listen], options })
  const b = await startNode({ device: ravi.device, certificate: ravi.certificate.bytes }, { trust: [mof.entry], listen: [listen], options })
  return [a, b]
}

/** Verify both ways over the only transport the nodes listen on, then carry one envelope. */
async function verifyAndGossip (a: DakLibp2p, b: DakLibp2p, transport: RegExp): Promise<void> {
  const topic = testTopic(`over ${transport.source}`)
  joinTopic(a, topic, devices)
  const atB = joinTopic(b, topic, devices)
  await connectVerified(a, b)
  const [connection] = a.getConnections(b.peerId)
  expect(connection?.remoteAddr.toString()).toMatch(transport)
  await Promise.all([subscribed(a, b.peerId, topic), subscribed(b, a.peerId, topic)])
  const envelope = seal(asha.device, topic, 1, 'hello over another transport')
  await a.services.pubsub.publish(topic, envelope)
  await atB.arrival(envelope)
}

describe('transports', () => {
  it('WebSockets (the browser path to a department node)', async () => {
    const [a, b] = await pairOn('/ip4/127.0.0.1/tcp/0/ws')
    await verifyAndGossip(a, b, /\/tcp\/\d+\/ws\//)
  })

  it('WebSockets: a connection one end resets is closed at the other end too (node/src/net/websocket-reset.ts)', async () => {
    // the department node hanging up on a revoked browser: without the fix the socket stayed open and
    // the other end noticed only when a ping of its own failed (liveness: 30 s at the soonest)
    const [a, b] = await pairOn('/ip4/127.0.0.1/tcp/0/ws')
    await connectVerified(a, b)
    const [connection] = b.getConnections(a.peerId)
    const closedAtA = nextEvent(a, 'peer:disconnect', samePeer(b.peerId), 5_000)
    connection?.abort(new Error('revoked'))
    await closedAtA
    expect(a.getConnections(b.peerId)).toEqual([])
  })

  it('WebRTC-Direct (node-datachannel)', async () => {
    const [a, b] = await pairOn('/ip4/127.0.0.1/udp/0/webrtc-direct')
    await verifyAndGossip(a, b, /\/udp\/\d+\/webrtc-direct\//)
  })
})
