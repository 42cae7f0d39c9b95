/**
 * Token buckets per key (the remote address of an HTTP request): `capacity`
 * attempts at once, refilled at `refillPerSecond`. Keys are attacker-chosen
 * (any address can ask), so the map is bounded: when full, the oldest bucket
 * is dropped, which at worst gives an old address a fresh bucket.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number, at: number }>()

  constructor (private readonly options: { capacity: number, refillPerSecond: number, maxKeys: number, now: () => number }) {}

  /** Take one token for `key`; false when its bucket is empty. */
  take (key: string): boolean {
    const now = this.options.now()
    const bucket = this.buckets.get(key)
    const elapsed = bucket == null ? 0 : Math.max(0, now - bucket.at) / 1000
    const tokens = bucket == null ? this.options.capacity : Math.min(this.options.capacity, bucket.tokens + elapsed * this.options.refillPerSecond)
    this.buckets.delete(key)
    if (tokens < 1) {
      this.buckets.set(key, { tokens, at: now })
      return false
    }
    this.buckets.set(key, { tokens: tokens - 1, at: now })
    while (this.buckets.size > this.options.maxKeys) {
      const oldest = this.buckets.keys().next().value
      if (oldest === undefined) break
      this.buckets.delete(oldest)
    }
    return true
  }
}
