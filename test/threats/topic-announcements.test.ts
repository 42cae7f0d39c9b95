import { toHex } from '@dak/protocol'
import { afterEach, describe, expect, it } from 'vitest'
import { isFiltering } from '../../bootstrap/src/node/topic-announcements.js'
import { DepartmentWorld } from '../messenger/department.js'
import { waitFor } from '../helpers/wait.js'
import { deviceKeyOf, shows, waitMembers } from './lan.js'

/**
 * THREATS.md / issue 12 part 2, "the node stops announcing every topic to
 * everyone". Mallory is an ordinary enrolled device in no conversation,
 * connected to the real department node. Gossipsub tells every connected peer
 * each topic its node subscribes to; a node that subscribed to every
 * conversation and inbox told her the topic id of every conversation (and
 * each new one as it was made) and, from the traffic on it, when it was used.
 * She records every topic the node announces while Asha and Bala make a
 * conversation and talk in it: she must hear none of theirs.
 */

const world = new DepartmentWorld()
afterEach(async () => { await world.stop() })

describe('THREATS: topic ids the department node announces', () => {
  it('announces to an outsider no conversation she is not in and no other device\'s inbox', async () => {
    const node = await world.start()
    // the filter replaces a private gossipsub method: an upgrade that moved it must fail here, not leak quietly
    expect(isFiltering(node.libp2p.services.pubsub)).toBe(true)
    const [asha, bala, mallory] = await Promise.all(['asha', 'bala', 'mallory'].map(async h => await (await world.enrol(h))()))
    if (asha == null || bala == null || mallory == null) throw new Error('devices')
    for (const d of [asha, bala, mallory]) await waitFor('department reached', () => d.messenger.status().mode === 'department', { timeoutMs: 20_000 })

    // everything the node announces to Mallory from now on, and what it announced already
    const nodeId = node.peerId.toString()
    const heard = new Set<string>()
    const pubsub = mallory.libp2p.services.pubsub
    pubsub.addEventListener('subscription-change', (evt) => {
      if (evt.detail.peerId.toString() !== nodeId) return
      for (const s of evt.detail.subscriptions) if (s.subscribe) heard.add(s.topic)
    })
    const announcedNow = (): string[] => [...new Set([...heard, ...knownTopicsOf(pubsub, nodeId)])]

    // she also subscribes to Asha's inbox (its name is Asha's public device key) to have the node relay Asha's Welcomes to her
    const ashaInbox = `dak/i/${toHex((await deviceKeyOf(asha)).publicKey)}`
    const relayedByNode: string[] = []
    pubsub.addEventListener('gossipsub:message', (evt) => {
      if (evt.detail.propagationSource.toString() === nodeId && evt.detail.msg.topic === ashaInbox) relayedByNode.push(evt.detail.msgId)
    })
    pubsub.subscribe(ashaInbox)

    await waitFor('directory loaded', async () => (await asha.messenger.contacts()).length >= 2, { timeoutMs: 20_000 })
    // Bala adds Asha by handle: his directory must have her too (it loads on its own schedule)
    await waitFor('bala knows asha', async () => (await bala.messenger.contacts()).some(c => c.handle === 'asha'), { timeoutMs: 20_000 })
    // Bala makes the conversation, so a Welcome goes to Asha's inbox
    const group = await bala.messenger.createGroup('Budget 2027', ['asha'])
    await waitMembers(asha, group.id, ['asha', 'bala'])
    await asha.messenger.send(group.id, 'the figures are in')
    await shows(bala, group.id, 'the figures are in')
    await bala.messenger.send(group.id, 'thanks')
    await shows(asha, group.id, 'thanks')

    const theirs = [group.id, `dak/i/${toHex((await deviceKeyOf(asha)).publicKey)}`, `dak/i/${toHex((await deviceKeyOf(bala)).publicKey)}`]
    const learnt = announcedNow().filter(t => theirs.includes(t) || t.startsWith('dak/c/'))
    console.log(`[threats] topic announcements: Mallory heard ${announcedNow().length} topic(s) from the node, ${learnt.length} of them Asha and Bala's (conversation or inbox)`)
    expect(learnt).toEqual([])
    expect(pubsub.getSubscribers(group.id).map(String)).not.toContain(nodeId)
    console.log(`[threats] topic announcements: ${relayedByNode.length} envelope(s) on Asha's inbox relayed to Mallory by the node after she subscribed to it`)
    expect(relayedByNode).toEqual([])
  })
})

/** The topics `peer` is subscribed to as this gossipsub knows them (its announcements so far). */
function knownTopicsOf (pubsub: { getSubscribers: (topic: string) => Array<{ toString: () => string }> }, peer: string): string[] {
  // gossipsub keeps topic → subscribers (its `topics` map); iterate it through the public getSubscribers for every topic it holds
  const topics = (pubsub as unknown as { topics?: Map<string, Set<string>> }).topics
  if (topics == null) return []
  return [...topics.keys()].filter(topic => pubsub.getSubscribers(topic).some(p => p.toString() === peer))
}
