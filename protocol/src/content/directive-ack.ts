import { sha256 } from '@noble/hashes/sha2.js'
import { ED25519_SIGNATURE_BYTES, MAX_CERTIFICATE_BYTES, MAX_CLOCK_SKEW_MS } from '../constants.js'
import { bytesEqual, concatBytes } from '../bytes.js'
import { DirectiveMismatchError, ExpiredCertificateError, FutureTimestampError, InvalidArgumentError, MalformedInputError } from '../errors.js'
import { decodeCertificate, verifyCertificate, type Certificate, type VerifyContext } from '../identity/certificate.js'
import { signFor, verifyFor, type SigningKeyPair } from '../identity/keys.js'
import type { DirectiveAck } from '../wire/generated/content.js'
import { directiveSignedBytes, type SignedDirective } from './directive.js'
import { MESSAGE_ID_BYTES } from './limits.js'

/**
 * An addressee's acknowledgement of a directive. Like the directive itself it
 * is signed with the officer's certified device key, not only sent over MLS,
 * so that it can be shown to someone outside the group (an auditor, a court)
 * with the department's trust bundle alone.
 *
 * The signature covers "dak/v1/directive-ack" NUL || directive id (32 bytes:
 * the directive message's envelope hash) || directive hash (32 bytes) ||
 * acknowledged_at (8 bytes, big-endian). Every part is fixed width. The
 * directive hash is SHA-256 of the directive's signed bytes followed by its
 * signature (64 bytes), so an acknowledgement names exactly one text, issue
 * time, deadline and signer: change any of them and the hash no longer matches.
 */

/** The wire DirectiveAck: directive id and hash, time, signer certificate and signature. */
export type SignedDirectiveAck = DirectiveAck

export const DIRECTIVE_HASH_BYTES = 32

export interface VerifiedDirectiveAck {
  directiveId: Uint8Array
  acknowledgedAt: number
  /** The acknowledging device's verified certificate: who acknowledged. */
  certificate: Certificate
}

/** SHA-256 of the directive's signed bytes and its signature: what an acknowledgement names. */
export function directiveHash (directive: SignedDirective): Uint8Array {
  return sha256(concatBytes(directiveSignedBytes(directive.text, directive.issuedAt, directive.deadline), directive.signature))
}

/** The exact bytes the device key signs (after the domain tag). */
export function directiveAckSignedBytes (directiveId: Uint8Array, hash: Uint8Array, acknowledgedAt: number): Uint8Array {
  const time = new Uint8Array(8)
  new DataView(time.buffer).setBigUint64(0, BigInt(acknowledgedAt))
  return concatBytes(directiveId, hash, time)
}

/** Shape checks that need no keys: what decodeAppContent enforces on every acknowledgement. */
export function checkDirectiveAckShape (ack: SignedDirectiveAck): void {
  if (ack.directiveId.length !== MESSAGE_ID_BYTES) throw new InvalidArgumentError(`acknowledged directive id must be ${MESSAGE_ID_BYTES} bytes`)
  if (ack.directiveHash.length !== DIRECTIVE_HASH_BYTES) throw new InvalidArgumentError(`directive hash must be ${DIRECTIVE_HASH_BYTES} bytes`)
  if (!Number.isSafeInteger(ack.acknowledgedAt) || ack.acknowledgedAt <= 0) throw new InvalidArgumentError('acknowledgement time must be a positive integer (ms since epoch)')
  if (ack.signerCertificate.length === 0 || ack.signerCertificate.length > MAX_CERTIFICATE_BYTES) throw new InvalidArgumentError('acknowledgement signer certificate is missing or too long')
  if (ack.signature.length !== ED25519_SIGNATURE_BYTES) throw new InvalidArgumentError('acknowledgement signature has the wrong length')
}

/** Acknowledge `directive` (message `directiveId`) with the device key that `certificate` certifies. */
export function signDirectiveAck (device: SigningKeyPair, certificate: Certificate, directiveId: Uint8Array, directive: SignedDirective, acknowledgedAt: number): SignedDirectiveAck {
  if (!bytesEqual(certificate.devicePublicKey, device.publicKey)) throw new InvalidArgumentError('the certificate is not for this device key')
  const hash = directiveHash(directive)
  const ack: SignedDirectiveAck = {
    directiveId,
    directiveHash: hash,
    acknowledgedAt,
    signerCertificate: certificate.bytes,
    signature: new Uint8Array(ED25519_SIGNATURE_BYTES)
  }
  checkDirectiveAckShape(ack)
  return { ...ack, signature: signFor('directiveAck', device.privateKey, directiveAckSignedBytes(directiveId, hash, acknowledgedAt)) }
}

/**
 * Verify an acknowledgement of `directive` (message `directiveId`): the
 * signer's certificate (trusted authority, valid at `context.now`, not
 * revoked), the signature by its device key, and that it names this very
 * directive (id and hash). Its time may not be in the future of
 * `context.now`, nor outside the signer's certificate. Throws
 * MalformedInputError, InvalidSignatureError, DirectiveMismatchError or a
 * certificate error: each says what is wrong.
 */
export function verifyDirectiveAck (ack: SignedDirectiveAck, directiveId: Uint8Array, directive: SignedDirective, context: VerifyContext): VerifiedDirectiveAck {
  try {
    checkDirectiveAckShape(ack)
  } catch (err) {
    throw new MalformedInputError(`directive acknowledgement: ${(err as Error).message}`)
  }
  // the signature first, by the key the certificate names: an altered acknowledgement is reported as
  // such, not as whatever its altered time makes of the certificate; then the certificate itself
  const claimed = decodeCertificate(ack.signerCertificate).certificate
  verifyFor('directiveAck', claimed.devicePublicKey, directiveAckSignedBytes(ack.directiveId, ack.directiveHash, ack.acknowledgedAt), ack.signature, `acknowledgement by ${claimed.handle}`)
  const certificate = verifyCertificate(ack.signerCertificate, context)
  if (!bytesEqual(ack.directiveId, directiveId)) throw new DirectiveMismatchError(`acknowledgement by ${certificate.handle} is for another directive`)
  if (!bytesEqual(ack.directiveHash, directiveHash(directive))) throw new DirectiveMismatchError(`acknowledgement by ${certificate.handle} names other directive text, times or signer than this directive`)
  if (ack.acknowledgedAt > context.now + MAX_CLOCK_SKEW_MS) throw new FutureTimestampError(`acknowledgement by ${certificate.handle} is dated ${Math.round((ack.acknowledgedAt - context.now) / 1000)} s ahead of this clock`)
  if (ack.acknowledgedAt < certificate.notBefore || ack.acknowledgedAt >= certificate.notAfter) {
    throw new ExpiredCertificateError(`acknowledgement by ${certificate.handle} is dated outside its certificate`)
  }
  return { directiveId: ack.directiveId, acknowledgedAt: ack.acknowledgedAt, certificate }
}

