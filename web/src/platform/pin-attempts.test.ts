import { describe, expect, it } from 'vitest'
import { delayAfter, FIRST_DELAY_MS, FREE_ATTEMPTS, MAX_DELAY_MS, nextTryAt } from './pin-attempts.js'

describe('PIN attempts', () => {
  it('allows the free attempts without a wait, then doubles the wait up to the longest', () => {
    for (let failures = 0; failures < FREE_ATTEMPTS; failures++) expect(delayAfter(failures)).toBe(0)
    expect(delayAfter(FREE_ATTEMPTS)).toBe(FIRST_DELAY_MS)
    expect(delayAfter(FREE_ATTEMPTS + 1)).toBe(2 * FIRST_DELAY_MS)
    expect(delayAfter(FREE_ATTEMPTS + 2)).toBe(4 * FIRST_DELAY_MS)
    expect(delayAfter(FREE_ATTEMPTS + 50)).toBe(MAX_DELAY_MS)
  })

  it('says when the next try is allowed', () => {
    expect(nextTryAt(undefined)).toBe(0)
    expect(nextTryAt({ failures: FREE_ATTEMPTS - 1, lastAt: 1_000 })).toBe(0)
    expect(nextTryAt({ failures: FREE_ATTEMPTS, lastAt: 1_000 })).toBe(1_000 + FIRST_DELAY_MS)
  })
})
