import { afterEach, describe, expect, it } from 'vitest'
import { waitFor } from '../helpers/wait.js'
import { DepartmentWorld } from './department.js'

const world = new DepartmentWorld()
afterEach(async () => { await world.stop() })

describe('a department node outage', () => {
  it('a Node.js device redials its node when it returns, and what was queued meanwhile gets stored', async () => {
    await world.start()
    const asha = await (await world.enrol('asha'))()
    const openBala = await world.enrol('bala')
    const bala = await openBala()
    for (const d of [asha, bala]) await waitFor('department reached', () => d.messenger.status().mode === 'department', { timeoutMs: 20_000 })
    await waitFor('directory loaded', async () => (await asha.messenger.contacts()).length >= 1, { timeoutMs: 20_000 })
    const group = await asha.messenger.createGroup('Field reports', ['bala'])
    await waitFor('bala joined', async () => (await bala.messenger.conversations()).some(c => c.id === group.id), { timeoutMs: 30_000 })
    await bala.stop() // offline: only the node can take what asha sends now

    await world.crash()
    await waitFor('asha sees the node gone', () => asha.messenger.status().departmentNodes === 0, {
      timeoutMs: 20_000,
      subscribe: (wake) => asha.messenger.on('status', wake)
    })
    const queued = await asha.messenger.send(group.id, 'sent while the node was down')
    expect(queued.state).not.toBe('stored')

    await world.restart()
    await waitFor('asha back on the department node', () => asha.messenger.status().mode === 'department', {
      timeoutMs: 45_000,
      subscribe: (wake) => asha.messenger.on('status', wake)
    })
    await waitFor('the queued text stored at the node', async () => (await asha.messenger.history(group.id)).messages.find(m => m.text === queued.text)?.state === 'stored', { timeoutMs: 45_000 })

    const again = await openBala()
    await waitFor('bala reads it after catching up', async () => (await again.messenger.history(group.id)).messages.some(m => m.text === 'sent while the node was down'), { timeoutMs: 45_000 })
  }, 180_000)
})
