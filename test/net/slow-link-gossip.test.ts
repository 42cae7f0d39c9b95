import { multiaddr } from '@multiformats/multiaddr'
import { afterEach, describe, expect, it } from 'vitest'
import { department, officer } from '../../protocol/src/identity/test-fixtures.js'
import { joinTopic, nextEvent, samePeer, seal, startNode, stopAll, testTopic } from './helpers.js'
import { SlowLink } from './slow-link.js'
import { certificateHandler } from '../../node/src/net/cert-exchange.js'
import { CERT_PROTOCOL } from '../../node/src/net/constants.js'
import type { DakLibp2p, RejectedPeer, VerifiedPeer } from '../../node/src/net/index.js'
import type { PeerId } from '@libp2p/interface'

/**
 * Gossip on a slow link (docs/field.md, section 8): the field harness's `2g`
 * runs lost every live text to one of two receivers with no error. The
 * certificate deadline scales with the link (up to 20 s), but the gossip gate
 * waited a fixed 1.5 s for the verdict before handing a peer to gossipsub; a
 * peer verified later stayed connected, verified, and out of gossip for the
 * connection's whole life.
 */

const mof = department('mof.budget')
const asha = officer(mof, 'asha.rao')
const ravi = officer(mof, 'ravi.kumar')
const devices = [asha, ravi].map(o => o.device.publicKey)
const links = new Set<SlowLink>()

afterEach(async () => {
  await stopAll()
  for (const link of links) await link.stop()
  links.clear()
})

/** Resolves once `node`'s gossipsub lists `peer` as subscribed to `topic`, or says what it knows at the deadline. */
async function heardSubscription (node: DakLibp2p, peer: PeerId, topic: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  const pubsub = node.services.pubsub
  while (Date.now() < deadline) {
    if (pubsub.getSubscribers(topic).some(p => p.equals(peer))) return
    await nextEvent(pubsub, 'subscription-change', () => true, Math.max(1, deadline - Date.now())).catch(() => undefined)
  }
  throw new Error(`no subscription from ${peer.toString()} within ${timeoutMs} ms; gossip peers: ${JSON.stringify(pubsub.getPeers().map(String))}`)
}

/** How long the listener holds each certificate request before checking it: a lost segment and its retransmits on 2G. */
const HELD_MS = 4_000

describe('gossip on a slow link', () => {
  it('two officers 1.2 s of round trip apart, whose certificate exchange took seconds (a lost segment), still gossip both ways', async () => {
    const a = await startNode({ device: asha.device, certificate: asha.certificate.bytes }, { trust: [mof.entry] })
    const b = await startNode({ device: ravi.device, certificate: ravi.certificate.bytes }, { trust: [mof.entry] })
    // a's side of the exchange, as the directory serves it, after HELD_MS: both ends' verdicts come that much later
    const directory = a.services.directory
    const serve = certificateHandler(directory, (connection) => directory.deadlineOf(connection))
    await a.handle(CERT_PROTOCOL, async (stream, connection) => {
      await new Promise(resolve => setTimeout(resolve, HELD_MS)) // eslint-disable-line -- the held segment is the condition under test
      await serve(stream, connection)
    }, { force: true, runOnLimitedConnection: true, maxInboundStreams: 2, maxOutboundStreams: 2 })
    const rejections: RejectedPeer[] = []
    for (const node of [a, b]) node.services.directory.addEventListener('peer:rejected', (evt) => { rejections.push(evt.detail) })
    const topic = testTopic('slow gossip')
    const atA = joinTopic(a, topic, devices)
    const atB = joinTopic(b, topic, devices)
    const port = Number(/\/tcp\/(\d+)/.exec(a.getMultiaddrs()[0]!.toString())?.[1])
    const link = new SlowLink({ host: '127.0.0.1', port }, 600)
    await link.start()
    links.add(link)

    const verifiedByA = nextEvent<VerifiedPeer>(a.services.directory, 'peer:verified', samePeer(b.peerId), 25_000)
    const verifiedByB = nextEvent<VerifiedPeer>(b.services.directory, 'peer:verified', samePeer(a.peerId), 25_000)
    await b.dial(multiaddr(`/ip4/127.0.0.1/tcp/${link.port}/p2p/${a.peerId.toString()}`))
    await Promise.all([verifiedByA, verifiedByB])
    // the certificate deadline scaled with the slow handshake: nobody was hung up on
    expect(rejections).toEqual([])

    // before the fix: the gossip gate gave up on the peer 1.5 s after it connected, on both ends, and
    // neither ever opened a gossip stream to the other on this connection (no subscription heard, ever)
    await Promise.all([heardSubscription(a, b.peerId, topic, 20_000), heardSubscription(b, a.peerId, topic, 20_000)])
    const fromA = seal(asha.device, topic, 1, 'to ravi over 2G')
    const fromB = seal(ravi.device, topic, 1, 'to asha over 2G')
    await a.services.pubsub.publish(topic, fromA)
    await b.services.pubsub.publish(topic, fromB)
    await Promise.all([atB.arrival(fromA, 15_000), atA.arrival(fromB, 15_000)])
    expect(a.getConnections(b.peerId)).toHaveLength(1)
  }, 60_000)
})
