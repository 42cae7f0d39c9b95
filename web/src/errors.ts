/**
 * Turns whatever a messenger call rejected with into words an officer can act
 * on. Errors cross the messenger boundary as `{ name, message }` (see
 * protocol/src/errors.ts); the name picks the explanation (error-texts.ts),
 * and the technical name and message stay as the detail for department IT,
 * shown behind a toggle rather than in the sentence.
 */
import { BROWSER_STORAGE_FULL_TEXT, ERROR_TEXTS, GENERIC_TEXT, MESSAGE_TOO_LONG_TEXT, NETWORK_TEXT } from './error-texts.js'

export interface ReadableError {
  name: string
  /** What happened and what to do, in plain words. Never empty, never the raw message. */
  text: string
  /** The technical name and message, for department IT. */
  detail: string
}

/** Name and message of anything thrown: Error, plain `{ name, message }` or other. */
export function errorParts (err: unknown): { name: string, message: string } {
  if (typeof err === 'object' && err !== null) {
    const { name, message } = err as { name?: unknown, message?: unknown }
    return {
      name: typeof name === 'string' && name !== '' ? name : 'Error',
      message: typeof message === 'string' ? message : ''
    }
  }
  return { name: 'Error', message: typeof err === 'string' ? err : '' }
}

/**
 * fetch() says "Failed to fetch" (Chromium), "NetworkError when attempting to
 * fetch resource" (Firefox), "Load failed" (Safari) or "fetch failed" (Node)
 * when nothing answered: a TypeError that is about the network, not a bug.
 */
function isNetworkFailure (name: string, message: string): boolean {
  return name === 'TypeError' && /failed to fetch|networkerror|load failed|fetch failed|network request failed/i.test(message)
}

/** The plain sentence for an error; some names need a look at the error itself. */
function textFor (err: unknown, name: string, message: string): string {
  // The browser's storage quota and the department node's key-package quota share the name.
  if (name === 'QuotaExceededError' && typeof DOMException !== 'undefined' && err instanceof DOMException) return BROWSER_STORAGE_FULL_TEXT
  if (isNetworkFailure(name, message)) return NETWORK_TEXT
  // protocol/src/content/text.ts: "message is longer than N bytes"
  if (name === 'InvalidArgumentError' && /^message( text)? is longer than/.test(message)) return MESSAGE_TOO_LONG_TEXT
  // Own property only: a name such as "constructor" must not find Object's.
  return Object.hasOwn(ERROR_TEXTS, name) ? ERROR_TEXTS[name] as string : GENERIC_TEXT
}

export function readableError (err: unknown): ReadableError {
  const { name, message } = errorParts(err)
  return { name, text: textFor(err, name, message), detail: message !== '' ? `${name}: ${message}` : name }
}
