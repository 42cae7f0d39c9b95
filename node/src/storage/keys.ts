import { InvalidArgumentError } from '@dak/protocol'
import { KEY_SEPARATOR, KEY_SEPARATOR_END, MAX_KEY_PART_LENGTH, TIME_DIGITS } from './constants.js'
import { CorruptRecordError } from './errors.js'

/**
 * Building and reading composite keys. Keys are printable ASCII so that their
 * UTF-8 bytes (what classic-level and IndexedDB compare) sort exactly like JS
 * strings (what the write transaction compares when it merges pending writes).
 */

/** Printable ASCII except space and the separator '!'. */
const KEY_PART = /^[\x22-\x7e]+$/

/** Check one part of a key (an id, a topic, a handle) before it goes into a key. */
export function keyPart (what: string, value: string): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_KEY_PART_LENGTH || !KEY_PART.test(value)) {
    throw new InvalidArgumentError(`${what} must be 1-${MAX_KEY_PART_LENGTH} printable ASCII characters without spaces or '${KEY_SEPARATOR}'`)
  }
  return value
}

/** A non-negative safe integer of milliseconds as a fixed-width, sortable key part. */
export function timeKey (ms: number): string {
  if (!Number.isSafeInteger(ms) || ms < 0) throw new InvalidArgumentError(`a timestamp must be a non-negative safe integer, got ${String(ms)}`)
  return ms.toString().padStart(TIME_DIGITS, '0')
}

export function parseTimeKey (text: string): number | undefined {
  if (text.length !== TIME_DIGITS || !/^[0-9]+$/.test(text)) return undefined
  const ms = Number(text)
  return Number.isSafeInteger(ms) ? ms : undefined
}

export function joinKey (...parts: string[]): string {
  return parts.join(KEY_SEPARATOR)
}

/**
 * Every key that starts with `prefix` followed by the separator. The upper
 * bound is one more key part, KEY_SEPARATOR_END, above every part a key can
 * hold: a bound made of whole parts keeps its meaning when the store rewrites
 * keys part by part for storage at rest (at-rest.ts).
 */
export function prefixRange (prefix: string): { gte: string, lt: string } {
  return { gte: prefix + KEY_SEPARATOR, lt: prefix + KEY_SEPARATOR + KEY_SEPARATOR_END }
}

/** Split a stored key into exactly `count` parts, or report the key as corrupt. */
export function splitKey (key: string, count: 2, where: string): [string, string]
export function splitKey (key: string, count: 3, where: string): [string, string, string]
export function splitKey (key: string, count: number, where: string): string[] {
  const parts = key.split(KEY_SEPARATOR)
  if (parts.length !== count || parts.some(part => part.length === 0)) throw new CorruptRecordError(`${where}: malformed key "${key.slice(0, 300)}"`)
  return parts
}
