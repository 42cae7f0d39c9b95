import { describe, expect, it } from 'vitest'
import { DeviceCertificate } from '../wire/generated/identity.js'
import { ExpiredCertificateError, InvalidArgumentError, InvalidSignatureError, MalformedInputError, RevokedCertificateError, UntrustedAuthorityError } from '../errors.js'
import { decodeCertificate, issueCertificate, sameDevice, verifyCertificate } from './certificate.js'
import { signFor } from './keys.js'
import { issueRevocationList, RevocationState } from './revocation.js'
import { TrustStore } from './trust.js'
import { DAY, NOW, context, department, officer, seededKey } from './test-fixtures.js'

const budget = department('mof.budget')
const health = department('moh')
const asha = officer(budget, 'asha.rao')

describe('certificate round trip', () => {
  it('decodes to exactly the fields that were issued', () => {
    const { certificate } = decodeCertificate(asha.certificate.bytes)
    expect(certificate).toEqual(asha.certificate)
  })

  it('verifies for a trusted authority inside its window', () => {
    const verified = verifyCertificate(asha.certificate.bytes, context([budget.entry]))
    expect(verified.handle).toBe('asha.rao')
    expect(sameDevice(verified, asha.certificate)).toBe(true)
  })

  it('is valid from not-before inclusive to not-after exclusive', () => {
    const { notBefore, notAfter } = asha.certificate
    expect(() => verifyCertificate(asha.certificate.bytes, context([budget.entry], notBefore))).not.toThrow()
    expect(() => verifyCertificate(asha.certificate.bytes, context([budget.entry], notAfter - 1))).not.toThrow()
    expect(() => verifyCertificate(asha.certificate.bytes, context([budget.entry], notAfter))).toThrow(ExpiredCertificateError)
  })
})

describe('certificate refusals, each with its own error', () => {
  it('forged signature: the body claims a trusted authority but another key signed it', () => {
    const real = DeviceCertificate.decode(asha.certificate.bytes)
    const forged = DeviceCertificate.encode({ body: real.body, signature: signFor('certificate', seededKey('forger').privateKey, real.body) })
    expect(() => verifyCertificate(forged, context([budget.entry]))).toThrow(InvalidSignatureError)
  })

  it('untrusted authority: a valid certificate from an authority not in the bundle', () => {
    expect(() => verifyCertificate(asha.certificate.bytes, context([health.entry]))).toThrow(UntrustedAuthorityError)
  })

  it('self-signed: a device acting as its own authority', () => {
    const device = seededKey('self-signed device')
    const selfSigned = issueCertificate(device, { ...asha.certificate, devicePublicKey: device.publicKey })
    expect(() => verifyCertificate(selfSigned.bytes, context([budget.entry]))).toThrow(UntrustedAuthorityError)
  })

  it('authority certifying another department: trusted, but only for its own', () => {
    const intruder = officer(health, 'mallory', { department: 'mof.budget' })
    expect(() => verifyCertificate(intruder.certificate.bytes, context([budget.entry, health.entry]))).toThrow(/moh may not certify officers of mof.budget/)
    expect(() => verifyCertificate(intruder.certificate.bytes, context([budget.entry, health.entry]))).toThrow(UntrustedAuthorityError)
  })

  it('expired', () => {
    expect(() => verifyCertificate(asha.certificate.bytes, context([budget.entry], NOW + 400 * DAY))).toThrow(ExpiredCertificateError)
  })

  it('not yet valid', () => {
    const later = officer(budget, 'new.joiner', { notBefore: NOW + DAY, notAfter: NOW + 30 * DAY })
    expect(() => verifyCertificate(later.certificate.bytes, context([budget.entry]))).toThrow(ExpiredCertificateError)
    expect(() => verifyCertificate(later.certificate.bytes, context([budget.entry]))).toThrow(/valid from 2025-01-16/)
  })

  it('revoked by its own authority, and only by it', () => {
    const trust = new TrustStore([budget.entry, health.entry])
    const revocations = new RevocationState()
    revocations.accept(issueRevocationList(health.authority, 1, NOW, [asha.device.publicKey]), trust)
    expect(() => verifyCertificate(asha.certificate.bytes, { trust, revocations, now: NOW })).not.toThrow()
    revocations.accept(issueRevocationList(budget.authority, 1, NOW, [asha.device.publicKey]), trust)
    expect(() => verifyCertificate(asha.certificate.bytes, { trust, revocations, now: NOW })).toThrow(RevokedCertificateError)
  })

  it('a re-encoded certificate: trailing bytes or an extra field after a valid one', () => {
    const bytes = asha.certificate.bytes
    expect(() => decodeCertificate(new Uint8Array([...bytes, 0x18, 0x01]))).toThrow(MalformedInputError)
    expect(() => decodeCertificate(new Uint8Array([...bytes, ...bytes.subarray(-66)]))).toThrow(MalformedInputError)
  })

  it('an unsupported version is malformed, even when signed', () => {
    // Issue with a patched body: version 2 is what a future authority would write.
    const real = DeviceCertificate.decode(asha.certificate.bytes)
    const body = new Uint8Array([0x08, 0x02, ...real.body.subarray(2)])
    const bytes = DeviceCertificate.encode({ body, signature: signFor('certificate', budget.authority.privateKey, body) })
    expect(() => decodeCertificate(bytes)).toThrow(MalformedInputError)
  })
})

describe('issuing', () => {
  it('refuses fields a verifier would refuse', () => {
    const fields = { ...asha.certificate }
    expect(() => issueCertificate(budget.authority, { ...fields, handle: 'Asha Rao' })).toThrow(InvalidArgumentError)
    expect(() => issueCertificate(budget.authority, { ...fields, displayName: 'Asha\u202eoaR' })).toThrow(InvalidArgumentError)
    expect(() => issueCertificate(budget.authority, { ...fields, devicePublicKey: new Uint8Array(31) })).toThrow(InvalidArgumentError)
    expect(() => issueCertificate(budget.authority, { ...fields, notAfter: fields.notBefore })).toThrow(InvalidArgumentError)
  })
})
