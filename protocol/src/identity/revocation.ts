import { ED25519_PUBLIC_KEY_BYTES, MAX_REVOCATION_LIST_BYTES } from '../constants.js'
import { decodeBounded } from '../codec.js'
import { toHex } from '../bytes.js'
import { InvalidArgumentError, MalformedInputError, StaleRevocationListError, UntrustedAuthorityError } from '../errors.js'
import { RevocationBody, RevocationList } from '../wire/generated/identity.js'
import { signFor, verifyFor, type SigningKeyPair } from './keys.js'
import type { TrustStore } from './trust.js'

export interface VerifiedRevocationList {
  authorityPublicKey: Uint8Array
  serial: number
  issuedAt: number
  revokedDeviceKeys: Uint8Array[]
  /** The encoded, signed list: what is gossiped and served as-is. */
  bytes: Uint8Array
}

/** Device keys are Ed25519 public keys: anything else could never match a certificate and hides a bug. */
function checkRevokedKeys (keys: Uint8Array[]): boolean {
  return keys.every(key => key.length === ED25519_PUBLIC_KEY_BYTES)
}

export function issueRevocationList (authority: SigningKeyPair, serial: number, issuedAt: number, revokedDeviceKeys: Uint8Array[]): Uint8Array {
  if (!Number.isSafeInteger(serial) || serial < 1) throw new InvalidArgumentError('revocation list serial must be a positive integer')
  if (!Number.isSafeInteger(issuedAt) || issuedAt < 0) throw new InvalidArgumentError('revocation list time must be a non-negative integer')
  if (!checkRevokedKeys(revokedDeviceKeys)) throw new InvalidArgumentError('revoked device keys must be 32-byte Ed25519 public keys')
  const body = RevocationBody.encode({ authorityPublicKey: authority.publicKey, serial, issuedAt, revokedDeviceKeys })
  return RevocationList.encode({ body, signature: signFor('revocation', authority.privateKey, body) })
}

/** Decode and check a revocation list's signature against a trusted authority. */
export function verifyRevocationList (bytes: Uint8Array, trust: TrustStore): VerifiedRevocationList {
  const outer = decodeBounded(RevocationList, bytes, MAX_REVOCATION_LIST_BYTES, 'revocation list')
  const body = decodeBounded(RevocationBody, outer.body, MAX_REVOCATION_LIST_BYTES, 'revocation list body', { limits: { revokedDeviceKeys: 65_536 } })
  if (trust.authorityFor(body.authorityPublicKey) == null) throw new UntrustedAuthorityError('revocation list is signed by an authority not in the trust bundle')
  verifyFor('revocation', body.authorityPublicKey, outer.body, outer.signature, 'revocation list')
  if (!checkRevokedKeys(body.revokedDeviceKeys)) throw new MalformedInputError('revocation list names a device key that is not 32 bytes')
  return { authorityPublicKey: body.authorityPublicKey, serial: body.serial, issuedAt: body.issuedAt, revokedDeviceKeys: body.revokedDeviceKeys, bytes }
}

/**
 * The newest accepted revocation list of each authority. A list replaces the
 * previous one only with a higher serial, so an old list can never un-revoke.
 */
export class RevocationState {
  private readonly lists = new Map<string, { serial: number, revoked: Set<string>, bytes: Uint8Array }>()

  /** Verify and adopt a list; throws StaleRevocationListError for a serial not above the current one. */
  accept (bytes: Uint8Array, trust: TrustStore): VerifiedRevocationList {
    const list = verifyRevocationList(bytes, trust)
    const key = toHex(list.authorityPublicKey)
    const current = this.lists.get(key)
    if (current != null && list.serial <= current.serial) {
      throw new StaleRevocationListError(`revocation list serial ${list.serial} is not newer than ${current.serial}`)
    }
    this.lists.set(key, { serial: list.serial, revoked: new Set(list.revokedDeviceKeys.map(toHex)), bytes })
    return list
  }

  isRevoked (authorityPublicKey: Uint8Array, deviceKey: Uint8Array): boolean {
    return this.lists.get(toHex(authorityPublicKey))?.revoked.has(toHex(deviceKey)) ?? false
  }

  serialOf (authorityPublicKey: Uint8Array): number {
    return this.lists.get(toHex(authorityPublicKey))?.serial ?? 0
  }

  /** The signed lists currently in force, for persisting and serving. */
  encodedLists (): Uint8Array[] {
    return [...this.lists.values()].map(l => l.bytes)
  }
}
