import { sha256 } from '@noble/hashes/sha2.js'
import { concatBytes, utf8 } from '../bytes.js'
import type { Authority } from '../wire/generated/identity.js'
import { issueCertificate, type Certificate, type CertificateFields, type VerifyContext } from './certificate.js'
import { signingKeyPairFromSeed, type SigningKeyPair } from './keys.js'
import { RevocationState } from './revocation.js'
import { TrustStore } from './trust.js'

/**
 * Deterministic keys, clocks and randomness for tests (not exported from the
 * package). Everything is derived from labels, so a failing test names the
 * same bytes on every run and machine.
 */

/** 15 January 2025, 09:00 UTC: a fixed "now" for every test. */
export const NOW = Date.UTC(2025, 0, 15, 9, 0, 0)
export const DAY = 86_400_000

export function seededKey (label: string): SigningKeyPair {
  return signingKeyPairFromSeed(sha256(utf8(`dak test key: ${label}`)))
}

/** A randomBytes function that returns a SHA-256 counter stream seeded by `label`. */
export function seededRandom (label: string): (n: number) => Uint8Array {
  let counter = 0
  return (n: number) => {
    let out: Uint8Array = new Uint8Array(0)
    while (out.length < n) out = concatBytes(out, sha256(utf8(`dak test random: ${label}/${counter++}`)))
    return out.slice(0, n)
  }
}

export interface Department {
  authority: SigningKeyPair
  entry: Authority
}

export function department (id: string): Department {
  const authority = seededKey(`authority ${id}`)
  return { authority, entry: { department: id, name: `Authority of ${id}`, publicKey: authority.publicKey } }
}

export interface Officer {
  device: SigningKeyPair
  certificate: Certificate
}

export function officer (dept: Department, handle: string, overrides: Partial<CertificateFields> = {}): Officer {
  const device = seededKey(`device ${dept.entry.department}/${handle}`)
  const certificate = issueCertificate(dept.authority, {
    handle,
    displayName: handle.split('.').map(p => p.charAt(0).toUpperCase() + p.slice(1)).join(' '),
    title: 'Under Secretary',
    department: dept.entry.department,
    devicePublicKey: device.publicKey,
    mlsSignatureKey: seededKey(`mls ${dept.entry.department}/${handle}`).publicKey,
    notBefore: NOW - 30 * DAY,
    notAfter: NOW + 335 * DAY,
    serial: 1,
    ...overrides
  })
  return { device, certificate }
}

export function context (authorities: Authority[], now = NOW, revocations = new RevocationState()): VerifyContext {
  return { trust: new TrustStore(authorities), revocations, now }
}
