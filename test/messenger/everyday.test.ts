import { afterEach, describe, expect, it } from 'vitest'
import { encodeAppContent, fromHex, toHex } from '@dak/protocol'
import type { OpenDevice } from '../../node/src/device/open-device.js'
import type { ChatMessage } from '../../node/src/messenger/api.js'
import { OUTBOX } from '../../node/src/messenger/outgoing.js'
import { waitFor } from '../helpers/wait.js'
import { DepartmentWorld } from './department.js'

const world = new DepartmentWorld()
afterEach(async () => { await world.stop() })

async function find (device: OpenDevice, conversationId: string, id: string): Promise<ChatMessage | undefined> {
  return (await device.messenger.history(conversationId, { limit: 200 })).messages.find(m => m.id === id)
}

async function sealedId (device: OpenDevice, conversationId: string, text: string): Promise<string> {
  return await waitFor(`"${text}" sealed`, async () => (await device.messenger.history(conversationId)).messages.find(m => m.text === text && /^[0-9a-f]{64}$/.test(m.id))?.id, { timeoutMs: 30_000 })
}

describe('everyday messaging through a department node', () => {
  it('edits and deletions reach every member, one offline at the time too; a non-sender\'s edit is refused; replies quote; search finds Urdu and English; read by N of M', async () => {
    // a department that allows 30 minutes: its devices learn it from the node
    await world.start('mof.budget', { editWindowMinutes: 30 })
    const [openAsha, openBala, openChitra] = [await world.enrol('asha'), await world.enrol('bala'), await world.enrol('chitra')]
    const asha = await openAsha()
    const bala = await openBala()
    let chitra = await openChitra()
    for (const d of [asha, bala, chitra]) await waitFor('department reached', () => d.messenger.status().mode === 'department', { timeoutMs: 30_000 })
    await waitFor('edit window learnt', async () => await asha.messenger.editWindow() === 30 * 60_000, { timeoutMs: 30_000 })
    await waitFor('directory loaded', async () => (await asha.messenger.contacts()).length >= 2, { timeoutMs: 30_000 })
    const group = await asha.messenger.createGroup('Budget cell', ['bala', 'chitra'])
    await waitFor('bala joined', async () => (await bala.messenger.conversations()).some(c => c.id === group.id), { timeoutMs: 60_000 })
    await waitFor('chitra joined', async () => (await chitra.messenger.conversations()).some(c => c.id === group.id), { timeoutMs: 60_000 })

    await asha.messenger.send(group.id, 'The budget review is on Friday')
    await asha.messenger.send(group.id, 'مالی سال کی رپورٹ جمعہ تک بھیجیں')
    await asha.messenger.send(group.id, 'This line will be withdrawn')
    const review = await sealedId(asha, group.id, 'The budget review is on Friday')
    const urdu = await sealedId(asha, group.id, 'مالی سال کی رپورٹ جمعہ تک بھیجیں')
    const withdrawn = await sealedId(asha, group.id, 'This line will be withdrawn')
    await waitFor('chitra has all three', async () => (await find(chitra, group.id, withdrawn)) != null, { timeoutMs: 30_000 })

    // chitra goes offline; asha edits and deletes meanwhile
    await chitra.messenger.idle()
    await chitra.stop()
    const edited = await asha.messenger.edit(group.id, review, 'The budget review moves to Monday')
    expect(edited).toMatchObject({ text: 'The budget review moves to Monday', editedAt: expect.any(Number) })
    await asha.messenger.deleteMessage(group.id, withdrawn)
    await waitFor('bala sees the edit and the deletion', async () => {
      const [r, w] = [await find(bala, group.id, review), await find(bala, group.id, withdrawn)]
      return r?.text === 'The budget review moves to Monday' && r.editedAt != null && w?.deletedAt != null && w.text === ''
    }, { timeoutMs: 30_000, subscribe: (wake) => bala.messenger.on('message-changed', wake) })

    // bala may not edit asha's message: refused on his device...
    await expect(bala.messenger.edit(group.id, review, 'Bala was here')).rejects.toMatchObject({ name: 'EditRefusedError' })
    // ...and an edit he crafts and sends anyway (a changed client) is refused by every receiver
    const refusedAtAsha = new Promise<{ name: string, message: string }>((resolve) => {
      const off = asha.messenger.on('error', (e) => { if (e.name === 'EditRefusedError') { off(); resolve(e) } })
    })
    const forged = encodeAppContent({ kind: 'edit', target: fromHex(review), text: 'Bala was here', clientId: new Uint8Array(16).fill(7) })
    await bala.store.commit([{ type: 'outbox-add', entry: { id: 'c' + toHex(new Uint8Array(16).fill(9)), conversationId: group.id, kind: OUTBOX.control, payload: forged, createdAt: Date.now() } }])
    // a reply quoting the review goes out after it (and kicks bala's outbox)
    await bala.messenger.send(group.id, 'Monday suits me', { replyTo: review })
    expect((await refusedAtAsha).message).toMatch(/only Asha may edit or delete/)
    const reply = await waitFor('the reply at asha', async () => (await asha.messenger.history(group.id)).messages.find(m => m.text === 'Monday suits me'), { timeoutMs: 30_000 })
    expect(reply.replyTo).toEqual({ id: review, text: 'The budget review moves to Monday', sender: 'Asha' })
    expect((await find(asha, group.id, review))?.text).toBe('The budget review moves to Monday')

    // chitra comes back: the edit and the deletion reach her too; the forged edit does not
    chitra = await openChitra()
    await waitFor('chitra caught up with the reply', async () => (await chitra.messenger.history(group.id)).messages.some(m => m.text === 'Monday suits me'), { timeoutMs: 60_000, subscribe: (wake) => chitra.messenger.on('message', wake) })
    expect(await find(chitra, group.id, review)).toMatchObject({ text: 'The budget review moves to Monday', editedAt: expect.any(Number) })
    expect(await find(chitra, group.id, withdrawn)).toMatchObject({ text: '', deletedAt: expect.any(Number) })

    // search on the device, in both scripts; a deleted message is never found
    expect((await chitra.messenger.search('BUDGET monday')).map(h => h.message.id)).toEqual([review])
    expect((await chitra.messenger.search('رپورٹ')).map(h => h.message.id)).toEqual([urdu])
    expect((await chitra.messenger.search('کی رپورٹ', { conversationId: group.id }))[0]?.conversationTitle).toBe('Budget cell')
    expect(await chitra.messenger.search('withdrawn')).toEqual([])

    // read by N of M: chitra and bala read; asha's own message shows it
    await bala.messenger.markRead(group.id)
    await chitra.messenger.markRead(group.id)
    await waitFor('read by 2 of 2', async () => (await find(asha, group.id, urdu))?.receipts?.read === 2, { timeoutMs: 30_000, subscribe: (wake) => asha.messenger.on('message-changed', wake) })
    expect((await find(asha, group.id, urdu))?.receipts).toEqual({ delivered: 2, read: 2, of: 2 })

    // drafts and mute are this device's own, kept across a restart
    await chitra.messenger.setDraft(group.id, 'half a reply')
    await chitra.messenger.setMuted(group.id, true)
    await chitra.stop()
    chitra = await openChitra()
    expect((await chitra.messenger.conversations()).find(c => c.id === group.id)).toMatchObject({ draft: 'half a reply', muted: true })
  }, 300_000)
})
