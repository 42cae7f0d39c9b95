import { InvalidArgumentError } from '@dak/protocol'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { retryCeiling, retryDelay } from './backoff.js'
import { OUTBOX_BASE_DELAY_MS, OUTBOX_MAX_DELAY_MS } from './constants.js'

const attempts = fc.integer({ min: 1, max: 10_000 })
// Well-behaved and misbehaving random sources alike.
const randomValue = fc.oneof(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), fc.double())

describe('outbox retry backoff', () => {
  it('waits between half and all of the window, never beyond five minutes', () => {
    fc.assert(fc.property(attempts, randomValue, (n, r) => {
      const delay = retryDelay(n, () => r)
      expect(Number.isSafeInteger(delay)).toBe(true)
      expect(delay).toBeGreaterThanOrEqual(retryCeiling(n) / 2)
      expect(delay).toBeLessThanOrEqual(retryCeiling(n))
      expect(delay).toBeLessThanOrEqual(OUTBOX_MAX_DELAY_MS)
    }))
  })

  it('never shrinks the window as failures accumulate', () => {
    fc.assert(fc.property(attempts, (n) => {
      expect(retryCeiling(n + 1)).toBeGreaterThanOrEqual(retryCeiling(n))
    }))
  })

  it('doubles from two seconds and reaches the cap', () => {
    expect([1, 2, 3].map(retryCeiling)).toEqual([OUTBOX_BASE_DELAY_MS, 2 * OUTBOX_BASE_DELAY_MS, 4 * OUTBOX_BASE_DELAY_MS])
    expect(retryCeiling(9)).toBe(OUTBOX_MAX_DELAY_MS)
    expect(retryDelay(1, () => 0)).toBe(OUTBOX_BASE_DELAY_MS / 2)
  })

  it('refuses a nonsensical attempt count', () => {
    expect(() => retryDelay(0, Math.random)).toThrow(InvalidArgumentError)
    expect(() => retryDelay(1.5, Math.random)).toThrow(InvalidArgumentError)
  })
})
