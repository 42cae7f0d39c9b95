import { afterEach, describe, expect, it } from 'vitest'
import { RecordNotFoundError } from '../errors.js'
import type { StoredMessage } from '../message-record.js'
import { bytes, closeHarness, conversation, incoming, openHarness, outgoing, T0, type Harness, type MakeLocation } from './fixtures.js'

/**
 * Issue 16's records: edits and deletions of stored messages, per-member
 * receipts, directives with acknowledgements, drafts, mute, settings and
 * search, on every backend, plain and sealed, across a reopen.
 */
export function everydayContract (makeLocation: MakeLocation): void {
  describe('everyday messaging records', () => {
    let h: Harness | undefined
    afterEach(async () => { await closeHarness(h); h = undefined })

    it('an edit changes text and preview; a deletion empties both and a later edit cannot undo it', async () => {
      h = await openHarness(makeLocation)
      await h.store.conversations.create(conversation('c1'))
      await h.store.messages.add({ ...incoming('c1', 'm1', T0 + 1, 'first draft'), replyTo: { id: 'm0', text: 'the question', sender: 'Asha Rao' } })
      await h.store.commit([{ type: 'message-edit', id: 'm1', text: 'second draft', at: T0 + 2 }])
      let store = await h.reopen()
      expect(await store.messages.get('m1')).toMatchObject({ text: 'second draft', editedAt: T0 + 2, replyTo: { id: 'm0', text: 'the question', sender: 'Asha Rao' } })
      expect((await store.conversations.get('c1'))?.lastMessage?.text).toBe('second draft')
      await store.commit([{ type: 'message-delete', id: 'm1', at: T0 + 3 }])
      await store.commit([{ type: 'message-edit', id: 'm1', text: 'back again', at: T0 + 4 }])
      store = await h.reopen()
      expect(await store.messages.get('m1')).toMatchObject({ text: '', deletedAt: T0 + 3 })
      expect((await store.conversations.get('c1'))?.lastMessage?.text).toBe('')
      await expect(store.commit([{ type: 'message-delete', id: 'nope', at: T0 }])).rejects.toThrow(RecordNotFoundError)
    })

    it('a file goes with its message: deleted for everyone or expired, the file record (its key) and its chunks are gone', async () => {
      h = await openHarness(makeLocation)
      await h.store.conversations.create(conversation('c1'))
      const withFile = (id: string, fileId: string, extra: Partial<StoredMessage> = {}): StoredMessage => ({
        ...incoming('c1', id, T0 + 1, 'survey.pdf'), kind: 'file', attachment: { fileId, name: 'survey.pdf', mediaType: 'application/pdf', size: 3 }, ...extra
      })
      const file = (fileId: string) => ({ fileId, conversationId: 'c1', manifest: bytes(1, 2, 3), fromMe: false, createdAt: T0, uploadedTo: [] })
      const kept = 'ee'.repeat(32)
      for (const [id, fileId, extra] of [['m1', 'aa'.repeat(32), {}], ['m2', 'bb'.repeat(32), { expiresAt: T0 + 10 }], ['m3', kept, {}]] as const) {
        await h.store.commit([{ type: 'file-put', file: file(fileId) }, { type: 'file-chunks', fileId, first: 0, chunks: [bytes(9), bytes(8)] }, { type: 'message-add', message: withFile(id, fileId, extra) }])
      }
      await h.store.commit([{ type: 'message-delete', id: 'm1', at: T0 + 5 }])
      expect(await h.store.messages.deleteExpired(T0 + 10, 10)).toEqual([{ id: 'm2', conversationId: 'c1' }])
      const store = await h.reopen()
      for (const gone of ['aa'.repeat(32), 'bb'.repeat(32)]) {
        expect(await store.files.get(gone)).toBeUndefined()
        expect(await store.files.heldChunks(gone)).toEqual([])
        expect(await store.files.heldAmong(gone, 2)).toEqual([])
      }
      expect(await store.files.get(kept)).toMatchObject({ fileId: kept })
      expect(await store.files.heldChunks(kept)).toEqual([0, 1])
      // by key alone (HELD answers): the same indexes, none past the two kept
      expect(await store.files.heldAmong(kept, 3)).toEqual([0, 1])
      expect(await store.messages.get('m1')).toMatchObject({ deletedAt: T0 + 5 })
    })

    // issue 11 part 4: a message's precedence is kept across a reopen, and a record without one reads as routine
    it('keeps a flash or immediate precedence on a message; older records have none', async () => {
      h = await openHarness(makeLocation)
      await h.store.conversations.create(conversation('c1'))
      await h.store.messages.add({ ...incoming('c1', 'm1', T0 + 1, 'bridge closed'), precedence: 'flash' })
      await h.store.messages.add({ ...outgoing('c1', 'm2', T0 + 2), precedence: 'immediate' })
      await h.store.messages.add({ ...incoming('c1', 'm3', T0 + 3, 'routine'), precedence: 'routine' })
      await h.store.messages.add(incoming('c1', 'm4', T0 + 4, 'from before precedence'))
      const store = await h.reopen()
      expect((await store.messages.get('m1'))?.precedence).toBe('flash')
      expect((await store.messages.get('m2'))?.precedence).toBe('immediate')
      expect(await store.messages.get('m3')).not.toHaveProperty('precedence')
      expect(await store.messages.get('m4')).not.toHaveProperty('precedence')
    })

    // issue 16 part 1: a text from the officer's own other device stays marked so across a reopen, and is never unread
    it('keeps a message from the officer\'s other device marked as such, read and not counted unread', async () => {
      h = await openHarness(makeLocation)
      await h.store.conversations.create(conversation('c1'))
      await h.store.messages.add({ ...incoming('c1', 'm1', T0 + 1, 'from my phone'), state: 'read', fromMyOtherDevice: true })
      await h.store.messages.add(incoming('c1', 'm2', T0 + 2, 'from bala'))
      const store = await h.reopen()
      expect(await store.messages.get('m1')).toMatchObject({ fromMyOtherDevice: true, state: 'read' })
      expect(await store.messages.get('m2')).not.toHaveProperty('fromMyOtherDevice')
      expect((await store.conversations.get('c1'))?.unread).toBe(1)
    })

    it('member receipts only move forward; a read counts as delivered', async () => {
      h = await openHarness(makeLocation)
      await h.store.conversations.create(conversation('c1'))
      await h.store.messages.add(outgoing('c1', 'm1', T0 + 1, 'sent'))
      await h.store.commit([
        { type: 'member-receipt', messageId: 'm1', deviceKey: 'bb'.repeat(32), handle: 'bilal', receipt: 'read', at: T0 + 5 },
        { type: 'member-receipt', messageId: 'm1', deviceKey: 'cc'.repeat(32), handle: 'chitra', receipt: 'delivered', at: T0 + 3 },
        { type: 'member-receipt', messageId: 'm1', deviceKey: 'bb'.repeat(32), handle: 'bilal', receipt: 'delivered', at: T0 + 9 }
      ])
      const receipts = await (await h.reopen()).memberReceipts.of('m1')
      expect(receipts.sort((a, b) => a.handle.localeCompare(b.handle))).toEqual([
        { deviceKey: 'bb'.repeat(32), handle: 'bilal', deliveredAt: T0 + 5, readAt: T0 + 5 },
        { deviceKey: 'cc'.repeat(32), handle: 'chitra', deliveredAt: T0 + 3 }
      ])
    })

    it('directives and their acknowledgements keep the first copy per device', async () => {
      h = await openHarness(makeLocation)
      await h.store.commit([
        { type: 'directive-put', id: 'd1', conversationId: 'c1', directive: new Uint8Array([1, 2, 3]) },
        { type: 'directive-put', id: 'd1', conversationId: 'c1', directive: new Uint8Array([9]) },
        { type: 'directive-ack-put', id: 'd1', ack: { deviceKey: 'bb'.repeat(32), handle: 'bilal', at: T0, ack: new Uint8Array([4]) } },
        { type: 'directive-ack-put', id: 'd1', ack: { deviceKey: 'bb'.repeat(32), handle: 'bilal', at: T0 + 1, ack: new Uint8Array([5]) } }
      ])
      const store = await h.reopen()
      expect(await store.directives.get('d1')).toEqual({ conversationId: 'c1', directive: new Uint8Array([1, 2, 3]) })
      expect(await store.directives.acks('d1')).toEqual([{ deviceKey: 'bb'.repeat(32), handle: 'bilal', at: T0, ack: new Uint8Array([4]) }])
      expect(await store.directives.get('d2')).toBeUndefined()
    })

    it('drafts, mute and settings survive a reopen; clearing removes them', async () => {
      h = await openHarness(makeLocation)
      await h.store.prefs.set('c1', { draft: 'half a thought' })
      await h.store.prefs.set('c1', { muted: true })
      await h.store.prefs.putSetting('editWindowMs', 900_000)
      let store = await h.reopen()
      expect(await store.prefs.of('c1')).toEqual({ draft: 'half a thought', muted: true })
      expect(await store.prefs.setting('editWindowMs')).toBe(900_000)
      await store.prefs.set('c1', { draft: '', muted: false })
      store = await h.reopen()
      expect(await store.prefs.of('c1')).toEqual({})
      expect(await store.prefs.setting('missing')).toBeUndefined()
    })

    it('search finds Urdu and English, normalised and case-folded, never deleted messages', async () => {
      h = await openHarness(makeLocation)
      await h.store.conversations.create(conversation('c1'))
      await h.store.conversations.create(conversation('c2'))
      await h.store.messages.add(incoming('c1', 'm1', T0 + 1, 'The BUDGET review is on Friday'))
      // typed on an Arabic keyboard (Arabic kaf and yeh), with a zer: still the Urdu words
      await h.store.messages.add(incoming('c2', 'm2', T0 + 2, 'كتاب مالي سال كي رپورٹ بھیجِیں'))
      await h.store.messages.add(incoming('c2', 'm3', T0 + 3, 'budget draft attached'))
      await h.store.messages.add(incoming('c2', 'm4', T0 + 4, 'old budget text'))
      await h.store.commit([{ type: 'message-delete', id: 'm4', at: T0 + 5 }])
      const store = await h.reopen()
      expect((await store.search('budget')).map(m => m.id)).toEqual(['m3', 'm1'])
      expect((await store.search('Budget  REVIEW')).map(m => m.id)).toEqual(['m1'])
      expect((await store.search('کتاب')).map(m => m.id)).toEqual(['m2'])
      expect((await store.search('سال کی رپورٹ')).map(m => m.id)).toEqual(['m2'])
      expect((await store.search('budget', { conversationId: 'c1' })).map(m => m.id)).toEqual(['m1'])
      expect((await store.search('budget', { limit: 1 })).map(m => m.id)).toEqual(['m3'])
      expect(await store.search('nowhere')).toEqual([])
      await expect(store.search('  ')).rejects.toThrow(/at least one word/)
    })
  })
}
