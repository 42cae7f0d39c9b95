import { describe, expect, it } from 'vitest'
import { DirectiveMismatchError, ExpiredCertificateError, FutureTimestampError, InvalidArgumentError, InvalidSignatureError, MalformedInputError, RevokedCertificateError, UntrustedAuthorityError } from '../errors.js'
import { signFor } from '../identity/keys.js'
import { issueRevocationList, RevocationState } from '../identity/revocation.js'
import { TrustStore } from '../identity/trust.js'
import { DAY, NOW, context, department, officer, seededRandom } from '../identity/test-fixtures.js'
import { directiveAckSignedBytes, directiveHash, signDirectiveAck, verifyDirectiveAck } from './directive-ack.js'
import { decodeEvidence, encodeEvidence, verifyEvidence } from './directive-evidence.js'
import { signDirective } from './directive.js'

const random = seededRandom('directive ack')
const budget = department('mof.budget')
const health = department('moh')
const asha = officer(budget, 'asha.rao')
const ravi = officer(budget, 'ravi.k')
const meena = officer(budget, 'meena.s')
const directiveId = random(32)
const directive = signDirective(asha.device, asha.certificate, 'Submit the revised estimates.', NOW, NOW + DAY)
const ack = signDirectiveAck(ravi.device, ravi.certificate, directiveId, directive, NOW + 60_000)
const later = NOW + 2 * 60_000

describe('directive acknowledgement', () => {
  it('verifies to its signer and names the directive', () => {
    const verified = verifyDirectiveAck(ack, directiveId, directive, context([budget.entry], later))
    expect(verified.certificate.handle).toBe('ravi.k')
    expect(verified.acknowledgedAt).toBe(NOW + 60_000)
  })

  it('signs fixed-width id, hash and time under its own domain', () => {
    expect(directiveAckSignedBytes(new Uint8Array(32), new Uint8Array(32), 1)).toHaveLength(72)
    // the same bytes signed for the directive domain are not an acknowledgement
    const crossDomain = { ...ack, signature: signFor('directive', ravi.device.privateKey, directiveAckSignedBytes(directiveId, directiveHash(directive), ack.acknowledgedAt)) }
    expect(() => verifyDirectiveAck(crossDomain, directiveId, directive, context([budget.entry], later))).toThrow(InvalidSignatureError)
  })

  it('refuses an altered acknowledgement: time, id, hash or signer', () => {
    const ctx = context([budget.entry], later)
    expect(() => verifyDirectiveAck({ ...ack, acknowledgedAt: ack.acknowledgedAt + 1 }, directiveId, directive, ctx)).toThrow(InvalidSignatureError)
    expect(() => verifyDirectiveAck({ ...ack, directiveId: random(32) }, directiveId, directive, ctx)).toThrow(InvalidSignatureError)
    expect(() => verifyDirectiveAck({ ...ack, signerCertificate: meena.certificate.bytes }, directiveId, directive, ctx)).toThrow(InvalidSignatureError)
    // a genuine acknowledgement shown against another directive, or an altered copy of this one
    const other = signDirective(asha.device, asha.certificate, 'Submit the revised estimates by Monday.', NOW, NOW + DAY)
    expect(() => verifyDirectiveAck(ack, directiveId, other, ctx)).toThrow(DirectiveMismatchError)
    expect(() => verifyDirectiveAck(ack, random(32), directive, ctx)).toThrow(DirectiveMismatchError)
  })

  it('refuses an untrusted or revoked signer, a future time, a bad shape', () => {
    expect(() => verifyDirectiveAck(ack, directiveId, directive, context([health.entry], later))).toThrow(UntrustedAuthorityError)
    const trust = new TrustStore([budget.entry])
    const revocations = new RevocationState()
    revocations.accept(issueRevocationList(budget.authority, 1, NOW, [ravi.device.publicKey]), trust)
    expect(() => verifyDirectiveAck(ack, directiveId, directive, { trust, revocations, now: later })).toThrow(RevokedCertificateError)
    expect(() => verifyDirectiveAck(ack, directiveId, directive, context([budget.entry], NOW - DAY))).toThrow(FutureTimestampError)
    expect(() => verifyDirectiveAck({ ...ack, signature: new Uint8Array(3) }, directiveId, directive, context([budget.entry], later))).toThrow(MalformedInputError)
    expect(() => signDirectiveAck(meena.device, ravi.certificate, directiveId, directive, NOW)).toThrow(InvalidArgumentError)
  })
})

