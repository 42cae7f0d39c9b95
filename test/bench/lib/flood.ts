import type { DeliveryLog } from './delivery.js'

/**
 * The two ways the network benchmarks send: as fast as delivery allows
 * (throughput) and at a steady rate (latency). Both are bounded by a deadline
 * and report whether everything arrived instead of throwing.
 */

/** Publish `count` messages keeping at most `window` not yet fully delivered; time from first publish to last arrival. */
export async function flood (log: DeliveryLog, count: number, window: number, timeoutMs: number, publish: (k: number) => Promise<void>): Promise<{ ms: number, complete: boolean }> {
  const start = performance.now()
  for (let k = 0; k < count; k++) {
    if (!await log.until(() => k - log.completed < window, timeoutMs)) return { ms: performance.now() - start, complete: false }
    await publish(k)
  }
  const complete = await log.until(() => log.completed === count, timeoutMs)
  return { ms: (complete ? log.lastArrival : performance.now()) - start, complete }
}

/** Publish message k at start + k × intervalMs (not sooner), then wait for stragglers up to `drainMs`. */
export async function paced (log: DeliveryLog, count: number, intervalMs: number, drainMs: number, publish: (k: number) => Promise<void>): Promise<{ complete: boolean }> {
  const start = performance.now()
  for (let k = 0; k < count; k++) {
    const wait = start + k * intervalMs - performance.now()
    if (wait > 0) await new Promise(resolve => setTimeout(resolve, wait))
    await publish(k)
  }
  return { complete: await log.until(() => log.completed === count, drainMs) }
}

export function deliveryNote (log: DeliveryLog, complete: boolean): string | undefined {
  const parts: string[] = []
  if (!complete) parts.push(`${log.completed}/${log.messages} messages fully delivered before the deadline`)
  if (log.duplicates > 0) parts.push(`${log.duplicates} duplicate deliveries`)
  if (log.errors.size > 0) parts.push(`errors: ${log.errorSummary()}`)
  return parts.length > 0 ? parts.join('; ') : undefined
}

/**
 * Warm-up messages carry indexes from WARM_BASE on (still 8 digits, so they fit
 * a text's index field and a raw payload's uint32): a tier's first messages
 * meet cold code paths (JIT), fresh gossipsub meshes and first stream opens,
 * which are not what the figures are about.
 */
export const WARM_BASE = 90_000_000
export const WARM_MESSAGES = 5

/** An arrival handler that sends warm-up indexes to `warm` and the rest to `main`. */
export function route (warm: DeliveryLog, main: DeliveryLog): (index: number, node: number) => void {
  return (index, node) => {
    if (index >= WARM_BASE) warm.arrived(index - WARM_BASE, node)
    else main.arrived(index, node)
  }
}

/** Send the warm-up messages one at a time and wait until each reached everyone (bounded). */
export async function warmUp (warm: DeliveryLog, publish: (index: number, k: number) => Promise<void>, timeoutMs = 15_000): Promise<void> {
  for (let k = 0; k < warm.messages; k++) {
    await publish(WARM_BASE + k, k)
    if (!await warm.until(() => warm.completed > k, timeoutMs)) throw new Error(`warm-up message ${k} did not reach every node within ${timeoutMs} ms`)
  }
}
