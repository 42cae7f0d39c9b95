import fc from 'fast-check'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { OUTBOX_BASE_DELAY_MS, OUTBOX_MAX_DELAY_MS } from '../constants.js'
import { RecordExistsError, RecordNotFoundError } from '../errors.js'
import type { NewOutboxEntry } from '../outbox.js'
import { T0, bytes, closeHarness, openHarness, type Harness, type MakeLocation } from './fixtures.js'

function entry (id: string, createdAt: number, nextAttemptAt?: number): NewOutboxEntry {
  return { id, conversationId: 'dak/c/0b0b', kind: 'message', payload: bytes(1, 2, 3, id.length), createdAt, ...(nextAttemptAt !== undefined ? { nextAttemptAt } : {}) }
}

export function outboxContract (make: MakeLocation): void {
  describe('outbox', () => {
    let h: Harness
    beforeEach(async () => { h = await openHarness(make) })
    afterEach(async () => { await closeHarness(h) })

    it('lists what is due at a time, soonest first, and nothing from the future', async () => {
      await h.store.outbox.add(entry('later', T0, T0 + 1000))
      await h.store.outbox.add(entry('second', T0, T0 + 10))
      await h.store.outbox.add(entry('first', T0 + 5))
      expect((await h.store.outbox.due(T0)).map(e => e.id)).toEqual([])
      expect((await h.store.outbox.due(T0 + 10)).map(e => e.id)).toEqual(['first', 'second'])
      expect((await h.store.outbox.due(T0 + 10, { limit: 1 })).map(e => e.id)).toEqual(['first'])
      expect(await h.store.outbox.nextDueAt()).toBe(T0 + 5)
      expect(await h.store.outbox.size()).toBe(3)
      expect(await h.store.outbox.get('first')).toEqual({ ...entry('first', T0 + 5), attempts: 0, nextAttemptAt: T0 + 5 })
    })

    it('hands out due entries lane by lane (precedence), then the bulk, soonest first within each; a retry keeps the lane', async () => {
      // bulk entries older than every laned one, and more of them than a page
      for (let i = 0; i < 5; i++) await h.store.outbox.add(entry(`bulk${i}`, T0 + i))
      await h.store.outbox.add({ ...entry('routine', T0 + 10), lane: 2 })
      await h.store.outbox.add({ ...entry('immediate', T0 + 11), lane: 1 })
      await h.store.outbox.add({ ...entry('flash', T0 + 12), lane: 0 })
      await h.store.outbox.add({ ...entry('flash-later', T0 + 1_000_000), lane: 0 })
      expect((await h.store.outbox.due(T0 + 20)).map(e => e.id)).toEqual(['flash', 'immediate', 'routine', 'bulk0', 'bulk1', 'bulk2', 'bulk3', 'bulk4'])
      expect((await h.store.outbox.due(T0 + 20, { limit: 1 })).map(e => e.id)).toEqual(['flash'])
      expect((await h.store.outbox.due(T0 + 20, { limit: 4 })).map(e => e.id)).toEqual(['flash', 'immediate', 'routine', 'bulk0'])
      expect((await h.store.outbox.get('flash'))?.lane).toBe(0)
      expect(await h.store.outbox.nextDueAt()).toBe(T0)
      expect(await h.store.outbox.size()).toBe(9)
      // a failed flash waits its backoff, still in its lane; completed, it leaves every index
      const retried = await h.store.outbox.recordAttempt('flash', T0 + 20)
      expect(retried.lane).toBe(0)
      expect((await h.store.outbox.due(T0 + 20, { limit: 1 })).map(e => e.id)).toEqual(['immediate'])
      expect((await h.store.outbox.due(retried.nextAttemptAt, { limit: 1 })).map(e => e.id)).toEqual(['flash'])
      expect(await h.store.outbox.complete('flash')).toBe(true)
      expect((await h.store.outbox.due(T0 + 1_000_000)).map(e => e.id)).toEqual(['flash-later', 'immediate', 'routine', 'bulk0', 'bulk1', 'bulk2', 'bulk3', 'bulk4'])
    })

    it('due() is the lanes in order, then the bulk, each by (nextAttemptAt, id), cut to the limit: for any mix (property)', async () => {
      let run = 0
      const entries = fc.array(fc.record({ at: fc.integer({ min: 0, max: 20 }), lane: fc.option(fc.integer({ min: 0, max: 2 }), { nil: undefined }) }), { minLength: 1, maxLength: 14 })
      await fc.assert(fc.asyncProperty(entries, fc.integer({ min: 0, max: 20 }), fc.option(fc.integer({ min: 1, max: 16 }), { nil: undefined }), async (specs, now, limit) => {
        run++
        const added = specs.map((spec, i) => ({ id: `r${run}e${i}`, at: T0 + spec.at, lane: spec.lane }))
        for (const e of added) await h.store.outbox.add({ ...entry(e.id, T0, e.at), ...(e.lane !== undefined ? { lane: e.lane } : {}) })
        const key = (e: { at: number, id: string }): string => `${e.at}!${e.id}`
        const expected = added
          .filter(e => e.at <= T0 + now)
          .sort((a, b) => (a.lane ?? 3) - (b.lane ?? 3) || (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0))
          .slice(0, limit ?? added.length)
          .map(e => e.id)
        expect((await h.store.outbox.due(T0 + now, limit !== undefined ? { limit } : {})).map(e => e.id)).toEqual(expected)
        for (const e of added) await h.store.outbox.complete(e.id)
        expect(await h.store.outbox.size()).toBe(0)
      }), { numRuns: 40 })
    })

    it('refuses a lane outside 0-2', async () => {
      await expect(h.store.outbox.add({ ...entry('x', T0), lane: 3 })).rejects.toThrow(/lane/)
      await expect(h.store.outbox.add({ ...entry('y', T0), lane: -1 })).rejects.toThrow(/lane/)
    })

    it('backs off exponentially with jitter after each failed attempt, capped at five minutes', async () => {
      await h.store.outbox.add(entry('e', T0))
      let now = T0
      const waits: number[] = []
      for (let attempt = 1; attempt <= 12; attempt++) {
        const updated = await h.store.outbox.recordAttempt('e', now, `no route ${attempt}`)
        expect(updated.attempts).toBe(attempt)
        expect(updated.lastError).toBe(`no route ${attempt}`)
        waits.push(updated.nextAttemptAt - now)
        // Not due a millisecond early, due exactly on time.
        expect(await h.store.outbox.due(updated.nextAttemptAt - 1)).toEqual([])
        expect(await h.store.outbox.due(updated.nextAttemptAt)).toEqual([updated])
        now = updated.nextAttemptAt
      }
      // The harness's jitter is 0.5: three quarters of each window.
      expect(waits.slice(0, 4)).toEqual([1, 2, 4, 8].map(k => 0.75 * OUTBOX_BASE_DELAY_MS * k))
      expect(waits.at(-1)).toBe(0.75 * OUTBOX_MAX_DELAY_MS)
      expect(waits.every((wait, i) => i === 0 || wait >= (waits[i - 1] ?? 0))).toBe(true)
    })

    it('retryNow makes every entry waiting past now due now, keeping attempts, errors and lanes, and touches nothing already due', async () => {
      await h.store.outbox.add(entry('due', T0, T0))
      await h.store.outbox.add({ ...entry('flash', T0, T0 + 60_000), lane: 0 })
      for (let i = 0; i < 70; i++) await h.store.outbox.add(entry(`bulk${String(i).padStart(2, '0')}`, T0, T0 + 1_000 + i))
      const failed = await h.store.outbox.recordAttempt('bulk00', T0, 'TimeoutError: quiet link')
      expect(failed.nextAttemptAt).toBeGreaterThan(T0)
      expect((await h.store.outbox.due(T0)).map(e => e.id)).toEqual(['due'])

      expect(await h.store.outbox.retryNow(T0)).toBe(71)
      const now = await h.store.outbox.due(T0)
      expect(now).toHaveLength(72)
      // lanes still come first; the due one stays as it was
      expect(now[0]?.id).toBe('flash')
      expect(now.find(e => e.id === 'bulk00')).toMatchObject({ attempts: 1, lastError: 'TimeoutError: quiet link', nextAttemptAt: T0 })
      expect(await h.store.outbox.nextDueAt()).toBe(T0)
      expect(await h.store.outbox.size()).toBe(72)
      expect(await h.store.outbox.retryNow(T0)).toBe(0)
    })

    it('completes an entry once; a second receipt is harmless', async () => {
      await h.store.outbox.add(entry('done', T0))
      await h.store.outbox.add(entry('waiting', T0))
      expect(await h.store.outbox.complete('done')).toBe(true)
      expect(await h.store.outbox.complete('done')).toBe(false)
      expect(await h.store.outbox.get('done')).toBeUndefined()
      expect((await h.store.outbox.due(T0)).map(e => e.id)).toEqual(['waiting'])
      expect(await h.store.outbox.size()).toBe(1)
      await h.store.outbox.complete('waiting')
      expect(await h.store.outbox.nextDueAt()).toBeUndefined()
    })

    it('refuses a second entry with the same id and an attempt on an unknown one', async () => {
      await h.store.outbox.add(entry('x', T0))
      await expect(h.store.outbox.add(entry('x', T0 + 1))).rejects.toThrow(RecordExistsError)
      await expect(h.store.outbox.recordAttempt('y', T0)).rejects.toThrow(RecordNotFoundError)
      expect(await h.store.outbox.get('x')).toEqual({ ...entry('x', T0), attempts: 0, nextAttemptAt: T0 })
    })

    it('survives closing and reopening the database', async () => {
      await h.store.outbox.add(entry('kept', T0))
      await h.store.outbox.add(entry('retried', T0))
      await h.store.outbox.add(entry('finished', T0))
      const retried = await h.store.outbox.recordAttempt('retried', T0, 'offline')
      await h.store.outbox.complete('finished')
      const store = await h.reopen()
      expect(await store.outbox.due(T0 + OUTBOX_MAX_DELAY_MS)).toEqual([
        { ...entry('kept', T0), attempts: 0, nextAttemptAt: T0 },
        retried
      ])
      expect(await store.outbox.get('finished')).toBeUndefined()
    })
  })
}
