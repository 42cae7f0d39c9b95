import { afterEach, describe, expect, it } from 'vitest'
import type { ConversationSummary } from '../../node/src/messenger/api.js'
import { waitFor } from '../helpers/wait.js'
import { DepartmentWorld } from './department.js'

const world = new DepartmentWorld()
afterEach(async () => { await world.stop() })

describe('a new direct chat', () => {
  it('is titled by the other officer from the start, lists both, waits for the other device, and opens with no "added" line', async () => {
    await world.start()
    const asha = await (await world.enrol('asha'))()
    const heard: ConversationSummary[] = []
    asha.messenger.on('conversation', (c) => { heard.push(c) })
    // bala is enrolled but has never been online: no key packages at the node, no device to ask
    const openBala = await world.enrol('bala')
    await waitFor('department reached', () => asha.messenger.status().mode === 'department', { timeoutMs: 20_000 })
    await waitFor('asha knows bala from the directory', async () => (await asha.messenger.contacts()).some(c => c.handle === 'bala'), { timeoutMs: 20_000 })

    const chat = await asha.messenger.startDirect('bala')
    expect(chat).toMatchObject({ kind: 'direct', title: 'Bala', state: 'active' })
    expect(chat.members.map(m => m.handle).sort()).toEqual(['asha', 'bala'])
    expect(chat.waitingFor.map(m => m.handle)).toEqual(['bala'])
    await asha.messenger.idle()
    const listed = (await asha.messenger.conversations()).find(c => c.id === chat.id)
    expect(listed).toMatchObject({ title: 'Bala', waitingFor: [{ handle: 'bala' }] })

    const bala = await openBala()
    await waitFor('bala joined', async () => (await bala.messenger.conversations()).some(c => c.id === chat.id), { timeoutMs: 120_000 })
    // told, not only when asked: `dak listen` and the web client see the chat become ready
    await waitFor('asha hears that the chat is ready', () => heard.some(c => c.id === chat.id && c.waitingFor.length === 0), { timeoutMs: 60_000 })
    await waitFor('asha no longer waits', async () => (await asha.messenger.conversations()).find(c => c.id === chat.id)?.waitingFor.length === 0, { timeoutMs: 30_000 })
    await asha.messenger.send(chat.id, 'hello bala')
    await waitFor('bala reads it', async () => (await bala.messenger.history(chat.id)).messages.some(m => m.text === 'hello bala'), { timeoutMs: 30_000 })
    await waitFor('bala sees a direct chat titled by asha', async () => {
      const seen = (await bala.messenger.conversations()).find(c => c.id === chat.id)
      return seen?.kind === 'direct' && seen.title === 'Asha'
    }, { timeoutMs: 30_000 })
    for (const device of [asha, bala]) {
      const summary = (await device.messenger.conversations()).find(c => c.id === chat.id)
      expect(summary?.members.map(m => m.handle).sort()).toEqual(['asha', 'bala'])
      expect((await device.messenger.history(chat.id)).messages.filter(m => m.kind === 'system')).toEqual([])
    }
  }, 240_000)
})
