import { hkdf } from '@noble/hashes/hkdf.js'
import { sha256 } from '@noble/hashes/sha2.js'
import { chachaOpen, chachaSeal, hmacSha256, randomNonce, xchachaOpen } from './at-rest-aead.js'
import { fromUtf8, toBase64Url, utf8 } from '@dak/protocol'
import { KEY_SEPARATOR, TIME_DIGITS } from './constants.js'
import { CorruptRecordError } from './errors.js'

/**
 * Encryption at rest (docs/storage.md, "At rest"). Every record is sealed
 * with XChaCha20-Poly1305 under a key derived from the device's storage key,
 * with a fresh random 24-byte nonce, and with its section and level key as
 * associated data, so a record copied under another key or section fails to
 * open. The record's own key travels inside the ciphertext, so range reads
 * can hand callers the plain key back.
 *
 * Level keys are rewritten part by part (parts are joined by '!'): a part
 * that names something (a conversation id, a handle, a message id, a device
 * key) becomes a keyed hash of it, so equal parts still group together and a
 * conversation is still one contiguous range; a timestamp part stays as its
 * 16 digits, so history and the outbox still read in time order. What that
 * leaves visible to someone holding the disk: how many records each section
 * holds and their timestamps, never who, what or in which conversation.
 */

/** How each part of a section's keys is stored: hashed ('name') or kept for ordering ('time'). */
export type KeyPart = 'name' | 'time'
export type KeyShape = readonly KeyPart[]

/**
 * First byte of a sealed record: its format. Format 1 (XChaCha20-Poly1305,
 * 24-byte nonce) is still read; records are written in format 2
 * (ChaCha20-Poly1305, 12-byte random nonce), which OpenSSL opens faster than
 * noble on Node.js once the key is imported (at-rest-aead.ts). A random 96-bit nonce is
 * safe for far more records than a device writes under one storage key: at
 * 10^8 records the chance that any two share a nonce is below 10^-13, and
 * the usual limit for random nonces under one key (NIST SP 800-38D) is 2^32.
 */
const SEALED_V1 = 1
const SEALED_V2 = 2
const NONCE_BYTES = { [SEALED_V1]: 24, [SEALED_V2]: 12 } as const
const TAG_BYTES = 16
/** Bytes of keyed hash kept per key part: 128 bits, collisions out of reach. */
const HASH_BYTES = 16
export const TIME_PART = new RegExp(`^[0-9]{${TIME_DIGITS}}$`)
/** Hashes of key parts are cached: history and catch-up hash the same conversation id over and over. */
const CACHE_LIMIT = 4096

export interface AtRestCipher {
  /** The level key that `key` is stored under in `section`. */
  storedKey: (section: string, shape: KeyShape, key: string) => string
  /** The stored form of one name part of a key in `section`. */
  namePart: (section: string, part: string) => string
  seal: (section: string, storedKey: string, key: string, value: Uint8Array) => Uint8Array
  /** The plain key and value of a sealed record; CorruptRecordError if it does not authenticate. */
  open: (section: string, storedKey: string, sealed: Uint8Array) => { key: string, value: Uint8Array }
}

export function createAtRestCipher (storageKey: Uint8Array): AtRestCipher {
  if (!(storageKey instanceof Uint8Array) || storageKey.length !== 32) throw new TypeError('a storage key is 32 bytes')
  const recordKey = hkdf(sha256, storageKey, undefined, utf8('dak/at-rest/v1/records'), 32)
  const nameKey = hkdf(sha256, storageKey, undefined, utf8('dak/at-rest/v1/key-names'), 32)
  const cache = new Map<string, string>()

  function hashPart (section: string, part: string): string {
    const cacheKey = section + '\0' + part
    let hashed = cache.get(cacheKey)
    if (hashed === undefined) {
      // The section is hashed in too: the same id in two sections is not linkable by its hash.
      hashed = toBase64Url(hmacSha256(nameKey, utf8(cacheKey)).subarray(0, HASH_BYTES))
      if (cache.size >= CACHE_LIMIT) cache.clear()
      cache.set(cacheKey, hashed)
    }
    return hashed
  }

  function storedKey (section: string, shape: KeyShape, key: string): string {
    return splitParts(key, shape.length).map((part, i) => shape[i] === 'time' && TIME_PART.test(part) ? part : hashPart(section, part)).join(KEY_SEPARATOR)
  }

  const aad = (section: string, storedKey: string): Uint8Array => utf8(section + '\0' + storedKey)

  return {
    storedKey,
    namePart: hashPart,
    seal (section, storedKey, key, value) {
      const keyBytes = utf8(key)
      const body = new Uint8Array(2 + keyBytes.length + value.length)
      body[0] = keyBytes.length >> 8
      body[1] = keyBytes.length & 0xff
      body.set(keyBytes, 2)
      body.set(value, 2 + keyBytes.length)
      const nonce = randomNonce(NONCE_BYTES[SEALED_V2])
      const sealed = chachaSeal(recordKey, nonce, aad(section, storedKey), body)
      const record = new Uint8Array(1 + nonce.length + sealed.length)
      record[0] = SEALED_V2
      record.set(nonce, 1)
      record.set(sealed, 1 + nonce.length)
      return record
    },
    open (section, storedKey, sealed) {
      const where = `${section}/${storedKey}`
      const format = sealed[0]
      if (format !== SEALED_V1 && format !== SEALED_V2) throw new CorruptRecordError(`${where}: not a sealed record`)
      const nonceBytes = NONCE_BYTES[format]
      if (sealed.length < 1 + nonceBytes + TAG_BYTES + 2) throw new CorruptRecordError(`${where}: not a sealed record`)
      const open = format === SEALED_V1 ? xchachaOpen : chachaOpen
      let body: Uint8Array
      try {
        body = open(recordKey, sealed.subarray(1, 1 + nonceBytes), aad(section, storedKey), sealed.subarray(1 + nonceBytes))
      } catch {
        throw new CorruptRecordError(`${where}: the record does not open under this device's storage key (altered, moved, or written with another key)`)
      }
      const keyLength = ((body[0] ?? 0) << 8) | (body[1] ?? 0)
      if (body.length < 2 + keyLength) throw new CorruptRecordError(`${where}: sealed record is too short for its key`)
      return { key: fromUtf8(body.subarray(2, 2 + keyLength)), value: body.slice(2 + keyLength) }
    }
  }
}

/** Split on the separator into at most `count` parts; the last part keeps any further separators. */
export function splitParts (key: string, count: number): string[] {
  if (count <= 1) return [key]
  const parts = key.split(KEY_SEPARATOR)
  if (parts.length <= count) return parts
  return [...parts.slice(0, count - 1), parts.slice(count - 1).join(KEY_SEPARATOR)]
}
