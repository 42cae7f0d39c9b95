import { FORMAT_VERSION, MAX_CERTIFICATE_BYTES, ED25519_PUBLIC_KEY_BYTES } from '../constants.js'
import { decodeBounded } from '../codec.js'
import { bytesEqual } from '../bytes.js'
import { ExpiredCertificateError, InvalidArgumentError, MalformedInputError, RevokedCertificateError, UntrustedAuthorityError } from '../errors.js'
import { CertificateBody, DeviceCertificate } from '../wire/generated/identity.js'
import { signFor, verifyFor, type SigningKeyPair } from './keys.js'
import { checkDepartment, checkHandle, checkLabel } from './names.js'
import type { RevocationState } from './revocation.js'
import type { TrustStore } from './trust.js'

/** What an authority certifies about one officer's device. */
export interface CertificateFields {
  handle: string
  displayName: string
  title: string
  department: string
  devicePublicKey: Uint8Array
  mlsSignatureKey: Uint8Array
  notBefore: number
  notAfter: number
  serial: number
}

export interface Certificate extends CertificateFields {
  authorityPublicKey: Uint8Array
  /** The encoded, signed certificate: what is exchanged and embedded in MLS credentials. */
  bytes: Uint8Array
}

export interface VerifyContext {
  trust: TrustStore
  revocations: RevocationState
  /** ms since epoch: injected so tests and replays are deterministic. */
  now: number
}

function checkFields (fields: CertificateFields): void {
  checkHandle(fields.handle)
  checkDepartment(fields.department)
  checkLabel(fields.displayName, 'display name')
  checkLabel(fields.title, 'title')
  if (fields.devicePublicKey.length !== ED25519_PUBLIC_KEY_BYTES) throw new InvalidArgumentError('device key must be a 32-byte Ed25519 public key')
  if (fields.mlsSignatureKey.length === 0 || fields.mlsSignatureKey.length > 2_700) throw new InvalidArgumentError('MLS signature key is missing or too long')
  if (!(fields.notBefore < fields.notAfter)) throw new InvalidArgumentError('not-before must come before not-after')
}

export function issueCertificate (authority: SigningKeyPair, fields: CertificateFields): Certificate {
  checkFields(fields)
  const body = CertificateBody.encode({ version: FORMAT_VERSION, ...fields, authorityPublicKey: authority.publicKey })
  const bytes = DeviceCertificate.encode({ body, signature: signFor('certificate', authority.privateKey, body) })
  return { ...fields, authorityPublicKey: authority.publicKey, bytes }
}

/**
 * Decode a certificate without judging it: for display and for finding out which
 * authority to ask. Use verifyCertificate before trusting anything in it.
 */
export function decodeCertificate (bytes: Uint8Array): { certificate: Certificate, body: Uint8Array, signature: Uint8Array } {
  const outer = decodeBounded(DeviceCertificate, bytes, MAX_CERTIFICATE_BYTES, 'certificate')
  // One certificate, one byte string: MLS credentials, caches and directories compare
  // certificates by their bytes, so trailing junk or re-encodings must not pass.
  if (!bytesEqual(DeviceCertificate.encode(outer), bytes)) throw new MalformedInputError('certificate is not canonically encoded')
  const body = decodeBounded(CertificateBody, outer.body, MAX_CERTIFICATE_BYTES, 'certificate body')
  if (body.version !== FORMAT_VERSION) throw new MalformedInputError(`certificate version ${body.version} is not supported`)
  const { version: _version, ...fields } = body
  try {
    checkFields(fields)
  } catch (err) {
    throw new MalformedInputError(`certificate: ${(err as Error).message}`)
  }
  return { certificate: { ...fields, bytes }, body: outer.body, signature: outer.signature }
}

/**
 * Verify a device certificate: trusted authority, valid signature, the
 * department is the authority's own, inside its validity window, not revoked.
 * Each failure has its own error type.
 */
export function verifyCertificate (bytes: Uint8Array, context: VerifyContext): Certificate {
  const { certificate, body, signature } = decodeCertificate(bytes)
  const authority = context.trust.authorityFor(certificate.authorityPublicKey)
  if (authority == null) throw new UntrustedAuthorityError(`certificate of ${certificate.handle} is issued by an authority not in the trust bundle`)
  verifyFor('certificate', certificate.authorityPublicKey, body, signature, 'certificate')
  if (authority.department !== certificate.department) {
    throw new UntrustedAuthorityError(`authority of ${authority.department} may not certify officers of ${certificate.department}`)
  }
  if (context.now < certificate.notBefore || context.now >= certificate.notAfter) {
    throw new ExpiredCertificateError(`certificate of ${certificate.handle} is valid from ${new Date(certificate.notBefore).toISOString()} to ${new Date(certificate.notAfter).toISOString()}`)
  }
  if (context.revocations.isRevoked(certificate.authorityPublicKey, certificate.devicePublicKey)) {
    throw new RevokedCertificateError(`device of ${certificate.handle} has been revoked by its department`)
  }
  return certificate
}

/** True when two certificates are for the same device (re-issued certificates keep the device key). */
export function sameDevice (a: Certificate, b: Certificate): boolean {
  return bytesEqual(a.devicePublicKey, b.devicePublicKey)
}
