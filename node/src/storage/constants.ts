/**
 * Layout and limits of the device store. docs/storage.md explains the key
 * formats; every number here says why it is what it is.
 */

/**
 * Name of the sublevel that holds all of Dak's device state, so the same
 * database can be shared (e.g. with a libp2p datastore) without collisions.
 */
export const STORE_NAMESPACE = 'dak'
/** The same sections, sealed (encryption at rest, at-rest.ts); a store holds its records in one or the other (store-format.ts). */
export const SEALED_NAMESPACE = 'dak-sealed'

/**
 * Joins the parts of composite keys. '!' sorts below every other printable
 * ASCII character except space, and key parts may not contain it or space, so
 * "conversation A's keys" is exactly the range [A + '!', A + '!' + DEL).
 */
export const KEY_SEPARATOR = '!'
/**
 * DEL (0x7f) sorts above every printable ASCII character, so no key part
 * reaches it: A + '!' + DEL is the exclusive upper bound of A's prefix range,
 * in plain keys and in keys hashed for storage at rest alike.
 */
export const KEY_SEPARATOR_END = '\x7f'

/**
 * Timestamps in keys are zero-padded decimal milliseconds, 16 digits: wide
 * enough for Number.MAX_SAFE_INTEGER, so string order equals numeric order.
 */
export const TIME_DIGITS = 16

/** Longest id, topic, handle or peer id used as a key part (topics are at most 128 bytes). */
export const MAX_KEY_PART_LENGTH = 256

/** Characters of the last message kept in a conversation's preview: one line in a list. */
export const PREVIEW_MAX_CHARS = 140

/** History page size when the caller does not say: about two screens of chat. */
export const DEFAULT_HISTORY_LIMIT = 50
/** Largest history page: bounds memory and the time one read holds the UI. */
export const MAX_HISTORY_LIMIT = 500

/**
 * First outbox retry after about two seconds: long enough not to hammer a
 * link that just dropped, short enough that a blip is invisible to the officer.
 */
export const OUTBOX_BASE_DELAY_MS = 2_000
/**
 * Retries back off to at most five minutes: a field officer who regains
 * coverage waits no longer than that even if no "online" event fires.
 */
export const OUTBOX_MAX_DELAY_MS = 5 * 60_000
