/**
 * Token buckets per key: `capacity` requests at once, refilled at
 * `refillPerSecond`. Keys are attacker-chosen (peer ids and addresses cost
 * nothing to make), so the map is bounded: when full, the least recently used
 * bucket is dropped, which at worst gives an old key a fresh bucket.
 */
export interface Rate {
  capacity: number
  refillPerSecond: number
}

export interface TokenBucketsOptions extends Rate {
  maxKeys: number
  now: () => number
}

export class TokenBuckets {
  /** key → tokens at `at`; Map order = least recently used first. */
  private readonly buckets = new Map<string, { tokens: number, at: number }>()

  constructor (private readonly options: TokenBucketsOptions) {}

  /** Take `cost` tokens for `key`; false (and nothing taken) when there are not enough. */
  take (key: string, cost = 1): boolean {
    const tokens = this.level(key)
    const ok = tokens >= cost
    this.buckets.delete(key)
    this.buckets.set(key, { tokens: ok ? tokens - cost : tokens, at: this.options.now() })
    while (this.buckets.size > this.options.maxKeys) {
      const oldest = this.buckets.keys().next().value
      if (oldest === undefined) break
      this.buckets.delete(oldest)
    }
    return ok
  }

  /** Tokens `key` has now (a full bucket for a key never seen). */
  level (key: string): number {
    const bucket = this.buckets.get(key)
    if (bucket == null) return this.options.capacity
    const elapsed = Math.max(0, this.options.now() - bucket.at) / 1000
    return Math.min(this.options.capacity, bucket.tokens + elapsed * this.options.refillPerSecond)
  }

  /** Forget a key (its next request starts with a full bucket). */
  forget (key: string): void {
    this.buckets.delete(key)
  }

  get size (): number {
    return this.buckets.size
  }

  get capacity (): number {
    return this.options.capacity
  }
}
