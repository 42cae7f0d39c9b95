import { describe, expect, it } from 'vitest'
import { CUT_OFF_SCORE, PeerLimits } from './peer-limits.js'
import { TokenBuckets } from './token-buckets.js'

const rate = { perPeer: { capacity: 3, refillPerSecond: 1 }, global: { capacity: 100, refillPerSecond: 100 } }

describe('PeerLimits', () => {
  it('serves a burst, throttles the rest, cuts the peer off when its patience runs out, and forgives after the cut-off', () => {
    let now = 0
    const limits = new PeerLimits({ patience: { capacity: 5, refillPerSecond: 1 }, cutOffMs: 10_000, maxPeers: 100, now: () => now })
    const verdicts = Array.from({ length: 10 }, () => limits.admit('mallory', '/p', rate))
    expect(verdicts).toEqual(['ok', 'ok', 'ok', 'throttled', 'throttled', 'throttled', 'throttled', 'throttled', 'cut-off', 'throttled'])
    expect(limits.score('mallory')).toBe(CUT_OFF_SCORE)
    expect(limits.admit('asha', '/p', rate)).toBe('ok')
    expect(limits.score('asha')).toBe(0)
    now += 10_001
    expect(limits.isCutOff('mallory')).toBe(false)
    expect(limits.admit('mallory', '/p', rate)).toBe('ok')
  })

  it('refuses everyone past the global rate without holding it against one peer', () => {
    const limits = new PeerLimits({ patience: { capacity: 1, refillPerSecond: 0 }, cutOffMs: 10_000, maxPeers: 100, now: () => 0 })
    const tight = { perPeer: { capacity: 10, refillPerSecond: 0 }, global: { capacity: 2, refillPerSecond: 0 } }
    expect(['a', 'b', 'c', 'd'].map(p => limits.admit(p, '/p', tight))).toEqual(['ok', 'ok', 'throttled', 'throttled'])
    expect(limits.counts.cutOff).toBe(0)
  })

  it('keeps its maps bounded however many peer ids flood it', () => {
    const limits = new PeerLimits({ patience: { capacity: 0, refillPerSecond: 0 }, cutOffMs: 10_000, maxPeers: 50, now: () => 0 })
    const none = { perPeer: { capacity: 0, refillPerSecond: 0 }, global: { capacity: 0, refillPerSecond: 0 } }
    for (let i = 0; i < 10_000; i++) limits.admit(`sybil-${i}`, '/p', none)
    expect(limits.tracked).toBeLessThanOrEqual(150)
  })
})

describe('TokenBuckets', () => {
  it('refills at its rate and drops the least recently used key past maxKeys', () => {
    let now = 0
    const buckets = new TokenBuckets({ capacity: 2, refillPerSecond: 2, maxKeys: 2, now: () => now })
    expect([buckets.take('a'), buckets.take('a'), buckets.take('a')]).toEqual([true, true, false])
    now += 500
    expect(buckets.take('a')).toBe(true)
    buckets.take('b')
    buckets.take('c')
    expect(buckets.size).toBe(2)
    expect(buckets.level('a')).toBe(2)
  })
})
