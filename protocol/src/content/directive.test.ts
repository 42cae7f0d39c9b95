import { describe, expect, it } from 'vitest'
import { MAX_CLOCK_SKEW_MS } from '../constants.js'
import { ExpiredCertificateError, FutureTimestampError, InvalidArgumentError, InvalidSignatureError, MalformedInputError, RevokedCertificateError, UntrustedAuthorityError } from '../errors.js'
import { issueRevocationList, RevocationState } from '../identity/revocation.js'
import { TrustStore } from '../identity/trust.js'
import { DAY, NOW, context, department, officer } from '../identity/test-fixtures.js'
import { signFor } from '../identity/keys.js'
import { directiveSignedBytes, signDirective, verifyDirective } from './directive.js'

const budget = department('mof.budget')
const health = department('moh')
const asha = officer(budget, 'asha.rao')
const ravi = officer(budget, 'ravi.k')
const directive = signDirective(asha.device, asha.certificate, 'Freeze all non-salary spending from 1 February.', NOW)

describe('directive signature', () => {
  it('verifies to its text, time and signer certificate', () => {
    const verified = verifyDirective(directive, context([budget.entry], NOW + DAY))
    expect(verified).toMatchObject({ text: directive.text, issuedAt: NOW })
    expect(verified.certificate.handle).toBe('asha.rao')
    expect(verified.certificate.title).toBe('Under Secretary')
  })

  it('binds text and time with a fixed-width time (no re-splitting)', () => {
    expect(directiveSignedBytes('ab', 1)).toEqual(new Uint8Array([0x61, 0x62, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0]))
    expect(directiveSignedBytes('ab', 1, 2)).toEqual(new Uint8Array([0x61, 0x62, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 2]))
    expect(() => verifyDirective({ ...directive, text: directive.text + '.' }, context([budget.entry]))).toThrow(InvalidSignatureError)
    expect(() => verifyDirective({ ...directive, issuedAt: NOW - 1 }, context([budget.entry]))).toThrow(InvalidSignatureError)
  })

  it('signs its deadline: a directive carries one only as its signer gave it', () => {
    const withDeadline = signDirective(asha.device, asha.certificate, 'Report by Friday.', NOW, NOW + DAY)
    expect(verifyDirective(withDeadline, context([budget.entry], NOW + 1)).deadline).toBe(NOW + DAY)
    expect(verifyDirective(directive, context([budget.entry], NOW + 1)).deadline).toBeUndefined()
    expect(() => verifyDirective({ ...withDeadline, deadline: NOW + 2 * DAY }, context([budget.entry], NOW + 1))).toThrow(InvalidSignatureError)
    expect(() => verifyDirective({ ...withDeadline, deadline: 0 }, context([budget.entry], NOW + 1))).toThrow(InvalidSignatureError)
    expect(() => signDirective(asha.device, asha.certificate, 'Too late.', NOW, NOW)).toThrow(InvalidArgumentError)
  })

  it('refuses a directive signed by another officer\'s key under this certificate', () => {
    const stolenName = { ...directive, signature: signFor('directive', ravi.device.privateKey, directiveSignedBytes(directive.text, NOW, 0)) }
    expect(() => verifyDirective(stolenName, context([budget.entry]))).toThrow(InvalidSignatureError)
    expect(() => signDirective(ravi.device, asha.certificate, 'x', NOW)).toThrow(InvalidArgumentError)
  })

  it('refuses an envelope signature reused as a directive signature', () => {
    const crossDomain = { ...directive, signature: signFor('envelope', asha.device.privateKey, directiveSignedBytes(directive.text, NOW, 0)) }
    expect(() => verifyDirective(crossDomain, context([budget.entry]))).toThrow(InvalidSignatureError)
  })

  it('refuses a signer whose authority is not trusted, or who is revoked', () => {
    expect(() => verifyDirective(directive, context([health.entry]))).toThrow(UntrustedAuthorityError)
    const trust = new TrustStore([budget.entry])
    const revocations = new RevocationState()
    revocations.accept(issueRevocationList(budget.authority, 1, NOW, [asha.device.publicKey]), trust)
    expect(() => verifyDirective(directive, { trust, revocations, now: NOW })).toThrow(RevokedCertificateError)
  })

  it('refuses a directive from the future, or dated outside the signer\'s certificate', () => {
    const future = signDirective(asha.device, asha.certificate, 'Tomorrow\'s order', NOW + MAX_CLOCK_SKEW_MS + 1)
    expect(() => verifyDirective(future, context([budget.entry]))).toThrow(FutureTimestampError)
    // A device key whose certificate starts later cannot back-date into a time it was not certified.
    const backDated = signDirective(asha.device, asha.certificate, 'Back-dated order', asha.certificate.notBefore - 1)
    expect(() => verifyDirective(backDated, context([budget.entry]))).toThrow(ExpiredCertificateError)
    expect(() => verifyDirective(directive, context([budget.entry], asha.certificate.notAfter))).toThrow(ExpiredCertificateError)
  })

  it('refuses malformed directives before any crypto', () => {
    expect(() => verifyDirective({ ...directive, signature: new Uint8Array(10) }, context([budget.entry]))).toThrow(MalformedInputError)
    expect(() => verifyDirective({ ...directive, text: '' }, context([budget.entry]))).toThrow(MalformedInputError)
    expect(() => verifyDirective({ ...directive, signerCertificate: new Uint8Array(0) }, context([budget.entry]))).toThrow(MalformedInputError)
  })
})
