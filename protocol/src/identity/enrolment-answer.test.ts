import { describe, expect, it } from 'vitest'
import { TrustBundleMismatchError } from '../errors.js'
import { checkEnrolmentAgainstInvite } from './enrolment-answer.js'
import { generateSigningKeyPair } from './keys.js'
import { department, officer } from './test-fixtures.js'
import { endorseAuthority, TrustStore } from './trust.js'

const budget = department('mof.budget')
const health = department('moh')
const invite = { department: 'mof.budget', authorityPublicKey: budget.entry.publicKey, handle: 'asha.rao' }

describe('an enrolment answer against its invite', () => {
  it('accepts the invite\'s authority as the department\'s root, other departments, and an authority it endorsed', () => {
    const rotated = endorseAuthority(budget.authority, { ...budget.entry, publicKey: generateSigningKeyPair().publicKey })
    const trust = new TrustStore([budget.entry, health.entry, rotated])
    expect(() => { checkEnrolmentAgainstInvite(trust, officer(budget, 'asha.rao').certificate, invite) }).not.toThrow()
  })

  it('refuses a bundle whose root for the department is another key', () => {
    const attacker = department('mof.budget-attacker')
    const swapped = { ...attacker.entry, department: 'mof.budget' }
    const certificate = officer({ authority: attacker.authority, entry: swapped }, 'asha.rao').certificate
    expect(() => { checkEnrolmentAgainstInvite(new TrustStore([swapped]), certificate, invite) }).toThrow(TrustBundleMismatchError)
    expect(() => { checkEnrolmentAgainstInvite(new TrustStore([health.entry]), officer(budget, 'asha.rao').certificate, invite) }).toThrow(TrustBundleMismatchError)
  })

  it('refuses a certificate signed by an endorsed authority rather than the invite\'s, or for another officer', () => {
    const next = generateSigningKeyPair()
    const rotated = endorseAuthority(budget.authority, { ...budget.entry, publicKey: next.publicKey })
    const trust = new TrustStore([budget.entry, rotated])
    const byNext = officer({ authority: next, entry: rotated }, 'asha.rao').certificate
    expect(() => { checkEnrolmentAgainstInvite(trust, byNext, invite) }).toThrow(/not signed by the authority the invite names/)
    expect(() => { checkEnrolmentAgainstInvite(trust, officer(budget, 'ravi.k').certificate, invite) }).toThrow(/is for ravi.k, but the invite is for asha.rao/)
  })
})
