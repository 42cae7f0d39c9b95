import { multiaddr } from '@multiformats/multiaddr'
import { afterEach, describe, expect, it } from 'vitest'
import { department, officer } from '../../protocol/src/identity/test-fixtures.js'
import { joinTopic, nextEvent, samePeer, seal, startNode, stopAll, testTopic } from './helpers.js'
import { SlowLink } from './slow-link.js'
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

describe('gossip on a slow link', () => {
  it('two officers 1.2 s of round trip apart gossip both ways once verified, however long past 1.5 s the verdict took', async () => {
    const a = await startNode({ device: asha.device, certificate: asha.certificate.bytes }, { trust: [mof.entry] })
    const b = await startNode({ device: ravi.device, certificate: ravi.certificate.bytes }, { trust: [mof.entry] })
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
    const dialledAt = Date.now()
    await b.dial(multiaddr(`/ip4/127.0.0.1/tcp/${link.port}/p2p/${a.peerId.toString()}`))
    await Promise.all([verifiedByA, verifiedByB])
    const verifiedAfterMs = Date.now() - dialledAt

    // each side hears the other's subscription only once gossipsub has the peer and a stream to it
    await Promise.all([heardSubscription(a, b.peerId, topic, 20_000), heardSubscription(b, a.peerId, topic, 20_000)])
    const fromA = seal(asha.device, topic, 1, 'to ravi over 2G')
    const fromB = seal(ravi.device, topic, 1, 'to asha over 2G')
    await a.services.pubsub.publish(topic, fromA)
    await b.services.pubsub.publish(topic, fromB)
    await Promise.all([atB.arrival(fromA, 15_000), atA.arrival(fromB, 15_000)])

    expect(rejections).toEqual([])
    // the case under test: a verdict later than the old fixed 1.5 s wait (dial to both verified, at 1.2 s a round trip)
    expect(verifiedAfterMs).toBeGreaterThan(1_500)
  }, 60_000)
})
