import { afterEach, describe, expect, it } from 'vitest'
import { department, officer } from '../../protocol/src/identity/test-fixtures.js'
import { waitFor } from '../helpers/wait.js'
import { connectVerified, joinTopic, seal, startNode, stopAll, subscribed, testTopic } from './helpers.js'
import { FloodingError } from '../../node/src/net/limit-errors.js'

const mof = department('mof.budget')
const node = officer(mof, 'node.like')
const ravi = officer(mof, 'ravi.kumar')
const devices = [node, ravi].map((o) => o.device.publicKey)

afterEach(stopAll)

describe('a peer that comes back before its old connection is gone', () => {
  it('still gets gossip on the new connection after the old one closes (a reloaded page)', async () => {
    const topic = testTopic('after reload')
    const hub = await startNode({ device: node.device, certificate: node.certificate.bytes }, { trust: [mof.entry] })
    joinTopic(hub, topic, devices)
    const before = await startNode({ device: ravi.device, certificate: ravi.certificate.bytes }, { trust: [mof.entry] })
    joinTopic(before, topic, devices)
    await connectVerified(before, hub)
    await subscribed(hub, before.peerId, topic)
    const old = hub.getConnections(before.peerId)
    expect(old).toHaveLength(1)

    // The same identity in a new node (the page reloaded) dials while the hub still holds the old connection.
    const after = await startNode({ device: ravi.device, certificate: ravi.certificate.bytes }, { trust: [mof.entry] })
    const atAfter = joinTopic(after, topic, devices)
    await after.dial(hub.getMultiaddrs())
    await waitFor('the hub holds both connections', () => hub.getConnections(after.peerId).length === 2)
    await waitFor('the new node verified the hub', () => after.services.directory.isVerified(hub.peerId))
    // Only now does the old page's connection go away.
    await before.stop()
    await waitFor('the old connection closed at the hub', () => hub.getConnections(after.peerId).length === 1)
    await subscribed(hub, after.peerId, topic)

    const envelope = seal(node.device, topic, 1, 'the Welcome that used to get lost')
    await waitFor('the hub can send to the peer again', async () => (await hub.services.pubsub.publish(topic, envelope).then(r => r.recipients.length, () => 0)) > 0, { timeoutMs: 10_000 })
    await atAfter.arrival(envelope)
  })

  it('still gets gossip both ways when the old connection dies with an error after the new one is in use (a page reloaded on a flaky link)', async () => {
    const topic = testTopic('reset after reload')
    const hub = await startNode({ device: node.device, certificate: node.certificate.bytes }, { trust: [mof.entry] })
    const atHub = joinTopic(hub, topic, devices)
    const before = await startNode({ device: ravi.device, certificate: ravi.certificate.bytes }, { trust: [mof.entry] })
    joinTopic(before, topic, devices)
    await connectVerified(before, hub)
    await subscribed(hub, before.peerId, topic)
    const [old] = hub.getConnections(before.peerId)

    const after = await startNode({ device: ravi.device, certificate: ravi.certificate.bytes }, { trust: [mof.entry] })
    const atAfter = joinTopic(after, topic, devices)
    await after.dial(hub.getMultiaddrs())
    await waitFor('the hub holds both connections', () => hub.getConnections(after.peerId).length === 2)
    await waitFor('the new node verified the hub', () => after.services.directory.isVerified(hub.peerId))
    await subscribed(after, hub.peerId, topic)
    // the old link dies hard: its gossip stream's read fails at the hub (before: gossipsub then forgot the peer whole)
    old?.abort(new Error('the old link died'))
    await waitFor('the old connection gone at the hub', () => hub.getConnections(after.peerId).length === 1)
    // not even for a heartbeat does the hub forget the page's subscription (before: until its repair, seconds later)
    await new Promise<void>((resolve) => { hub.services.pubsub.addEventListener('gossipsub:heartbeat', () => { resolve() }, { once: true }) })
    expect(hub.services.pubsub.getSubscribers(topic).map(String)).toContain(after.peerId.toString())

    const down = seal(node.device, topic, 1, 'hub to the reloaded page')
    await waitFor('the hub can send to the peer again', async () => (await hub.services.pubsub.publish(topic, down).then(r => r.recipients.length, () => 0)) > 0, { timeoutMs: 10_000 })
    await atAfter.arrival(down)
    const up = seal(ravi.device, topic, 2, 'the reloaded page to the hub')
    await waitFor('the page can send to the hub again', async () => (await after.services.pubsub.publish(topic, up).then(r => r.recipients.length, () => 0)) > 0, { timeoutMs: 10_000 })
    await atHub.arrival(up)
  })

  it('gets a peer\'s subscriptions again when they were lost on the way (the node read a reloaded tab and knew none of its topics)', async () => {
    const topic = testTopic('lost subscriptions')
    const hub = await startNode({ device: node.device, certificate: node.certificate.bytes }, { trust: [mof.entry] })
    joinTopic(hub, topic, devices)
    const page = await startNode({ device: ravi.device, certificate: ravi.certificate.bytes }, { trust: [mof.entry] })
    const atPage = joinTopic(page, topic, devices)
    await connectVerified(page, hub)
    await subscribed(hub, page.peerId, topic)

    // the end state the browser test met: the hub reads the page's stream but holds none of its topics
    const gossip = hub.services.pubsub as unknown as { topics: Map<string, Set<string>>, peerTopicBytes: Map<string, number> }
    for (const subscribers of gossip.topics.values()) subscribers.delete(page.peerId.toString())
    gossip.peerTopicBytes.delete(page.peerId.toString())
    expect(hub.services.pubsub.getSubscribers(topic).map(String)).not.toContain(page.peerId.toString())

    // the hub asks again (closes the stream it reads), the page opens a new one with its subscriptions (a few heartbeats on each side)
    await waitFor('the hub knows the page\'s topic again', () => hub.services.pubsub.getSubscribers(topic).some(p => p.equals(page.peerId)), {
      timeoutMs: 20_000, subscribe: (wake) => { hub.services.pubsub.addEventListener('subscription-change', wake); return () => { hub.services.pubsub.removeEventListener('subscription-change', wake) } }
    })
    const envelope = seal(node.device, topic, 1, 'live again')
    await waitFor('the hub can send to the page again', async () => (await hub.services.pubsub.publish(topic, envelope).then(r => r.recipients.length, () => 0)) > 0, { timeoutMs: 10_000 })
    await atPage.arrival(envelope)
  })

  it('does not distrust a peer that merely went away, so a page reloaded within a heartbeat is heard at once; a refused one stays graylisted', async () => {
    const hub = await startNode({ device: node.device, certificate: node.certificate.bytes }, { trust: [mof.entry] })
    const page = await startNode({ device: ravi.device, certificate: ravi.certificate.bytes }, { trust: [mof.entry] })
    await connectVerified(page, hub)
    const score = (hub.services.pubsub as unknown as { score: { params: { appSpecificScore: (id: string) => number } } }).score.params
    const graylist = -80 // gossipsub's default graylistThreshold, which Dak keeps
    const pageId = page.peerId.toString()
    expect(score.appSpecificScore(pageId)).toBeGreaterThanOrEqual(0)

    await page.stop()
    await waitFor('the hub saw the page go', () => hub.getConnections(page.peerId).length === 0 && !hub.services.directory.isVerified(page.peerId))
    // before: −1000, which gossipsub scores the peer with as it forgets it, and keeps in its cache
    // for a heartbeat: the reloaded page's subscriptions were dropped (test/web/reload-live.test.ts)
    expect(score.appSpecificScore(pageId)).toBeGreaterThan(graylist)

    const again = await startNode({ device: ravi.device, certificate: ravi.certificate.bytes }, { trust: [mof.entry] })
    await connectVerified(again, hub)
    hub.services.directory.reject(again.peerId, new FloodingError('flooding, for the test'))
    expect(score.appSpecificScore(pageId)).toBeLessThan(graylist)
  })
})
