/**
 * Issue 14, the department's PIN policy (docs/web.md, *PIN policy*): what a
 * browser may do with its PIN lock, from what its department node said over
 * /dak/settings. The department's `lockAfterMinutes` is the longest a browser
 * may stay open without use; an officer may choose a shorter time, never a
 * longer one. With `requirePin` the department also requires a PIN: the app
 * shows no conversation until one is set, and it cannot be removed.
 * Pure rules here; platform.ts applies them to the device store.
 */
import { LockDelayTooLongError, PinRequiredByDepartmentError } from '../platform/errors.js'

export interface PinPolicy {
  /** Every browser of the department must have a PIN lock. */
  requirePin: boolean
  /** The longest an officer may leave the lock delay (the department's `lockAfterMinutes`). */
  maxLockAfterMs: number
}

/** The delays the PIN settings offer, in minutes; only those up to the department's longest are shown. */
const LOCK_CHOICES_MINUTES = [1, 2, 5, 10, 15, 30, 60, 120, 240, 480, 1440]

/** What the device store holds (numbers; undefined where nothing was learnt) as a policy; `fallbackMaxMs` until the department said. */
export function policyOf (stored: { requirePin: number | undefined, departmentLockAfterMs: number | undefined }, fallbackMaxMs: number): PinPolicy {
  return { requirePin: stored.requirePin === 1, maxLockAfterMs: stored.departmentLockAfterMs ?? fallbackMaxMs }
}

/** How long the app may go unused before it locks: the officer's choice if any, never more than the department allows. */
export function effectiveLockAfterMs (policy: PinPolicy, officerChoiceMs: number | undefined): number {
  return officerChoiceMs === undefined ? policy.maxLockAfterMs : Math.min(officerChoiceMs, policy.maxLockAfterMs)
}

/** Refuses a lock delay the department does not allow (LockDelayTooLongError) or that is not a positive whole number of ms. */
export function checkLockChoice (policy: PinPolicy, ms: number): void {
  if (!Number.isSafeInteger(ms) || ms <= 0) throw new LockDelayTooLongError(`a lock delay is a positive number of milliseconds, not ${ms}`)
  if (ms > policy.maxLockAfterMs) throw new LockDelayTooLongError(`${Math.round(ms / 60_000)} min is longer than the ${formatMinutes(policy.maxLockAfterMs)} your department allows`)
}

/** Refuses removing the PIN when the department requires one (PinRequiredByDepartmentError). */
export function checkPinRemoval (policy: PinPolicy): void {
  if (policy.requirePin) throw new PinRequiredByDepartmentError('your department requires a PIN lock on every browser')
}

/** Whether the app must ask for a PIN before it shows anything of the device. */
export function mustSetPin (policy: PinPolicy, pinSet: boolean): boolean {
  return policy.requirePin && !pinSet
}

/** The delays to offer (ms): the fixed choices under the department's longest, and the longest itself. */
export function lockChoices (policy: PinPolicy): number[] {
  const under = LOCK_CHOICES_MINUTES.map(m => m * 60_000).filter(ms => ms < policy.maxLockAfterMs)
  return [...under, policy.maxLockAfterMs]
}

export function formatMinutes (ms: number): string {
  const minutes = ms / 60_000
  return minutes >= 1 && Number.isInteger(minutes) ? `${minutes} min` : `${Math.round(ms / 1000)} s`
}
