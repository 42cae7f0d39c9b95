import { defaultCredentialTypes, type AuthenticationService, type Credential } from 'ts-mls'
import { bytesEqual, toHex } from '../bytes.js'
import { MAX_CERTIFICATE_BYTES } from '../constants.js'
import { DakError, MalformedInputError, MlsError, TooLargeError } from '../errors.js'
import { decodeCertificate, verifyCertificate, type Certificate, type VerifyContext } from '../identity/certificate.js'
import type { RevocationState } from '../identity/revocation.js'
import type { TrustStore } from '../identity/trust.js'
import type { Suite } from './suite.js'

/**
 * The MLS credential of a Dak device is a basic credential whose identity is the
 * device certificate's bytes: the department authority is MLS's Authentication Service.
 */
export function certificateCredential (certificateBytes: Uint8Array): Credential {
  return { credentialType: defaultCredentialTypes.basic, identity: certificateBytes }
}

/** The certificate inside a credential, decoded but not judged (for display and lookups). */
export function certificateOfCredential (credential: Credential): Certificate {
  if (credential.credentialType !== defaultCredentialTypes.basic || !('identity' in credential)) {
    throw new MalformedInputError('MLS credential is not a Dak certificate credential')
  }
  if (credential.identity.length > MAX_CERTIFICATE_BYTES) throw new TooLargeError('MLS credential: certificate too large')
  return decodeCertificate(credential.identity).certificate
}

/**
 * Verify a member's credential as of `context.now`: trusted authority, valid window,
 * not revoked, and the certificate vouches for exactly this MLS signature key (otherwise
 * anyone could pair a colleague's certificate with their own key).
 */
export function verifyMemberCredential (credential: Credential, signaturePublicKey: Uint8Array, context: VerifyContext): Certificate {
  if (credential.credentialType !== defaultCredentialTypes.basic || !('identity' in credential)) {
    throw new MalformedInputError('MLS credential is not a Dak certificate credential')
  }
  const certificate = verifyCertificateCached(credential.identity, context)
  if (!bytesEqual(certificate.mlsSignatureKey, signaturePublicKey)) {
    throw new MlsError(`certificate of ${certificate.handle} does not certify this MLS signature key`)
  }
  return certificate
}

/**
 * Positive verifications, so that each message does not pay an Ed25519 check of the
 * authority's signature (~3 ms in pure JS, more than the MLS decryption itself). A hit is
 * only valid for the same trust store (immutable), the same revocation list serial of the
 * issuing authority, and a clock inside the certificate's window; anything else re-verifies.
 */
const verified = new WeakMap<TrustStore, WeakMap<RevocationState, Map<string, { certificate: Certificate, revocationSerial: number }>>>()
const MAX_CACHED_CERTIFICATES = 10_000

function verifyCertificateCached (bytes: Uint8Array, context: VerifyContext): Certificate {
  if (bytes.length > MAX_CERTIFICATE_BYTES) throw new TooLargeError('MLS credential: certificate too large')
  let byRevocations = verified.get(context.trust)
  if (byRevocations == null) verified.set(context.trust, byRevocations = new WeakMap())
  let cache = byRevocations.get(context.revocations)
  if (cache == null) byRevocations.set(context.revocations, cache = new Map())
  const key = toHex(bytes)
  const hit = cache.get(key)
  if (hit != null) {
    const { certificate } = hit
    const fresh = hit.revocationSerial === context.revocations.serialOf(certificate.authorityPublicKey)
    if (fresh && context.now >= certificate.notBefore && context.now < certificate.notAfter) return certificate
  }
  const certificate = verifyCertificate(bytes, context)
  if (cache.size >= MAX_CACHED_CERTIFICATES) cache.clear()
  cache.set(key, { certificate, revocationSerial: context.revocations.serialOf(certificate.authorityPublicKey) })
  return certificate
}

export interface RecordingAuthService {
  service: AuthenticationService
  /** The first typed reason a credential was refused during this operation, if any. */
  failure: () => DakError | undefined
}

/**
 * An AuthenticationService backed by the trust store, revocation lists and clock of one
 * operation. ts-mls only learns true/false, so the typed reason is kept for the caller.
 */
export function certificateAuthService (context: VerifyContext): RecordingAuthService {
  let failure: DakError | undefined
  const service: AuthenticationService = {
    async validateCredential (credential, signaturePublicKey) {
      try {
        verifyMemberCredential(credential, signaturePublicKey, context)
        return true
      } catch (err) {
        failure ??= err instanceof DakError ? err : new MlsError(`credential check failed: ${String(err)}`)
        return false
      }
    }
  }
  return { service, failure: () => failure }
}

/** An MLS signature key pair: its public key goes into the device certificate. */
export interface MlsSignatureKeyPair {
  publicKey: Uint8Array
  /** In the suite's own encoding; stays on the device. */
  privateKey: Uint8Array
}

export async function generateMlsSignatureKeyPair (suite: Suite): Promise<MlsSignatureKeyPair> {
  const { publicKey, signKey } = await suite.impl.signature.keygen()
  return { publicKey, privateKey: signKey }
}
