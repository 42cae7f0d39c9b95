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
