import { afterEach, describe, expect, it } from 'vitest'
import { waitFor } from '../helpers/wait.js'
import { DepartmentWorld } from './department.js'

const world = new DepartmentWorld()
afterEach(async () => { await world.stop() })

describe('a member removed from a group', () => {
  it('sees it closed (by whom, when), is told once, cannot send to it, and keeps its history', async () => {
    await world.start()
    const asha = await (await world.enrol('asha'))()
    const bala = await (await world.enrol('bala'))()
    const openChandra = await world.enrol('chandra')
    let chandra = await openChandra()
    for (const d of [asha, bala, chandra]) await waitFor('department reached', () => d.messenger.status().mode === 'department', { timeoutMs: 20_000 })
    await waitFor('directory loaded', async () => (await asha.messenger.contacts()).length >= 2, { timeoutMs: 20_000 })
    const group = await asha.messenger.createGroup('Audit', ['bala', 'chandra'])
    for (const d of [bala, chandra]) await waitFor('joined', async () => (await d.messenger.conversations()).some(c => c.id === group.id), { timeoutMs: 30_000 })
    expect((await chandra.messenger.conversations()).find(c => c.id === group.id)).toMatchObject({ state: 'active' })
    await asha.messenger.send(group.id, 'before the removal')
    await waitFor('chandra reads it', async () => (await chandra.messenger.history(group.id)).messages.some(m => m.text === 'before the removal'), { timeoutMs: 30_000 })

    const removals: unknown[] = []
    chandra.messenger.on('conversation-removed', (r) => { removals.push(r) })
    const before = Date.now()
    await asha.messenger.removeMember(group.id, 'chandra')
    await waitFor('chandra sees it closed', async () => (await chandra.messenger.conversations()).find(c => c.id === group.id)?.state === 'closed', { timeoutMs: 30_000 })
    const closed = (await chandra.messenger.conversations()).find(c => c.id === group.id)
    expect(closed).toMatchObject({ title: 'Audit', state: 'closed', closed: { reason: 'removed', by: { handle: 'asha' } } })
    expect(closed?.closed?.at).toBeGreaterThanOrEqual(before - 1000)

    // what the group says after the removal reaches chandra as envelopes she cannot read: no second notice
    await asha.messenger.send(group.id, 'after the removal')
    await waitFor('bala reads it', async () => (await bala.messenger.history(group.id)).messages.some(m => m.text === 'after the removal'), { timeoutMs: 30_000 })
    await waitFor('chandra got the envelope too', async () => { await chandra.messenger.catchUp().catch(() => 0); return true }, { timeoutMs: 10_000 })
    await chandra.messenger.idle()
    expect(removals).toEqual([{ conversationId: group.id, reason: 'removed' }])

    await expect(chandra.messenger.send(group.id, 'can I still write?')).rejects.toMatchObject({ name: 'ConversationClosedError' })
    const history = (await chandra.messenger.history(group.id)).messages
    expect(history.some(m => m.text === 'before the removal')).toBe(true)
    expect(history.some(m => m.text === 'after the removal')).toBe(false)

    // closed for good: a restart does not bring it back
    await chandra.stop()
    chandra = await openChandra()
    expect((await chandra.messenger.conversations()).find(c => c.id === group.id)).toMatchObject({ state: 'closed', closed: { reason: 'removed', by: { handle: 'asha' } } })
    await expect(chandra.messenger.send(group.id, 'and now?')).rejects.toMatchObject({ name: 'ConversationClosedError' })
  }, 180_000)
})
