import { afterEach, describe, expect, it } from 'vitest'
import { waitFor } from '../helpers/wait.js'
import { DepartmentWorld } from './department.js'

/**
 * A device that has caught up, but that the department node has not yet put
 * in its gossip mesh for a conversation, is relayed nothing on it; gossipsub
 * never offers a new mesh peer what went before. In the browser this window
 * lasted 3 s after a reload (test/web/reload-live.test.ts) and the text sent
 * in it never arrived. Here the window is made by hand: each side drops the
 * other from its mesh for the topic, as if it had not been grafted yet, and
 * the heartbeats graft them again.
 */

const world = new DepartmentWorld()
afterEach(async () => { await world.stop() })

interface Meshes { mesh: Map<string, Set<string>> }

describe('a device the department node had not yet put in its mesh', () => {
  it('gets the text sent in that window when the GRAFT comes, from the node\'s store', async () => {
    await world.start()
    const asha = await (await world.enrol('asha'))()
    const bala = await (await world.enrol('bala'))()
    for (const d of [asha, bala]) await waitFor('department reached', () => d.messenger.status().mode === 'department', { subscribe: (wake) => d.messenger.on('status', wake) })
    await waitFor('asha knows bala', async () => (await asha.messenger.contacts()).some(c => c.handle === 'bala'))
    const group = await asha.messenger.createGroup('Flood relief', ['bala'])
    await asha.messenger.send(group.id, 'before the window')
    await waitFor('bala has the first text', async () => (await bala.messenger.history(group.id).catch(() => ({ messages: [] }))).messages.some(m => m.text === 'before the window'),
      { timeoutMs: 30_000, subscribe: (wake) => bala.messenger.on('message', wake) })

    const nodeMesh = (world.node.libp2p.services.pubsub as unknown as Meshes).mesh
    const balaMesh = (bala.libp2p.services.pubsub as unknown as Meshes).mesh
    const nodeId = world.node.libp2p.peerId.toString()
    const balaId = bala.libp2p.peerId.toString()
    // the window: neither has grafted the other for the conversation yet
    nodeMesh.get(group.id)?.delete(balaId)
    balaMesh.get(group.id)?.delete(nodeId)
    const text = 'sent before the node grafted bala'
    await asha.messenger.send(group.id, text)
    await waitFor('the text stored at the node', async () => (await asha.messenger.history(group.id)).messages.some(m => m.text === text && m.state !== 'queued'), { timeoutMs: 30_000 })
    expect(nodeMesh.get(group.id)?.has(balaId) ?? false, 'bala was out of the node\'s mesh when the text went by').toBe(false)

    // before the fix: never (nothing else brings it until bala reconnects)
    await waitFor('bala has the text', async () => (await bala.messenger.history(group.id)).messages.some(m => m.text === text),
      { timeoutMs: 15_000, subscribe: (wake) => bala.messenger.on('message', wake) })
    expect(nodeMesh.get(group.id)?.has(balaId)).toBe(true)
    expect((await bala.messenger.history(group.id)).messages.filter(m => m.text === text)).toHaveLength(1)
  }, 90_000)
})
