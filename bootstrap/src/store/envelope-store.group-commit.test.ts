import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest'
import { InvalidSignatureError, MalformedInputError, verifyStoreReceipt, type OpenedEnvelope } from '@dak/protocol'
import { EnvelopeStore, type DepositOutcome, type EnvelopeStoreOptions } from './envelope-store.js'
import { QuotaExceededError } from './errors.js'
import { DAY_MS, MAX_GROUP_COMMIT_BYTES, MAX_GROUP_COMMIT_DEPOSITS } from './limits.js'
import { envelope, NOW, observeBatches, openTempDb, STORE_BACKENDS, stopTestEngine, seededKey, type ObservedDb, type TempDb } from './test-helpers.js'
import type { Db } from './level.js'

/** The registry's contract, on the embedded engine and on the shared one (docs/scaled.md). */
describe.each(STORE_BACKENDS)('on %s', (backend) => {
  afterAll(stopTestEngine)


  const node = seededKey('group commit node')
  const alice = seededKey('alice device')
  const bob = seededKey('bob device')

  let temp: TempDb<Db>
  let observed: ObservedDb
  beforeEach(async () => {
    temp = await openTempDb(backend)
    observed = observeBatches(temp.db)
  })
  afterEach(async () => { await temp.cleanup() })

  function store (options: Partial<EnvelopeStoreOptions> = {}): EnvelopeStore {
    return new EnvelopeStore({ db: observed.db, nodeKey: node, ...options })
  }

  /** Each deposit's outcome or error, so one refusal does not hide the others. */
  async function settled (s: EnvelopeStore, list: Uint8Array[], now = NOW): Promise<Array<DepositOutcome | Error>> {
    return await Promise.all(list.map(async bytes => await s.deposit(bytes, now).catch((err: Error) => err)))
  }

  function flipped (e: OpenedEnvelope): Uint8Array {
    const bytes = e.bytes.slice()
    bytes[bytes.length - 1] = (bytes[bytes.length - 1] ?? 0) ^ 1
    return bytes
  }

  describe('group commit', () => {
    it('writes deposits made at once on many topics in one synced batch, each with its own receipt', async () => {
      const s = store()
      const sealed = Array.from({ length: 64 }, (_, i) => envelope(i % 2 === 0 ? alice : bob, `topic-${i % 8}`, i))
      const results = await Promise.all(sealed.map(async e => await s.deposit(e.bytes, NOW)))
      expect(observed.synced).toHaveLength(1)
      results.forEach((r, i) => {
        expect(r.duplicate).toBe(false)
        expect(verifyStoreReceipt(r.receipt, node.publicKey)).toMatchObject({ topic: `topic-${i % 8}`, messageId: sealed[i]?.id, sequence: Math.floor(i / 8) + 1 })
      })
      expect(await s.stats()).toMatchObject({ envelopes: 64, topics: 8 })
    })

    it('writes the deposits that arrive while a batch is being written together in the next one', async () => {
      const s = store()
      const first = s.deposit(envelope(alice, 'busy', 0).bytes, NOW)
      await observed.nextSync()
      // The first batch is with LevelDB now; these queue behind it.
      const rest = Array.from({ length: 40 }, (_, i) => s.deposit(envelope(i % 2 === 0 ? alice : bob, i % 3 === 0 ? 'busy' : 'quiet', i + 1).bytes, NOW))
      const results = await Promise.all([first, ...rest])
      expect(observed.synced).toHaveLength(2)
      const busy = results.filter((_, i) => i === 0 || (i - 1) % 3 === 0).map(r => r.sequence)
      expect(busy).toEqual(busy.map((_, i) => i + 1))
    })

    it(`bounds a batch at ${MAX_GROUP_COMMIT_DEPOSITS} deposits`, async () => {
      const s = store()
      const results = await Promise.all(Array.from({ length: MAX_GROUP_COMMIT_DEPOSITS + 1 }, async (_, i) => await s.deposit(envelope(alice, `t-${i % 3}`, i).bytes, NOW)))
      expect(observed.synced).toHaveLength(2)
      expect(results.map(r => r.sequence).sort((a, b) => a - b).at(-1)).toBe(Math.ceil((MAX_GROUP_COMMIT_DEPOSITS + 1) / 3))
    })

    it('bounds a batch by envelope bytes', async () => {
      const s = store()
      const size = envelope(alice, 'large', 0, { payloadBytes: 200_000 }).bytes.length
      const perBatch = Math.floor(MAX_GROUP_COMMIT_BYTES / size)
      await Promise.all(Array.from({ length: perBatch + 1 }, async (_, i) => await s.deposit(envelope(alice, 'large', i, { payloadBytes: 200_000 }).bytes, NOW)))
      expect(observed.synced).toHaveLength(2)
      expect((await s.query('large', 0, 0, 0)).entries.map(e => e.sequence)).toEqual(Array.from({ length: perBatch }, (_, i) => i + 1))
    })

    it('within one batch: a repeat gets the first copy\'s answer; bad envelopes and quota overruns are refused alone', async () => {
      const s = store({ quotaEnvelopesPerDay: 2 })
      const a1 = envelope(alice, 't', 1)
      const results = await settled(s, [
        a1.bytes, a1.bytes, new Uint8Array([1, 2, 3]), envelope(alice, 't', 2).bytes, envelope(alice, 't', 3).bytes,
        flipped(envelope(bob, 't', 4)), envelope(bob, 't', 5).bytes, a1.bytes
      ])
      expect(observed.synced).toHaveLength(1)
      const [first, repeat, garbage, a2, a3, forged, b5, again] = results
      expect(first).toMatchObject({ sequence: 1, duplicate: false })
      expect(repeat).toEqual({ ...first, duplicate: true })
      expect(again).toEqual({ ...first, duplicate: true })
      expect(garbage).toBeInstanceOf(MalformedInputError)
      expect(a2).toMatchObject({ sequence: 2, duplicate: false })
      expect(a3).toBeInstanceOf(QuotaExceededError)
      expect(forged).toBeInstanceOf(InvalidSignatureError)
      expect(b5).toMatchObject({ sequence: 3, duplicate: false })
      expect(await s.stats()).toMatchObject({ envelopes: 3 })
      // The quota written was alice's two, and it resets the next day.
      await expect(s.deposit(envelope(alice, 't', 6).bytes, NOW)).rejects.toThrow(QuotaExceededError)
      expect((await s.deposit(envelope(alice, 't', 7, { timestamp: NOW + DAY_MS }).bytes, NOW + DAY_MS)).sequence).toBe(4)
    })

    it('refuses every deposit of a batch whose write fails, and moves no counter', async () => {
      const s = store({ quotaEnvelopesPerDay: 2 })
      const stored = envelope(bob, 't', 0)
      await s.deposit(stored.bytes, NOW)
      const diskFull = new Error('disk full')
      observed.failNextSync(diskFull)
      const a1 = envelope(alice, 't', 1)
      const a2 = envelope(alice, 't', 2)
      const [already, first, repeat, second, over] = await settled(s, [stored.bytes, a1.bytes, a1.bytes, a2.bytes, envelope(alice, 't', 3).bytes])
      // Already durable before this batch: answered whatever became of it.
      expect(already).toMatchObject({ sequence: 1, duplicate: true })
      for (const result of [first, repeat, second, over]) expect(result).toBe(diskFull)
      expect(await s.stats()).toMatchObject({ envelopes: 1 })
      // Nothing of the failed batch was kept, on disk or in memory: the same deposits go through afresh.
      expect(await settled(s, [a1.bytes, a2.bytes, envelope(alice, 't', 3).bytes])).toMatchObject([
        { sequence: 2, duplicate: false }, { sequence: 3, duplicate: false }, expect.any(QuotaExceededError)
      ])
    })

    it('keeps counts right when a purge runs among deposits on the same topics', async () => {
      const s = store({ retentionDays: 1 })
      await Promise.all(Array.from({ length: 20 }, async (_, i) => await s.deposit(envelope(alice, `t-${i % 2}`, i).bytes, NOW)))
      const later = NOW + DAY_MS + 1
      const [purged] = await Promise.all([
        s.purge(later),
        ...Array.from({ length: 20 }, async (_, i) => await s.deposit(envelope(bob, `t-${i % 2}`, 100 + i, { timestamp: later }).bytes, later))
      ])
      expect(purged).toBe(20)
      expect(await s.stats()).toEqual({ envelopes: 20, bytes: 20 * envelope(bob, 't-0', 100, { timestamp: later }).bytes.length, topics: 2 })
      expect((await s.query('t-0', 0, 0, 0)).entries.map(e => e.sequence)).toEqual([11, 12, 13, 14, 15, 16, 17, 18, 19, 20])
    })
  })
})