describe('directive evidence file', () => {
  const meenaAck = signDirectiveAck(meena.device, meena.certificate, directiveId, directive, NOW + 120_000)
  const file = encodeEvidence({ directiveId, directive, acks: [meenaAck, ack] })
  const auditor = (now: number) => context([budget.entry], now)

  it('verifies offline with the trust bundle, years later, acknowledgements oldest first', () => {
    const verified = verifyEvidence(file, auditor(NOW + 900 * DAY))
    expect(verified.directive.text).toBe(directive.text)
    expect(verified.directive.deadline).toBe(NOW + DAY)
    expect(verified.acks.map(a => a.certificate.handle)).toEqual(['ravi.k', 'meena.s'])
  })

  it('refuses a forged acknowledgement (signed by a key the certificate does not name)', () => {
    const forged = { ...meenaAck, signature: signFor('directiveAck', ravi.device.privateKey, directiveAckSignedBytes(directiveId, directiveHash(directive), meenaAck.acknowledgedAt)) }
    expect(() => verifyEvidence(encodeEvidence({ directiveId, directive, acks: [ack, forged] }), auditor(later))).toThrow(InvalidSignatureError)
  })

  it('refuses an altered directive or acknowledgement inside the file', () => {
    expect(() => verifyEvidence(encodeEvidence({ directiveId, directive: { ...directive, text: 'Ignore the estimates.' }, acks: [ack] }), auditor(later))).toThrow(InvalidSignatureError)
    expect(() => verifyEvidence(encodeEvidence({ directiveId, directive, acks: [{ ...ack, acknowledgedAt: ack.acknowledgedAt - 1 }] }), auditor(later))).toThrow(InvalidSignatureError)
    // the same directive re-signed later, shown with acknowledgements of the first one
    const resigned = signDirective(asha.device, asha.certificate, directive.text, NOW + 1, NOW + DAY)
    expect(() => verifyEvidence(encodeEvidence({ directiveId, directive: resigned, acks: [ack] }), auditor(later))).toThrow(DirectiveMismatchError)
    // a flipped byte anywhere is refused, never accepted as something else
    for (let i = 0; i < file.length; i += 7) {
      const flipped = file.slice()
      flipped[i] = (flipped[i] as number) ^ 0x01
      let accepted: unknown
      try {
        accepted = verifyEvidence(flipped, auditor(later))
      } catch (err) {
        expect((err as Error).name).toMatch(/Error$/)
        continue
      }
      expect(accepted).toEqual(verifyEvidence(file, auditor(later)))
    }
  })

  it('refuses the same device twice, an acknowledgement before the directive, a future one', () => {
    expect(() => verifyEvidence(encodeEvidence({ directiveId, directive, acks: [ack, ack] }), auditor(later))).toThrow(MalformedInputError)
    const early = signDirectiveAck(meena.device, meena.certificate, directiveId, directive, NOW - DAY)
    expect(() => verifyEvidence(encodeEvidence({ directiveId, directive, acks: [early] }), auditor(later))).toThrow(MalformedInputError)
    expect(() => verifyEvidence(file, auditor(NOW - DAY))).toThrow(FutureTimestampError)
  })

  it('refuses a signer revoked in the lists given, and junk', () => {
    const trust = new TrustStore([budget.entry])
    const revocations = new RevocationState()
    revocations.accept(issueRevocationList(budget.authority, 1, NOW, [meena.device.publicKey]), trust)
    expect(() => verifyEvidence(file, { trust, revocations, now: later })).toThrow(RevokedCertificateError)
    expect(() => decodeEvidence(new Uint8Array([1, 2, 3]))).toThrow(MalformedInputError)
    expect(() => verifyEvidence(file, auditor(NOW + 2000 * DAY))).not.toThrow(ExpiredCertificateError)
  })
})
