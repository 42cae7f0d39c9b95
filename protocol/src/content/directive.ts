import { ED25519_SIGNATURE_BYTES, MAX_CERTIFICATE_BYTES, MAX_CLOCK_SKEW_MS } from '../constants.js'
import { bytesEqual, concatBytes, utf8 } from '../bytes.js'
import { ExpiredCertificateError, FutureTimestampError, InvalidArgumentError, MalformedInputError } from '../errors.js'
import { verifyCertificate, type Certificate, type VerifyContext } from '../identity/certificate.js'
import { signFor, verifyFor, type SigningKeyPair } from '../identity/keys.js'
import type { Directive } from '../wire/generated/content.js'
import { checkText } from './text.js'

/**
 * Official directives. MLS proves to group members who sent a message, but
 * that proof cannot be shown to anyone else (any member could have forged it
 * for an outsider). A directive therefore carries, inside the encrypted
 * payload, the officer's certificate and a signature by the certified device
 * key, which an auditor can check later with only the department's trust
 * bundle and revocation list.
 *
 * The signature covers "dak/v1/directive" NUL || UTF-8 text || issued_at ||
 * deadline, the two times as 8-byte big-endian integers (fixed width, so text
 * and times cannot be re-split; a directive without a deadline signs 0).
 * It does not name the conversation: who received it is shown by the MLS
 * group and the store, not by this signature.
 */

/** The wire Directive: text, time, signer certificate and signature. */
export type SignedDirective = Directive

export interface VerifiedDirective {
  text: string
  issuedAt: number
  /** ms since epoch to acknowledge by; absent when the directive has none. */
  deadline?: number
  /** The signer's verified certificate: who gave the directive, with their title. */
  certificate: Certificate
}

function checkIssuedAt (issuedAt: number): void {
  if (!Number.isSafeInteger(issuedAt) || issuedAt <= 0) throw new InvalidArgumentError('directive time must be a positive integer (ms since epoch)')
}

function checkDeadline (deadline: number, issuedAt: number): void {
  if (!Number.isSafeInteger(deadline) || deadline < 0) throw new InvalidArgumentError('directive deadline must be a non-negative integer (ms since epoch; 0 for none)')
  if (deadline !== 0 && deadline <= issuedAt) throw new InvalidArgumentError('directive deadline must come after the time it was issued')
}

/** The exact bytes the device key signs (after the domain tag). `deadline` 0: none. */
export function directiveSignedBytes (text: string, issuedAt: number, deadline = 0): Uint8Array {
  const times = new Uint8Array(16)
  const view = new DataView(times.buffer)
  view.setBigUint64(0, BigInt(issuedAt))
  view.setBigUint64(8, BigInt(deadline))
  return concatBytes(utf8(text), times)
}

/** Shape checks that need no keys: what decodeAppContent enforces on every directive. */
export function checkDirectiveShape (directive: SignedDirective): void {
  checkText(directive.text, 'directive text')
  checkIssuedAt(directive.issuedAt)
  checkDeadline(directive.deadline, directive.issuedAt)
  if (directive.signerCertificate.length === 0 || directive.signerCertificate.length > MAX_CERTIFICATE_BYTES) throw new InvalidArgumentError('directive signer certificate is missing or too long')
  if (directive.signature.length !== ED25519_SIGNATURE_BYTES) throw new InvalidArgumentError('directive signature has the wrong length')
}

/** Sign a directive with the device key that `certificate` certifies. */
export function signDirective (device: SigningKeyPair, certificate: Certificate, text: string, issuedAt: number, deadline = 0): SignedDirective {
  checkText(text, 'directive text')
  checkIssuedAt(issuedAt)
  checkDeadline(deadline, issuedAt)
  if (!bytesEqual(certificate.devicePublicKey, device.publicKey)) throw new InvalidArgumentError('the certificate is not for this device key')
  return {
    text,
    issuedAt,
    deadline,
    signerCertificate: certificate.bytes,
    signature: signFor('directive', device.privateKey, directiveSignedBytes(text, issuedAt, deadline))
  }
}

/**
 * Verify a directive: the signer's certificate (trusted authority, valid at
 * `context.now`, not revoked), the signature by its device key, a time that is
 * not in the future and falls inside the certificate's validity (so an old
 * device key cannot back-date a directive into a certificate it no longer
 * holds). At receipt `now` is the local clock; an auditor checking an
 * archived directive passes the time it was received.
 *
 * The caller still decides whether the signer may give this directive in this
 * conversation; compare `certificate.devicePublicKey` with the envelope's
 * sender when a directive must come from the one who sent it.
 */
export function verifyDirective (directive: SignedDirective, context: VerifyContext): VerifiedDirective {
  try {
    checkDirectiveShape(directive)
  } catch (err) {
    // A directive handed to verify came off the network: a bad shape is malformed input.
    throw new MalformedInputError(`directive: ${(err as Error).message}`)
  }
  const certificate = verifyCertificate(directive.signerCertificate, context)
  verifyFor('directive', certificate.devicePublicKey, directiveSignedBytes(directive.text, directive.issuedAt, directive.deadline), directive.signature, 'directive')
  if (directive.issuedAt > context.now + MAX_CLOCK_SKEW_MS) throw new FutureTimestampError(`directive is dated ${Math.round((directive.issuedAt - context.now) / 1000)} s ahead of this clock`)
  if (directive.issuedAt < certificate.notBefore || directive.issuedAt >= certificate.notAfter) {
    throw new ExpiredCertificateError(`directive is dated outside its signer's certificate (${new Date(certificate.notBefore).toISOString()} to ${new Date(certificate.notAfter).toISOString()})`)
  }
  return { text: directive.text, issuedAt: directive.issuedAt, ...(directive.deadline !== 0 ? { deadline: directive.deadline } : {}), certificate }
}
