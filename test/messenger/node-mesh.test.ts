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
    // whether bala was in the node's mesh as each text reached the node (gossipsub forwards in the same turn)
    const meshedAtArrival: boolean[] = []
    world.node.libp2p.services.pubsub.addEventListener('message', (event) => {
      if (event.detail.topic === group.id) meshedAtArrival.push(nodeMesh.get(group.id)?.has(balaId) ?? false)
    })

    // A heartbeat may graft bala again before the text arrives (then it goes by gossip as usual):
    // the window is made again, a bounded number of times, until a text meets it.
    let metWindow = false
    for (let attempt = 1; attempt <= 5 && !metWindow; attempt++) {
      nodeMesh.get(group.id)?.delete(balaId)
      balaMesh.get(group.id)?.delete(nodeId)
      meshedAtArrival.length = 0
      const text = `sent before the node grafted bala (${attempt})`
      await asha.messenger.send(group.id, text)
      await waitFor('the text at the node', () => meshedAtArrival.length > 0, { timeoutMs: 30_000 })
      metWindow = meshedAtArrival[0] === false
      // before the fix, a text that met the window never came (nothing else brings it until bala reconnects)
      await waitFor(`bala has text ${attempt}`, async () => (await bala.messenger.history(group.id)).messages.some(m => m.text === text),
        { timeoutMs: 15_000, subscribe: (wake) => bala.messenger.on('message', wake) })
      expect((await bala.messenger.history(group.id)).messages.filter(m => m.text === text)).toHaveLength(1)
    }
    expect(metWindow, 'a text reached the node while bala was out of its mesh').toBe(true)
    expect(nodeMesh.get(group.id)?.has(balaId)).toBe(true)
  }, 90_000)
})
