import { afterEach, describe, expect, it } from 'vitest'
import { waitFor } from '../helpers/wait.js'
import { DepartmentWorld } from './department.js'

const world = new DepartmentWorld()
afterEach(async () => { await world.stop() })

describe('an officer added to a conversation while online', () => {
  it('reads what was sent right after her Welcome, before her subscription reached the mesh, without reconnecting', async () => {
    await world.start()
    const asha = await (await world.enrol('asha'))()
    const bala = await (await world.enrol('bala'))()
    for (const d of [asha, bala]) await waitFor('department reached', () => d.messenger.status().mode === 'department', { subscribe: (wake) => d.messenger.on('status', wake) })
    await waitFor('asha knows bala', async () => (await asha.messenger.contacts()).some(c => c.handle === 'bala'))
    const link = bala.libp2p.getConnections(world.node.libp2p.peerId).find(c => c.status === 'open')
    expect(link).toBeDefined()

    const group = await asha.messenger.createGroup('Flood relief', ['bala'])
    // Sent at once: published on the conversation topic before bala has even read her Welcome.
    const texts = ['first report', 'second report', 'third report']
    for (const text of texts) await asha.messenger.send(group.id, text)
    await waitFor('every text stored at the node', async () => (await asha.messenger.history(group.id)).messages.filter(m => texts.includes(m.text) && m.state !== 'queued').length === texts.length, { timeoutMs: 30_000 })

    await waitFor('bala reads all three', async () => {
      if (!(await bala.messenger.conversations()).some(c => c.id === group.id)) return false
      const got = (await bala.messenger.history(group.id)).messages.filter(m => !m.fromMe).map(m => m.text)
      return texts.every(t => got.includes(t)) ? got : false
    }, { timeoutMs: 30_000, subscribe: (wake) => bala.messenger.on('message', wake) })
    const shown = (await bala.messenger.history(group.id)).messages.filter(m => texts.includes(m.text))
    expect(shown.map(m => m.text).sort()).toEqual([...texts].sort()) // each once
    expect(link?.status).toBe('open') // the same connection all along: no reconnect brought them
  }, 120_000)
})
