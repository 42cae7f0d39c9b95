import { DuplicateMessageError, InvalidArgumentError } from '@dak/protocol'
import fc from 'fast-check'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { MessageState } from '../../messenger/api.js'
import { InvalidStateTransitionError, RecordNotFoundError } from '../errors.js'
import { OUTGOING_STATES } from '../message-state.js'
import { T0, closeHarness, conversation, incoming, openHarness, outgoing, type Harness, type MakeLocation } from './fixtures.js'

export function messageContract (make: MakeLocation): void {
  describe('messages: dedupe, states, unread counts', () => {
    let h: Harness
    const c = 'dak/c/00aa'
    beforeEach(async () => {
      h = await openHarness(make)
      await h.store.conversations.create(conversation(c))
    })
    afterEach(async () => { await closeHarness(h) })

    it('refuses a message id it already has, and changes nothing', async () => {
      await h.store.messages.add(incoming(c, 'dup', T0))
      await expect(h.store.messages.add(incoming(c, 'dup', T0 + 9, 'other text'))).rejects.toThrow(DuplicateMessageError)
      expect((await h.store.messages.history(c)).messages).toEqual([incoming(c, 'dup', T0)])
      expect((await h.store.conversations.get(c))?.unread).toBe(1)
    })

    it('moves outgoing states forward only, whatever order receipts arrive in', async () => {
      let n = 0
      await fc.assert(fc.asyncProperty(fc.array(fc.constantFrom(...OUTGOING_STATES), { maxLength: 12 }), async (updates) => {
        const id = `out${n++}`
        await h.store.messages.add(outgoing(c, id, T0))
        let highest = 0
        for (const state of updates) {
          const before = OUTGOING_STATES.indexOf((await h.store.messages.get(id))?.state as typeof OUTGOING_STATES[number])
          const after = await h.store.messages.setState(id, state)
          const rank = OUTGOING_STATES.indexOf(after.state as typeof OUTGOING_STATES[number])
          highest = Math.max(highest, OUTGOING_STATES.indexOf(state))
          expect(rank).toBeGreaterThanOrEqual(before)
          expect(rank).toBe(highest)
        }
        expect((await h.store.messages.get(id))?.state).toBe(OUTGOING_STATES[highest])
      }), { numRuns: 25 })
    })

    it('refuses a state from the other direction and keeps the current one', async () => {
      await h.store.messages.add(incoming(c, 'in1', T0))
      await h.store.messages.add(outgoing(c, 'out1', T0, 'stored'))
      for (const state of ['sent', 'stored', 'delivered', 'queued'] as MessageState[]) {
        await expect(h.store.messages.setState('in1', state)).rejects.toThrow(InvalidStateTransitionError)
      }
      await expect(h.store.messages.setState('out1', 'received')).rejects.toThrow(InvalidStateTransitionError)
      await expect(h.store.messages.add(outgoing(c, 'out2', T0, 'received'))).rejects.toThrow(InvalidStateTransitionError)
      expect((await h.store.messages.get('in1'))?.state).toBe('received')
      expect((await h.store.messages.get('out1'))?.state).toBe('stored')
      await expect(h.store.messages.setState('nope', 'read')).rejects.toThrow(RecordNotFoundError)
    })

    it('counts unread incoming messages and marks them read up to a message', async () => {
      for (let i = 0; i < 5; i++) await h.store.messages.add(incoming(c, `in${i}`, T0 + i * 10))
      await h.store.messages.add(outgoing(c, 'mine', T0 + 15))
      expect((await h.store.conversations.get(c))?.unread).toBe(5)

      expect(await h.store.messages.markRead(c, 'in2')).toBe(3)
      expect((await h.store.conversations.get(c))?.unread).toBe(2)
      const states = (await h.store.messages.history(c)).messages.map(m => [m.id, m.state])
      expect(states).toEqual([['in0', 'read'], ['in1', 'read'], ['mine', 'queued'], ['in2', 'read'], ['in3', 'received'], ['in4', 'received']])

      expect(await h.store.messages.markRead(c, 'in2')).toBe(0)
      await h.store.messages.setState('in4', 'read')
      expect((await h.store.conversations.get(c))?.unread).toBe(1)
      expect(await h.store.messages.markRead(c)).toBe(1)
      expect((await h.store.conversations.get(c))?.unread).toBe(0)
      expect((await h.store.messages.get('mine'))?.state).toBe('queued')
    })

    it('refuses to mark read up to a message of another conversation', async () => {
      await h.store.conversations.create(conversation('dak/c/00bb'))
      await h.store.messages.add(incoming('dak/c/00bb', 'elsewhere', T0))
      await h.store.messages.add(incoming(c, 'here', T0))
      await expect(h.store.messages.markRead(c, 'elsewhere')).rejects.toThrow(InvalidArgumentError)
      expect((await h.store.conversations.get(c))?.unread).toBe(1)
    })

    it('keeps the unread count exact under many concurrent writes', async () => {
      await Promise.all(Array.from({ length: 40 }, async (_, i) => await h.store.messages.add(incoming(c, `c${i}`, T0 + i))))
      await Promise.all([h.store.messages.markRead(c, 'c9'), h.store.messages.setState('c30', 'read'), h.store.messages.add(incoming(c, 'c40', T0 + 40))])
      expect((await h.store.conversations.get(c))?.unread).toBe(41 - 10 - 1)
    })

    it('orders conversations by last activity and keeps the newest preview', async () => {
      await h.store.conversations.create(conversation('dak/c/00bb', T0 + 1))
      await h.store.conversations.create(conversation('dak/c/00cc', T0 + 2))
      expect((await h.store.conversations.list()).map(x => x.id)).toEqual(['dak/c/00cc', 'dak/c/00bb', c])

      await h.store.messages.add(incoming(c, 'new', T0 + 50, 'x'.repeat(500)))
      await h.store.messages.add(incoming(c, 'old', T0 + 20, 'caught up late'))
      const [first] = await h.store.conversations.list({ limit: 1 })
      expect(first?.id).toBe(c)
      expect(first?.lastActivityAt).toBe(T0 + 50)
      expect(first?.lastMessage).toEqual({ id: 'new', text: 'x'.repeat(140), sentAt: T0 + 50, fromMe: false })
      expect((await h.store.conversations.list()).map(x => x.id)).toEqual([c, 'dak/c/00cc', 'dak/c/00bb'])
    })

    it('refuses a message for a conversation it does not know', async () => {
      await expect(h.store.messages.add(incoming('dak/c/ffff', 'm', T0))).rejects.toThrow(RecordNotFoundError)
      expect(await h.store.messages.has('m')).toBe(false)
    })
  })
}
