import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { T0, closeHarness, conversation, incoming, openHarness, outgoing, type Harness, type MakeLocation } from './fixtures.js'

/** Disappearing messages: the expiry index, the bounded delete and what it fixes up. */
export function expiryContract (make: MakeLocation): void {
  describe('messages: expiry (disappearing messages)', () => {
    let h: Harness
    const c = 'dak/c/00ee'
    beforeEach(async () => {
      h = await openHarness(make)
      await h.store.conversations.create(conversation(c))
    })
    afterEach(async () => { await closeHarness(h) })

    it('deletes expired messages oldest expiry first, in bounded batches, with their unread entry and preview', async () => {
      await h.store.messages.add(incoming(c, 'keep', T0))
      await h.store.messages.add({ ...incoming(c, 'gone1', T0 + 1), expiresAt: T0 + 100 })
      await h.store.messages.add({ ...incoming(c, 'gone2', T0 + 2), expiresAt: T0 + 50 })
      await h.store.messages.add({ ...incoming(c, 'later', T0 + 3), expiresAt: T0 + 10_000 })
      expect(await h.store.messages.nextExpiry()).toBe(T0 + 50)
      expect(await h.store.messages.deleteExpired(T0 + 49, 10)).toEqual([])
      expect(await h.store.messages.deleteExpired(T0 + 100, 1)).toEqual([{ id: 'gone2', conversationId: c }])
      expect(await h.store.messages.deleteExpired(T0 + 100, 10)).toEqual([{ id: 'gone1', conversationId: c }])
      expect((await h.store.messages.history(c)).messages.map(m => m.id)).toEqual(['keep', 'later'])
      expect(await h.store.messages.get('gone1')).toBeUndefined()
      expect((await h.store.conversations.get(c))?.unread).toBe(2)
      expect(await h.store.messages.nextExpiry()).toBe(T0 + 10_000)
      // the newest message goes: the preview falls back to the one before it
      expect(await h.store.messages.deleteExpired(T0 + 10_000, 10)).toEqual([{ id: 'later', conversationId: c }])
      const after = await h.store.conversations.get(c)
      expect(after?.lastMessage?.id).toBe('keep')
      expect(after?.unread).toBe(1)
      expect(await h.store.messages.nextExpiry()).toBeUndefined()
    })

    it('keeps the expiry with a queued message renamed on sealing, and survives a reopen', async () => {
      await h.store.messages.add({ ...outgoing(c, 'qlocal', T0), expiresAt: T0 + 500 })
      await h.store.messages.rename('qlocal', 'sealed')
      const store = await h.reopen()
      expect((await store.messages.get('sealed'))?.expiresAt).toBe(T0 + 500)
      expect(await store.messages.deleteExpired(T0 + 500, 10)).toEqual([{ id: 'sealed', conversationId: c }])
      expect((await store.conversations.get(c))?.lastMessage).toBeUndefined()
    })

    it('keeps the conversation timer on the record until changed; 0 turns it off', async () => {
      expect((await h.store.conversations.update(c, { timerMs: 86_400_000 })).timerMs).toBe(86_400_000)
      expect((await h.store.conversations.update(c, { title: 'x' })).timerMs).toBe(86_400_000)
      expect((await h.store.conversations.update(c, { timerMs: 0 })).timerMs).toBeUndefined()
      await expect(h.store.conversations.update(c, { timerMs: -1 })).rejects.toMatchObject({ name: 'InvalidArgumentError' })
    })
  })
}
