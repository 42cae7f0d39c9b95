import { verifyStoreReceipt } from '@dak/protocol'
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  FutureTimestampError, InvalidArgumentError, InvalidSignatureError, MAX_CLOCK_SKEW_MS, MAX_ENVELOPE_BYTES, MalformedInputError, TooLargeError
} from '@dak/protocol'
import { EnvelopeStore, type EnvelopeStoreOptions } from './envelope-store.js'
import { ExpiredEnvelopeError, QuotaExceededError } from './errors.js'
import { DAY_MS } from './limits.js'
import { envelope, NOW, openTempDb, STORE_BACKENDS, stopTestEngine, seededKey, type TempDb } from './test-helpers.js'
import type { Db } from './level.js'

/** The registry's contract, on the embedded engine and on the shared one (docs/scaled.md). */
describe.each(STORE_BACKENDS)('on %s', (backend) => {
  afterAll(stopTestEngine)


  const node = seededKey('store node')
  const alice = seededKey('alice device')
  const bob = seededKey('bob device')

  let temp: TempDb<Db>
  beforeEach(async () => { temp = await openTempDb(backend) })
  afterEach(async () => { await temp.cleanup() })

  function store (options: Partial<EnvelopeStoreOptions> = {}): EnvelopeStore {
    return new EnvelopeStore({ db: temp.db, nodeKey: node, ...options })
  }

  describe('deposit', () => {
    it('numbers each topic from 1 and signs a receipt for exactly what it stored', async () => {
      const s = store()
      const a1 = envelope(alice, 'topic-a', 1)
      const r1 = await s.deposit(a1.bytes, NOW)
      const r2 = await s.deposit(envelope(alice, 'topic-a', 2).bytes, NOW)
      const b1 = await s.deposit(envelope(bob, 'topic-b', 1).bytes, NOW)
      expect([r1.sequence, r2.sequence, b1.sequence]).toEqual([1, 2, 1])
      expect(r1.duplicate).toBe(false)
      expect(verifyStoreReceipt(r1.receipt, node.publicKey)).toMatchObject({ topic: 'topic-a', messageId: a1.id, sequence: 1, storedAt: NOW })
    })

    it('stores the same envelope once and answers a repeat with the first sequence and receipt', async () => {
      const s = store()
      const e = envelope(alice, 'topic-a', 1)
      const first = await s.deposit(e.bytes, NOW)
      await s.deposit(envelope(alice, 'topic-a', 2).bytes, NOW)
      const again = await s.deposit(e.bytes, NOW + 5_000)
      expect(again).toEqual({ ...first, duplicate: true })
      expect(await s.stats()).toEqual({ envelopes: 2, bytes: e.bytes.length + envelope(alice, 'topic-a', 2).bytes.length, topics: 1 })
    })

    it('never hands out a sequence twice under concurrent deposits on one topic', async () => {
      const s = store()
      const results = await Promise.all(Array.from({ length: 40 }, async (_, i) => await s.deposit(envelope(i % 2 === 0 ? alice : bob, 'busy', i).bytes, NOW)))
      expect(results.map(r => r.sequence).sort((x, y) => x - y)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1))
    })

    it('stores one copy when the same envelope arrives many times at once', async () => {
      const s = store()
      const e = envelope(alice, 'topic-a', 7)
      const results = await Promise.all(Array.from({ length: 10 }, async () => await s.deposit(e.bytes, NOW)))
      expect(new Set(results.map(r => r.sequence))).toEqual(new Set([1]))
      expect(results.filter(r => !r.duplicate)).toHaveLength(1)
      expect((await s.stats()).envelopes).toBe(1)
    })

    it('refuses bad input with a typed error and stores nothing', async () => {
      const s = store()
      const e = envelope(alice, 'topic-a', 1)
      const flipped = e.bytes.slice()
      flipped[flipped.length - 1] = (flipped[flipped.length - 1] ?? 0) ^ 1
      await expect(s.deposit(new Uint8Array([1, 2, 3]), NOW)).rejects.toThrow(MalformedInputError)
      await expect(s.deposit(flipped, NOW)).rejects.toThrow(InvalidSignatureError)
      await expect(s.deposit(new Uint8Array(MAX_ENVELOPE_BYTES + 1), NOW)).rejects.toThrow(TooLargeError)
      await expect(s.deposit(envelope(alice, 'topic-a', 2, { timestamp: NOW + MAX_CLOCK_SKEW_MS + 1 }).bytes, NOW)).rejects.toThrow(FutureTimestampError)
      await expect(s.deposit(envelope(alice, 'topic-a', 3, { timestamp: NOW - 90 * DAY_MS }).bytes, NOW)).rejects.toThrow(ExpiredEnvelopeError)
      expect(await s.stats()).toEqual({ envelopes: 0, bytes: 0, topics: 0 })
      expect((await s.deposit(e.bytes, NOW)).sequence).toBe(1)
    })

    it('keeps everything, and the numbering, across a restart', async () => {
      await store().deposit(envelope(alice, 'topic-a', 1).bytes, NOW)
      await store().deposit(envelope(alice, 'topic-a', 2).bytes, NOW)
      await temp.reopen()
      const s = store()
      expect((await s.deposit(envelope(alice, 'topic-a', 3).bytes, NOW)).sequence).toBe(3)
      expect((await s.deposit(envelope(alice, 'topic-a', 1).bytes, NOW)).duplicate).toBe(true)
      expect((await s.query('topic-a', 0, 0, 0)).entries.map(e => e.sequence)).toEqual([1, 2, 3])
    })
  })

  describe('quotas', () => {
    it('refuses a device over its envelopes per day, not other devices, and resets the next day', async () => {
      const s = store({ quotaEnvelopesPerDay: 2 })
      await s.deposit(envelope(alice, 't', 1).bytes, NOW)
      await s.deposit(envelope(alice, 't', 2).bytes, NOW)
      await expect(s.deposit(envelope(alice, 't', 3).bytes, NOW)).rejects.toThrow(QuotaExceededError)
      expect((await s.deposit(envelope(bob, 't', 3).bytes, NOW)).sequence).toBe(3)
      // A repeat costs nothing: it is not stored again.
      expect((await s.deposit(envelope(alice, 't', 1).bytes, NOW)).duplicate).toBe(true)
      expect((await s.deposit(envelope(alice, 't', 4, { timestamp: NOW + DAY_MS }).bytes, NOW + DAY_MS)).sequence).toBe(4)
    })

    it('refuses a device over its bytes per day', async () => {
      const one = envelope(alice, 't', 1, { payloadBytes: 1000 })
      const s = store({ quotaBytesPerDay: one.bytes.length * 2 + 10 })
      await s.deposit(one.bytes, NOW)
      await s.deposit(envelope(alice, 't', 2, { payloadBytes: 1000 }).bytes, NOW)
      await expect(s.deposit(envelope(alice, 't', 3, { payloadBytes: 1000 }).bytes, NOW)).rejects.toThrow(QuotaExceededError)
    })
  })

  describe('query', () => {
    it('pages a topic by count with a cursor and tells when there is more', async () => {
      const s = store()
      for (let i = 1; i <= 5; i++) await s.deposit(envelope(alice, 'paged', i).bytes, NOW)
      await s.deposit(envelope(alice, 'other', 99).bytes, NOW)
      const first = await s.query('paged', 0, 2, 0)
      expect(first.entries.map(e => e.sequence)).toEqual([1, 2])
      expect(first).toMatchObject({ nextAfterSequence: 2, hasMore: true })
      const last = await s.query('paged', 4, 10, 0)
      expect(last.entries.map(e => e.sequence)).toEqual([5])
      expect(last).toMatchObject({ nextAfterSequence: 5, hasMore: false })
      expect(last.entries[0]?.envelope).toEqual(envelope(alice, 'paged', 5).bytes)
      expect(await s.query('paged', 5, 10, 0)).toEqual({ entries: [], nextAfterSequence: 5, hasMore: false })
      expect(await s.query('never-used', 0, 10, 0)).toEqual({ entries: [], nextAfterSequence: 0, hasMore: false })
    })

    it('bounds a page by bytes but always returns at least one entry', async () => {
      const s = store()
      const size = envelope(alice, 'big', 1, { payloadBytes: 4000 }).bytes.length
      for (let i = 1; i <= 3; i++) await s.deposit(envelope(alice, 'big', i, { payloadBytes: 4000 }).bytes, NOW)
      const tiny = await s.query('big', 0, 10, 1)
      expect(tiny.entries.map(e => e.sequence)).toEqual([1])
      expect(tiny.hasMore).toBe(true)
      const two = await s.query('big', 0, 10, size * 3 - 1)
      expect(two.entries.map(e => e.sequence)).toEqual([1, 2])
    })

    it('refuses impossible arguments with a typed error', async () => {
      const s = store()
      await expect(s.query('', 0, 1, 1)).rejects.toThrow(InvalidArgumentError)
      await expect(s.query('x'.repeat(129), 0, 1, 1)).rejects.toThrow(InvalidArgumentError)
      await expect(s.query('t', -1, 1, 1)).rejects.toThrow(InvalidArgumentError)
      await expect(s.query('t', 0, 1.5, 1)).rejects.toThrow(InvalidArgumentError)
    })
  })

  describe('retention', () => {
    it('purges old envelopes, keeps the numbering, and refuses replays of what it purged', async () => {
      const s = store({ retentionDays: 10 })
      const old = envelope(alice, 'kept', 1)
      await s.deposit(old.bytes, NOW)
      await s.deposit(envelope(alice, 'kept', 2).bytes, NOW)
      const later = NOW + 5 * DAY_MS
      await s.deposit(envelope(alice, 'kept', 3, { timestamp: later }).bytes, later)
      expect(await s.purge(NOW + 10 * DAY_MS + 1)).toBe(2)
      expect(await s.stats()).toMatchObject({ envelopes: 1, topics: 1 })
      expect((await s.query('kept', 0, 0, 0)).entries.map(e => e.sequence)).toEqual([3])
      const afterPurge = NOW + 10 * DAY_MS + 2
      expect((await s.deposit(envelope(alice, 'kept', 4, { timestamp: afterPurge }).bytes, afterPurge)).sequence).toBe(4)
      await expect(s.deposit(old.bytes, afterPurge)).rejects.toThrow(ExpiredEnvelopeError)
      expect(await s.purge(afterPurge)).toBe(0)
    })

    it('purges a prefix of each topic even when the clock stepped back', async () => {
      const s = store({ retentionDays: 1 })
      await s.deposit(envelope(alice, 't', 1).bytes, NOW + 1000)
      await s.deposit(envelope(alice, 't', 2).bytes, NOW) // clock went back a second
      await s.purge(NOW + DAY_MS + 500)
      // Sequence 2 was stamped no earlier than sequence 1, so it is not left behind as a lone survivor.
      expect((await s.query('t', 0, 0, 0)).entries.map(e => e.sequence)).toEqual([1, 2])
      await s.purge(NOW + DAY_MS + 1001)
      expect((await s.query('t', 0, 0, 0)).entries).toEqual([])
    })
  })
})
