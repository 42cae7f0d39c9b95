import { InvalidArgumentError, MalformedInputError } from '@dak/protocol'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { RecordNotFoundError } from '../errors.js'
import type { StoredMessage } from '../message-record.js'
import { T0, closeHarness, conversation, incoming, openHarness, outgoing, type Harness, type MakeLocation } from './fixtures.js'

/** A fixed permutation (multiplication by a unit mod n) so insertion order is scrambled yet repeatable. */
function scrambled<T> (items: T[]): T[] {
  return items.map((_, i) => items[(i * 7919) % items.length] as T)
}

function byPosition (a: StoredMessage, b: StoredMessage): number {
  return a.sentAt - b.sentAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
}

export function historyContract (make: MakeLocation): void {
  describe('message history', () => {
    let h: Harness
    beforeEach(async () => { h = await openHarness(make) })
    afterEach(async () => { await closeHarness(h) })

    it('pages 500 messages newest page first, each exactly once, in (sentAt, id) order', async () => {
      const c = 'dak/c/0001'
      await h.store.conversations.create(conversation(c))
      // Three messages per millisecond, so the id must break ties; inserted out of order.
      const all = Array.from({ length: 500 }, (_, i) => i % 2 === 0
        ? incoming(c, `m${String(i).padStart(4, '0')}`, T0 + Math.floor(i / 3))
        : outgoing(c, `m${String(i).padStart(4, '0')}`, T0 + Math.floor(i / 3), 'sent'))
      const inserts = scrambled(all)
      for (let i = 0; i < inserts.length; i += 50) {
        await h.store.commit(inserts.slice(i, i + 50).map(message => ({ type: 'message-add' as const, message })))
      }

      const pages: StoredMessage[][] = []
      let before: string | undefined
      do {
        const page = await h.store.messages.history(c, { limit: 37, ...(before !== undefined ? { before } : {}) })
        pages.push(page.messages)
        before = page.before
      } while (before !== undefined)

      expect(pages).toHaveLength(Math.ceil(500 / 37))
      for (const page of pages) expect(page).toEqual([...page].sort(byPosition))
      expect(pages.slice(0, -1).every(page => page.length === 37)).toBe(true)
      expect(pages.reverse().flat()).toEqual([...all].sort(byPosition))
    })

    it('a cursor keeps its place when newer messages arrive between pages', async () => {
      const c = 'dak/c/0002'
      await h.store.conversations.create(conversation(c))
      for (let i = 0; i < 10; i++) await h.store.messages.add(incoming(c, `a${i}`, T0 + i))
      const first = await h.store.messages.history(c, { limit: 4 })
      expect(first.messages.map(m => m.id)).toEqual(['a6', 'a7', 'a8', 'a9'])
      await h.store.messages.add(incoming(c, 'late', T0 + 100))
      const second = await h.store.messages.history(c, { limit: 4, before: first.before })
      expect(second.messages.map(m => m.id)).toEqual(['a2', 'a3', 'a4', 'a5'])
      const third = await h.store.messages.history(c, { limit: 4, before: second.before })
      expect(third).toEqual({ messages: [incoming(c, 'a0', T0), incoming(c, 'a1', T0 + 1)] })
    })

    it('never shows one conversation the messages of another whose id extends its own', async () => {
      await h.store.conversations.create(conversation('dak/c/ab'))
      await h.store.conversations.create(conversation('dak/c/abc'))
      await h.store.conversations.create(conversation('dak/c/a'))
      await h.store.messages.add(incoming('dak/c/ab', 'x1', T0))
      await h.store.messages.add(incoming('dak/c/abc', 'x2', T0))
      await h.store.messages.add(incoming('dak/c/a', 'x3', T0))
      expect((await h.store.messages.history('dak/c/ab')).messages.map(m => m.id)).toEqual(['x1'])
      expect((await h.store.messages.history('dak/c/abc')).messages.map(m => m.id)).toEqual(['x2'])
      expect((await h.store.messages.history('dak/c/a')).messages.map(m => m.id)).toEqual(['x3'])
    })

    it('an empty conversation has an empty page and no cursor', async () => {
      await h.store.conversations.create(conversation('dak/c/empty'))
      expect(await h.store.messages.history('dak/c/empty')).toEqual({ messages: [] })
    })

    it('refuses bad cursors, bad limits and unknown conversations with typed errors', async () => {
      await h.store.conversations.create(conversation('dak/c/0003'))
      await expect(h.store.messages.history('dak/c/0003', { before: 'not-a-cursor' })).rejects.toThrow(MalformedInputError)
      await expect(h.store.messages.history('dak/c/0003', { before: '12!x' })).rejects.toThrow(MalformedInputError)
      await expect(h.store.messages.history('dak/c/0003', { limit: 0 })).rejects.toThrow(InvalidArgumentError)
      await expect(h.store.messages.history('dak/c/0003', { limit: 501 })).rejects.toThrow(InvalidArgumentError)
      await expect(h.store.messages.history('dak/c/none')).rejects.toThrow(RecordNotFoundError)
      await expect(h.store.messages.history('bad id with spaces')).rejects.toThrow(InvalidArgumentError)
    })

    it('finds a message by id, and knows which ids it has', async () => {
      await h.store.conversations.create(conversation('dak/c/0004'))
      const message = incoming('dak/c/0004', 'f00d', T0)
      await h.store.messages.add(message)
      expect(await h.store.messages.get('f00d')).toEqual(message)
      expect(await h.store.messages.has('f00d')).toBe(true)
      expect(await h.store.messages.has('beef')).toBe(false)
      expect(await h.store.messages.get('beef')).toBeUndefined()
    })

    it('gives a queued message its sealed id without moving or losing it', async () => {
      const c = 'dak/c/0005'
      await h.store.conversations.create(conversation(c))
      await h.store.messages.add(outgoing(c, 'local-1', T0 + 5))
      const renamed = await h.store.messages.rename('local-1', 'a1b2c3')
      expect(renamed).toEqual({ ...outgoing(c, 'local-1', T0 + 5), id: 'a1b2c3' })
      expect(await h.store.messages.get('local-1')).toBeUndefined()
      expect(await h.store.messages.get('a1b2c3')).toEqual(renamed)
      expect((await h.store.messages.history(c)).messages).toEqual([renamed])
      expect((await h.store.conversations.get(c))?.lastMessage?.id).toBe('a1b2c3')
    })
  })
}
