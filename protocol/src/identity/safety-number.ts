import { sha512 } from '@noble/hashes/sha2.js'
import { ED25519_PUBLIC_KEY_BYTES, MAX_NAME_BYTES } from '../constants.js'
import { bytesEqual, concatBytes, fromBase64Url, toBase64Url, toHex, utf8 } from '../bytes.js'
import { InvalidArgumentError, MalformedInputError } from '../errors.js'

/**
 * Safety numbers: what two officers compare, read aloud or by scanning a QR
 * code, to know that the device keys their apps use for each other are the
 * real ones and no department node or network attacker sits in between.
 *
 * The construction is Signal's (libsignal NumericFingerprintGenerator), so its
 * analysis carries over: each party's half is
 *   h = SHA-512(version || device key || handle), then 5200 × h = SHA-512(h || device key),
 * and shows as 30 digits (six 5-byte chunks, each mod 100,000). The iterations
 * make grinding a key whose 30 digits match a victim's (~100 bits) costlier by
 * a factor of 5200 while costing a phone ~0.1 s. The two halves are sorted so
 * both sides show the same 60 digits; each half still binds one party alone.
 *
 * An officer may have several devices (phone, desk browser), and a department
 * node holding the authority key could enrol one more under her handle. So a
 * half covers every current device of its officer: with one device it is the
 * construction above unchanged (version 0 1); with more, the sorted keys take
 * the place of the one key, under version 0 2 with the key count first. A
 * device added under a handle changes the number on both sides.
 */

export interface SafetyParty {
  /** Ed25519 device public keys (libp2p peer keys) of every current device of the officer, from their certificates; order does not matter. */
  devicePublicKeys: Uint8Array[]
  /** The officer's handle as certified (qualify it, e.g. "asha.rao@mof.budget", if handles can clash across departments). */
  handle: string
}

export interface SafetyNumber {
  /** 60 digits in twelve groups of five, the same on both devices. */
  digits: string
  /** What this device's QR code encodes: its own half first, so it cannot be reflected back at it. */
  qrPayload: string
}

/** Signal's iteration count; changing it changes every safety number (bump the version). */
export const SAFETY_NUMBER_ITERATIONS = 5200
/** Versioned so a later construction can be told apart from this one on sight. */
export const SAFETY_QR_PREFIX = 'dak:safety/1/'
const FINGERPRINT_VERSION = new Uint8Array([0, 1])
const MULTI_DEVICE_VERSION = new Uint8Array([0, 2])
/** More devices than an officer could have (rpc.proto answers 16 per handle); a bound on the work. */
export const MAX_SAFETY_DEVICES = 64
/** Bytes of each party's fingerprint in the QR code: 256 bits, the full strength a camera can carry. */
const QR_HALF_BYTES = 32

function checkParty (party: SafetyParty): void {
  if (!Array.isArray(party.devicePublicKeys) || party.devicePublicKeys.length === 0 || party.devicePublicKeys.length > MAX_SAFETY_DEVICES) {
    throw new InvalidArgumentError(`safety number needs 1 to ${MAX_SAFETY_DEVICES} device keys`)
  }
  if (party.devicePublicKeys.some(key => !(key instanceof Uint8Array) || key.length !== ED25519_PUBLIC_KEY_BYTES)) throw new InvalidArgumentError('safety number needs 32-byte Ed25519 device keys')
  const handleBytes = utf8(party.handle).length
  if (handleBytes === 0 || handleBytes > MAX_NAME_BYTES * 2) throw new InvalidArgumentError('safety number needs a handle')
}

/** The iterated hash of one party (64 bytes). */
function fingerprint (party: SafetyParty): Uint8Array {
  checkParty(party)
  const keys = sortedUnique(party.devicePublicKeys)
  // Keys are fixed-length (and counted), so the handle at the end needs no length prefix.
  const [first] = keys
  const keyBytes = keys.length === 1 && first != null ? first : concatBytes(new Uint8Array([keys.length]), ...keys)
  let hash = sha512(concatBytes(keys.length === 1 ? FINGERPRINT_VERSION : MULTI_DEVICE_VERSION, keyBytes, utf8(party.handle)))
  for (let i = 0; i < SAFETY_NUMBER_ITERATIONS; i++) hash = sha512(concatBytes(hash, keyBytes))
  return hash
}

/** The same devices in any order (or listed twice) give the same number. */
function sortedUnique (keys: Uint8Array[]): Uint8Array[] {
  const byHex = new Map(keys.map(key => [toHex(key), key]))
  return [...byHex.keys()].sort().map(k => byHex.get(k) as Uint8Array)
}

function thirtyDigits (hash: Uint8Array): string {
  let out = ''
  for (let chunk = 0; chunk < 6; chunk++) {
    let value = 0
    // 40 bits fit exactly in a JS number.
    for (let i = 0; i < 5; i++) value = value * 256 + (hash[chunk * 5 + i] ?? 0)
    out += String(value % 100_000).padStart(5, '0')
  }
  return out
}

export function safetyNumber (mine: SafetyParty, theirs: SafetyParty): SafetyNumber {
  const myHash = fingerprint(mine)
  const theirHash = fingerprint(theirs)
  const halves = [thirtyDigits(myHash), thirtyDigits(theirHash)].sort()
  const digits = halves.join('').match(/.{5}/g)?.join(' ') ?? ''
  const qrPayload = SAFETY_QR_PREFIX + toBase64Url(concatBytes(myHash.subarray(0, QR_HALF_BYTES), theirHash.subarray(0, QR_HALF_BYTES)))
  return { digits, qrPayload }
}

/**
 * Check a QR payload scanned from the other officer's screen. True when their
 * device sees exactly our two keys and handles; false on a mismatch, which the
 * UI must treat as a possible interception. A payload that is not a Dak safety
 * code at all is a MalformedInputError (a wrong QR, not an attack signal).
 */
export function compareSafetyQr (payload: string, mine: SafetyParty, theirs: SafetyParty): boolean {
  if (typeof payload !== 'string' || payload.length > SAFETY_QR_PREFIX.length + 100 || !payload.startsWith(SAFETY_QR_PREFIX)) {
    throw new MalformedInputError('not a Dak safety number QR code')
  }
  let scanned: Uint8Array
  try {
    scanned = fromBase64Url(payload.slice(SAFETY_QR_PREFIX.length))
  } catch {
    throw new MalformedInputError('safety number QR code is not valid base64url')
  }
  if (scanned.length !== QR_HALF_BYTES * 2) throw new MalformedInputError('safety number QR code has the wrong length')
  // Their screen shows their half first: we expect (theirs, mine).
  const expected = concatBytes(fingerprint(theirs).subarray(0, QR_HALF_BYTES), fingerprint(mine).subarray(0, QR_HALF_BYTES))
  return bytesEqual(scanned, expected)
}
