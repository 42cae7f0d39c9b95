/** Errors of the browser platform itself; the UI tells them apart by `.name` (web/src/errors.ts). */

export class DakBrowserError extends Error {
  override name = 'DakBrowserError'
}

/**
 * WebCrypto (used by the MLS and HPKE code) and Web Locks exist only in secure
 * contexts: https, or http on localhost. Dak on plain http from another host
 * would fail later and less clearly.
 */
export class InsecureContextError extends DakBrowserError {
  override name = 'InsecureContextError'
}

/** Issue 14, PIN lock (docs/web.md): this browser's store is locked by a PIN and none was given. */
export class PinRequiredError extends DakBrowserError {
  override name = 'PinRequiredError'
}

/** The PIN or passphrase typed does not unlock this browser. */
export class WrongPinError extends DakBrowserError {
  override name = 'WrongPinError'
}

/** Too many wrong PINs in a row: the next try waits (platform/pin-attempts.ts); nothing was erased. */
export class PinAttemptsDelayError extends DakBrowserError {
  override name = 'PinAttemptsDelayError'
  /** When the next try is allowed, in ms since the epoch. */
  retryAt: number
  constructor (message: string, retryAt = 0) {
    super(message)
    this.retryAt = retryAt
  }
}

/** A new PIN or passphrase shorter than the least the client accepts. */
export class PinTooShortError extends DakBrowserError {
  override name = 'PinTooShortError'
}

/** Issue 14, PIN policy (docs/web.md): the department requires a PIN lock on every browser, so it cannot be removed. */
export class PinRequiredByDepartmentError extends DakBrowserError {
  override name = 'PinRequiredByDepartmentError'
}

/** A lock delay longer than the longest the department allows (its `lockAfterMinutes`). */
export class LockDelayTooLongError extends DakBrowserError {
  override name = 'LockDelayTooLongError'
}
