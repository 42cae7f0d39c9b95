import { afterEach, describe, expect, it } from 'vitest'
import { waitFor } from '../helpers/wait.js'
import { DepartmentWorld } from './department.js'

const world = new DepartmentWorld()
afterEach(async () => { await world.stop() })

describe('a direct chat whose other officer\'s access was withdrawn', () => {
  it('closes with the reason in plain words, refuses a send instead of queueing it forever, and keeps its title and history', async () => {
    const node = await world.start()
    const asha = await (await world.enrol('asha'))()
    const bala = await (await world.enrol('bala'))()
    const chandra = await (await world.enrol('chandra'))()
    for (const d of [asha, bala, chandra]) await waitFor('department reached', () => d.messenger.status().mode === 'department', { timeoutMs: 20_000 })
    for (const d of [asha, chandra]) await waitFor('directory loaded', async () => (await d.messenger.contacts()).length >= 2, { timeoutMs: 20_000 })

    // asha started the chat with bala (she can remove him); chandra started his with asha (only he could remove himself)
    const withBala = await asha.messenger.startDirect('bala')
    const withChandra = await chandra.messenger.startDirect('asha')
    await waitFor('bala joined', async () => (await bala.messenger.conversations()).some(c => c.id === withBala.id), { timeoutMs: 60_000 })
    await waitFor('asha joined chandra\'s chat', async () => (await asha.messenger.conversations()).some(c => c.id === withChandra.id), { timeoutMs: 60_000 })
    await asha.messenger.send(withBala.id, 'before bala left')
    await waitFor('bala reads it', async () => (await bala.messenger.history(withBala.id)).messages.some(m => m.text === 'before bala left'), { timeoutMs: 30_000 })
    await chandra.messenger.send(withChandra.id, 'before chandra left')
    await waitFor('asha reads chandra', async () => (await asha.messenger.history(withChandra.id)).messages.some(m => m.text === 'before chandra left'), { timeoutMs: 30_000 })

    const heard: string[] = []
    asha.messenger.on('conversation', (c) => { if (c.state === 'closed') heard.push(c.id) })
    await node.revoke({ handle: 'bala' })
    await node.revoke({ handle: 'chandra' })

    // asha administers the chat with bala: her device removes him, and the chat closes
    await waitFor('the chat with bala closed at asha', async () => (await asha.messenger.conversations()).find(c => c.id === withBala.id)?.state === 'closed', { timeoutMs: 60_000 })
    // ... and once her removal of bala is committed, every client is told (the chat has only asha in it now)
    await waitFor('asha\'s clients hear it', () => heard.includes(withBala.id), { timeoutMs: 60_000 })
    await waitFor('bala removed', async () => (await asha.messenger.conversations()).find(c => c.id === withBala.id)?.members.length === 1, { timeoutMs: 60_000 })
    const closed = (await asha.messenger.conversations()).find(c => c.id === withBala.id)
    expect(closed).toMatchObject({ title: 'Bala', state: 'closed', closed: { reason: 'other-revoked', by: { handle: 'bala' } } })
    expect(closed?.closed?.text).toContain('Bala\'s access was withdrawn; this chat is closed')
    await expect(asha.messenger.send(withBala.id, 'are you there?')).rejects.toMatchObject({ name: 'ConversationClosedError', message: expect.stringContaining('Bala\'s access was withdrawn; this chat is closed') })
    expect((await asha.messenger.history(withBala.id)).messages.map(m => m.text)).toContain('before bala left')

    // chandra administers his chat, and nobody can remove him now: it reads closed as soon as asha knows he is revoked
    await waitFor('the chat with chandra reads closed', async () => (await asha.messenger.conversations()).find(c => c.id === withChandra.id)?.state === 'closed', { timeoutMs: 60_000 })
    await expect(asha.messenger.send(withChandra.id, 'still there?')).rejects.toMatchObject({ name: 'ConversationClosedError', message: expect.stringContaining('Chandra\'s access was withdrawn; this chat is closed') })
    expect((await asha.messenger.conversations()).find(c => c.id === withChandra.id)).toMatchObject({ title: 'Chandra', closed: { reason: 'other-revoked', by: { handle: 'chandra' } } })
    expect((await asha.messenger.history(withChandra.id)).messages.map(m => m.text)).toContain('before chandra left')
    expect((await asha.messenger.history(withChandra.id)).messages.some(m => m.text === 'still there?')).toBe(false)
  }, 240_000)
})
