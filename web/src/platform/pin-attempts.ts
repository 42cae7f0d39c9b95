/**
 * How many wrong PINs this browser takes before it makes the officer wait
 * (docs/web.md, *PIN lock*). Nothing is ever erased for wrong PINs: a
 * colleague's few guesses must not cost an officer the device's history. The
 * wait bounds guessing through this page only; someone with a copy of the
 * profile is held back by Argon2id's cost per guess instead (pin-wrap.ts).
 */

/** Wrong PINs allowed in a row without a wait. */
export const FREE_ATTEMPTS = 3
/** The wait after the first wrong PIN past the free ones; it doubles with each further one. */
export const FIRST_DELAY_MS = 30_000
/** The longest wait. */
export const MAX_DELAY_MS = 60 * 60_000

/** Wrong PINs in a row, and when the last one was tried (ms since the epoch). */
export interface PinAttempts { failures: number, lastAt: number }

/** How long after the last wrong PIN the next try is allowed. */
export function delayAfter (failures: number): number {
  if (failures < FREE_ATTEMPTS) return 0
  return Math.min(FIRST_DELAY_MS * 2 ** (failures - FREE_ATTEMPTS), MAX_DELAY_MS)
}

/** When the next PIN may be tried (0: now). */
export function nextTryAt (attempts: PinAttempts | undefined): number {
  if (attempts === undefined || attempts.failures < FREE_ATTEMPTS) return 0
  return attempts.lastAt + delayAfter(attempts.failures)
}
