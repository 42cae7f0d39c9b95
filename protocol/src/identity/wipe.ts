import { sha256 } from '@noble/hashes/sha2.js'
import { bytesEqual, concatBytes } from '../bytes.js'
import { ED25519_PUBLIC_KEY_BYTES, ED25519_SIGNATURE_BYTES } from '../constants.js'
import { InvalidArgumentError, MalformedInputError, WipeOrderRefusedError } from '../errors.js'
import type { Certificate } from './certificate.js'
import { signFor, verifyFor, type SigningKeyPair } from './keys.js'
import type { TrustStore } from './trust.js'

/**
 * Remote wipe (issue 14): a department authority orders one device to erase
 * its store and keys, and the device, before it erases itself, signs a report
 * that it obeyed. Fixed layouts, so there is one encoding to sign:
 *
 *   order:  version 1 (1) ‖ authority key (32) ‖ device key (32) ‖ issued at ms (u64 BE) ‖ signature (64)
 *           signed by the authority, domain dak/v1/wipe-order
 *   report: version 1 (1) ‖ device key (32) ‖ SHA-256 of the order (32) ‖ wiped at ms (u64 BE) ‖ signature (64)
 *           signed by the device key, domain dak/v1/wipe-report
 *
 * A device obeys only an order signed by the authority that certified it, in
 * its trust bundle, naming its own device key (verifyWipeOrderFor): a node or
 * a network attacker cannot wipe anyone, nor can another department.
 */

const VERSION = 1
const ORDER_BODY_BYTES = 1 + ED25519_PUBLIC_KEY_BYTES * 2 + 8
export const WIPE_ORDER_BYTES = ORDER_BODY_BYTES + ED25519_SIGNATURE_BYTES
const REPORT_BODY_BYTES = 1 + ED25519_PUBLIC_KEY_BYTES + 32 + 8
export const WIPE_REPORT_BYTES = REPORT_BODY_BYTES + ED25519_SIGNATURE_BYTES

export interface WipeOrder {
  authorityPublicKey: Uint8Array
  deviceKey: Uint8Array
  issuedAt: number
  /** The signed order as issued. */
  bytes: Uint8Array
}

export interface WipeReport {
  deviceKey: Uint8Array
  /** SHA-256 of the order's bytes: which order was obeyed. */
  orderHash: Uint8Array
  wipedAt: number
  bytes: Uint8Array
}

function u64 (value: number, what: string): Uint8Array {
  if (!Number.isSafeInteger(value) || value < 0) throw new InvalidArgumentError(`${what} must be a non-negative integer`)
  const out = new Uint8Array(8)
  new DataView(out.buffer).setBigUint64(0, BigInt(value))
  return out
}

function readU64 (bytes: Uint8Array, offset: number): number {
  const value = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getBigUint64(offset)
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new MalformedInputError('time is too large')
  return Number(value)
}

function checkKey (key: Uint8Array, what: string): void {
  if (key.length !== ED25519_PUBLIC_KEY_BYTES) throw new InvalidArgumentError(`${what} must be a 32-byte Ed25519 public key`)
}

export function issueWipeOrder (authority: SigningKeyPair, deviceKey: Uint8Array, issuedAt: number): Uint8Array {
  checkKey(deviceKey, 'device key')
  const body = concatBytes(new Uint8Array([VERSION]), authority.publicKey, deviceKey, u64(issuedAt, 'wipe order time'))
  return concatBytes(body, signFor('wipeOrder', authority.privateKey, body))
}

/** Decode an order and check its signature against the authority key it names (who that is, is the caller's to check). */
export function openWipeOrder (bytes: Uint8Array): WipeOrder {
  if (!(bytes instanceof Uint8Array) || bytes.length !== WIPE_ORDER_BYTES) throw new MalformedInputError(`a wipe order is ${WIPE_ORDER_BYTES} bytes`)
  if (bytes[0] !== VERSION) throw new MalformedInputError(`wipe order version ${bytes[0] ?? ''} is not ${VERSION}`)
  const authorityPublicKey = bytes.slice(1, 33)
  verifyFor('wipeOrder', authorityPublicKey, bytes.subarray(0, ORDER_BODY_BYTES), bytes.subarray(ORDER_BODY_BYTES), 'wipe order')
  return { authorityPublicKey, deviceKey: bytes.slice(33, 65), issuedAt: readU64(bytes, 65), bytes: bytes.slice() }
}

/**
 * The order, if this device must obey it: signed by the authority that
 * certified `certificate` (and that `trust` holds), for this very device.
 * Anything else is WipeOrderRefusedError (or InvalidSignatureError /
 * MalformedInputError for an order that does not even verify).
 */
export function verifyWipeOrderFor (bytes: Uint8Array, device: { certificate: Certificate, trust: TrustStore }): WipeOrder {
  const order = openWipeOrder(bytes)
  if (!bytesEqual(order.authorityPublicKey, device.certificate.authorityPublicKey) || device.trust.authorityFor(order.authorityPublicKey) == null) {
    throw new WipeOrderRefusedError('wipe order is not signed by this device\'s department authority')
  }
  if (!bytesEqual(order.deviceKey, device.certificate.devicePublicKey)) throw new WipeOrderRefusedError('wipe order is for another device')
  return order
}

export function signWipeReport (device: SigningKeyPair, order: Uint8Array, wipedAt: number): Uint8Array {
  const body = concatBytes(new Uint8Array([VERSION]), device.publicKey, sha256(order), u64(wipedAt, 'wipe time'))
  return concatBytes(body, signFor('wipeReport', device.privateKey, body))
}

/** Decode a report and check it is signed by the device it names. */
export function openWipeReport (bytes: Uint8Array): WipeReport {
  if (!(bytes instanceof Uint8Array) || bytes.length !== WIPE_REPORT_BYTES) throw new MalformedInputError(`a wipe report is ${WIPE_REPORT_BYTES} bytes`)
  if (bytes[0] !== VERSION) throw new MalformedInputError(`wipe report version ${bytes[0] ?? ''} is not ${VERSION}`)
  const deviceKey = bytes.slice(1, 33)
  verifyFor('wipeReport', deviceKey, bytes.subarray(0, REPORT_BODY_BYTES), bytes.subarray(REPORT_BODY_BYTES), 'wipe report')
  return { deviceKey, orderHash: bytes.slice(33, 65), wipedAt: readU64(bytes, 65), bytes: bytes.slice() }
}

/** SHA-256 of an order, as a report names it. */
export function wipeOrderHash (order: Uint8Array): Uint8Array {
  return sha256(order)
}
