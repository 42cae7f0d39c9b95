/** Small numeric helpers shared by the benchmarks. */

/** The q-quantile (0..1) of `samples` by nearest rank; NaN for no samples. */
export function quantile (samples: number[], q: number): number {
  if (samples.length === 0) return Number.NaN
  const sorted = [...samples].sort((a, b) => a - b)
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))
  return sorted[rank] ?? Number.NaN
}

export function mean (samples: number[]): number {
  return samples.length === 0 ? Number.NaN : samples.reduce((a, b) => a + b, 0) / samples.length
}

export function median (samples: number[]): number {
  return quantile(samples, 0.5)
}

/** Events per second. */
export function perSecond (count: number, ms: number): number {
  return ms <= 0 ? Number.NaN : count / ms * 1000
}

/** Round to `digits` significant digits (for reports; the JSON keeps what this returns). */
export function sig (n: number, digits = 3): number {
  if (!Number.isFinite(n) || n === 0) return n
  return Number(n.toPrecision(digits))
}

export function ratio (a: number, b: number): number {
  return b === 0 ? Number.NaN : a / b
}

/** Milliseconds an async function takes, with its result. */
export async function timed<T> (fn: () => Promise<T>): Promise<{ value: T, ms: number }> {
  const start = performance.now()
  const value = await fn()
  return { value, ms: performance.now() - start }
}

/**
 * Poll `done` every `everyMs` until it holds, or throw after `timeoutMs`.
 * The benchmarks wait on conditions spread over many nodes (every mesh
 * formed, every subscription seen), where one event per node is no simpler.
 */
export async function waitUntil (done: () => boolean, timeoutMs: number, what: string, everyMs = 20): Promise<void> {
  const deadline = performance.now() + timeoutMs
  while (!done()) {
    if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
    await new Promise(resolve => setTimeout(resolve, everyMs))
  }
}

/** A promise chain running one task at a time: one per simulated device, as the engine's `serial`. */
export function serialQueue (): <T>(work: () => Promise<T>) => Promise<T> {
  let tail: Promise<unknown> = Promise.resolve()
  return async <T>(work: () => Promise<T>): Promise<T> => {
    const result = tail.then(work)
    tail = result.catch(() => undefined)
    return await result
  }
}

/** Deterministic pseudo-random bytes (xorshift32): payload filler, not keys. */
export function fillerBytes (length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length)
  let x = (seed | 0) || 0x9e3779b9
  for (let i = 0; i < length; i++) {
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5
    out[i] = x & 0xff
  }
  return out
}

/** Run `count` tasks with at most `concurrency` in flight. */
export async function pool (count: number, concurrency: number, task: (index: number) => Promise<void>): Promise<void> {
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < count) {
      const i = next++
      await task(i)
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker))
}
