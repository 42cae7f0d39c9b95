import { bytesEqual, concatBytes, fromUtf8, utf8 } from '../bytes.js'
import { ED25519_PUBLIC_KEY_BYTES, ED25519_SIGNATURE_BYTES } from '../constants.js'
import { DakError, DeviceVouchRefusedError, InvalidArgumentError, MalformedInputError } from '../errors.js'
import { verifyCertificate, type Certificate, type VerifyContext } from './certificate.js'
import { signFor, verifyFor, type SigningKeyPair } from './keys.js'
import { checkHandle } from './names.js'

/**
 * Linked devices (issue 16): an officer's existing device says "device K2 is
 * mine too", so that contacts who accepted the existing device accept K2 as
 * well instead of holding it as *new* (docs/messenger.md, *Linked devices*).
 * The authority's certificate already says K2 is under the same handle; what
 * the vouch adds is the officer's own word, from a device the contact trusts,
 * so a device the department node enrolled behind the officer's back (a
 * ghost) is not vouched for. Fixed layout, one encoding to sign:
 *
 *   version 1 (1) ‖ voucher device key (32) ‖ linked device key (32) ‖ issued at ms (u64 BE)
 *   ‖ handle length (1) ‖ handle (UTF-8, 1-63) ‖ signature (64)
 *   signed by the voucher's device key, domain dak/v1/device-vouch
 */

const VERSION = 1
const HANDLE_OFFSET = 1 + ED25519_PUBLIC_KEY_BYTES * 2 + 8
/** The longest vouch: a 63-byte handle. */
export const MAX_DEVICE_VOUCH_BYTES = HANDLE_OFFSET + 1 + 63 + ED25519_SIGNATURE_BYTES
const MIN_DEVICE_VOUCH_BYTES = HANDLE_OFFSET + 1 + 1 + ED25519_SIGNATURE_BYTES

export interface DeviceVouch {
  voucherKey: Uint8Array
  linkedDeviceKey: Uint8Array
  handle: string
  issuedAt: number
  /** The signed vouch as made. */
  bytes: Uint8Array
}

export interface DeviceVouchFields {
  linkedDeviceKey: Uint8Array
  /** The officer's handle: the voucher's own, and the linked device's. */
  handle: string
  issuedAt: number
}

export function signDeviceVouch (voucher: SigningKeyPair, fields: DeviceVouchFields): Uint8Array {
  if (fields.linkedDeviceKey.length !== ED25519_PUBLIC_KEY_BYTES) throw new InvalidArgumentError('linked device key must be a 32-byte Ed25519 public key')
  if (bytesEqual(fields.linkedDeviceKey, voucher.publicKey)) throw new InvalidArgumentError('a device does not vouch for itself')
  if (!Number.isSafeInteger(fields.issuedAt) || fields.issuedAt < 0) throw new InvalidArgumentError('vouch time must be a non-negative integer')
  const handle = utf8(checkHandle(fields.handle))
  const time = new Uint8Array(8)
  new DataView(time.buffer).setBigUint64(0, BigInt(fields.issuedAt))
  const body = concatBytes(new Uint8Array([VERSION]), voucher.publicKey, fields.linkedDeviceKey, time, new Uint8Array([handle.length]), handle)
  return concatBytes(body, signFor('deviceVouch', voucher.privateKey, body))
}

/** Decode a vouch and check its signature against the voucher key it names (whose device that is, is verifyDeviceVouch's question). */
export function openDeviceVouch (bytes: Uint8Array): DeviceVouch {
  if (!(bytes instanceof Uint8Array) || bytes.length < MIN_DEVICE_VOUCH_BYTES || bytes.length > MAX_DEVICE_VOUCH_BYTES) {
    throw new MalformedInputError(`a device vouch is ${MIN_DEVICE_VOUCH_BYTES} to ${MAX_DEVICE_VOUCH_BYTES} bytes`)
  }
  if (bytes[0] !== VERSION) throw new MalformedInputError(`device vouch version ${bytes[0] ?? ''} is not ${VERSION}`)
  const handleLength = bytes[HANDLE_OFFSET] ?? 0
  const bodyLength = HANDLE_OFFSET + 1 + handleLength
  if (bodyLength + ED25519_SIGNATURE_BYTES !== bytes.length) throw new MalformedInputError('device vouch handle length does not match its size')
  const voucherKey = bytes.slice(1, 33)
  verifyFor('deviceVouch', voucherKey, bytes.subarray(0, bodyLength), bytes.subarray(bodyLength), 'device vouch')
  const issuedAt = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getBigUint64(65)
  if (issuedAt > BigInt(Number.MAX_SAFE_INTEGER)) throw new MalformedInputError('device vouch time is too large')
  let handle: string
  try {
    handle = checkHandle(fromUtf8(bytes.subarray(HANDLE_OFFSET + 1, bodyLength)))
  } catch (err) {
    throw new MalformedInputError(`device vouch: ${(err as Error).message}`)
  }
  return { voucherKey, linkedDeviceKey: bytes.slice(33, 65), handle, issuedAt: Number(issuedAt), bytes: bytes.slice() }
}

function valid (certificate: Uint8Array, context: VerifyContext, whose: string): Certificate {
  try {
    return verifyCertificate(certificate, context)
  } catch (err) {
    // revoked, expired or untrusted: a device that cannot speak (or be spoken for) any more
    if (err instanceof DakError) throw new DeviceVouchRefusedError(`the ${whose} certificate is not valid: ${err.name}: ${err.message}`)
    throw err
  }
}

/**
 * The vouch, if it says what it must: signed by the device `voucherCertificate`
 * certifies, for the device `linkedCertificate` certifies, both valid now
 * (trusted authority, unrevoked, unexpired), both under the handle the vouch
 * names, in the same department of the same authority. Anything else is a
 * DeviceVouchRefusedError (or InvalidSignatureError / MalformedInputError for
 * bytes that do not even verify).
 */
export function verifyDeviceVouch (bytes: Uint8Array, voucherCertificate: Uint8Array, linkedCertificate: Uint8Array, context: VerifyContext): DeviceVouch {
  const vouch = openDeviceVouch(bytes)
  const voucher = valid(voucherCertificate, context, "voucher's")
  const linked = valid(linkedCertificate, context, "linked device's")
  if (!bytesEqual(vouch.voucherKey, voucher.devicePublicKey)) throw new DeviceVouchRefusedError(`the vouch was signed by another device than ${voucher.handle}'s that it was presented as`)
  if (!bytesEqual(vouch.linkedDeviceKey, linked.devicePublicKey)) throw new DeviceVouchRefusedError('the vouch names another device than the certificate beside it')
  if (vouch.handle !== voucher.handle || vouch.handle !== linked.handle) {
    throw new DeviceVouchRefusedError(`a device of ${voucher.handle} vouched for a device of ${linked.handle} as ${vouch.handle}'s: only the officer's own devices vouch, for the officer's own devices`)
  }
  if (voucher.department !== linked.department || !bytesEqual(voucher.authorityPublicKey, linked.authorityPublicKey)) {
    throw new DeviceVouchRefusedError(`the vouched device is certified by another department (${linked.department}) than the voucher (${voucher.department})`)
  }
  return vouch
}
