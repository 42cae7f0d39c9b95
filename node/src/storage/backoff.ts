import { InvalidArgumentError } from '@dak/protocol'
import { OUTBOX_BASE_DELAY_MS, OUTBOX_MAX_DELAY_MS } from './constants.js'

/**
 * How long to wait before the next attempt after `attempts` failed ones:
 * exponential (2 s, 4 s, 8 s, ...) up to five minutes, with "equal jitter" —
 * a random point in the upper half of the window — so that devices which lost
 * the same link at the same moment do not all retry in the same second, while
 * the wait still grows with every failure.
 *
 * `random` returns a number in [0, 1), like Math.random; tests inject their own.
 */
export function retryDelay (attempts: number, random: () => number): number {
  if (!Number.isSafeInteger(attempts) || attempts < 1) throw new InvalidArgumentError(`attempts must be a positive integer, got ${String(attempts)}`)
  const ceiling = retryCeiling(attempts)
  const r = random()
  const unit = Number.isFinite(r) ? Math.min(Math.max(r, 0), 1) : 0
  return Math.floor(ceiling / 2 + unit * (ceiling / 2))
}

/** The longest wait after `attempts` failures (before jitter). */
export function retryCeiling (attempts: number): number {
  // Cap the exponent too: 2 ** 1000 is Infinity, and anything past 2 ** 20 is over the cap anyway.
  return Math.min(OUTBOX_MAX_DELAY_MS, OUTBOX_BASE_DELAY_MS * 2 ** Math.min(attempts - 1, 20))
}
