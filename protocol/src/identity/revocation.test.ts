import { describe, expect, it } from 'vitest'
import { RevocationBody, RevocationList } from '../wire/generated/identity.js'
import { InvalidArgumentError, InvalidSignatureError, MalformedInputError, StaleRevocationListError, UntrustedAuthorityError } from '../errors.js'
import { signFor } from './keys.js'
import { issueRevocationList, RevocationState, verifyRevocationList } from './revocation.js'
import { TrustStore } from './trust.js'
import { NOW, department, seededKey } from './test-fixtures.js'

const budget = department('mof.budget')
const health = department('moh')
const trust = new TrustStore([budget.entry])
const lost = seededKey('lost phone').publicKey
const stolen = seededKey('stolen laptop').publicKey

describe('revocation list round trip', () => {
  it('verifies to what was issued', () => {
    const bytes = issueRevocationList(budget.authority, 7, NOW, [lost, stolen])
    expect(verifyRevocationList(bytes, trust)).toEqual({ authorityPublicKey: budget.authority.publicKey, serial: 7, issuedAt: NOW, revokedDeviceKeys: [lost, stolen], bytes })
  })
})

describe('revocation refusals', () => {
  it('a list from an authority not in the trust bundle', () => {
    expect(() => verifyRevocationList(issueRevocationList(health.authority, 1, NOW, [lost]), trust)).toThrow(UntrustedAuthorityError)
  })

  it('a list whose body names a trusted authority but another key signed it', () => {
    const body = RevocationBody.encode({ authorityPublicKey: budget.authority.publicKey, serial: 99, issuedAt: NOW, revokedDeviceKeys: [] })
    const forged = RevocationList.encode({ body, signature: signFor('revocation', seededKey('forger').privateKey, body) })
    expect(() => verifyRevocationList(forged, trust)).toThrow(InvalidSignatureError)
  })

  it('a stale list: same or lower serial than the one in force, so nothing is un-revoked', () => {
    const state = new RevocationState()
    state.accept(issueRevocationList(budget.authority, 2, NOW, [lost]), trust)
    expect(() => state.accept(issueRevocationList(budget.authority, 2, NOW, []), trust)).toThrow(StaleRevocationListError)
    expect(() => state.accept(issueRevocationList(budget.authority, 1, NOW, []), trust)).toThrow(StaleRevocationListError)
    expect(state.isRevoked(budget.authority.publicKey, lost)).toBe(true)
    expect(state.serialOf(budget.authority.publicKey)).toBe(2)
  })

  it('a newer list replaces the old one entirely', () => {
    const state = new RevocationState()
    state.accept(issueRevocationList(budget.authority, 1, NOW, [lost]), trust)
    const newer = issueRevocationList(budget.authority, 2, NOW, [stolen])
    state.accept(newer, trust)
    expect(state.isRevoked(budget.authority.publicKey, lost)).toBe(false)
    expect(state.isRevoked(budget.authority.publicKey, stolen)).toBe(true)
    expect(state.encodedLists()).toEqual([newer])
  })

  it('a signed list naming a key that is not 32 bytes', () => {
    const body = RevocationBody.encode({ authorityPublicKey: budget.authority.publicKey, serial: 1, issuedAt: NOW, revokedDeviceKeys: [new Uint8Array(0)] })
    const bytes = RevocationList.encode({ body, signature: signFor('revocation', budget.authority.privateKey, body) })
    expect(() => verifyRevocationList(bytes, trust)).toThrow(MalformedInputError)
    expect(() => issueRevocationList(budget.authority, 1, NOW, [lost.subarray(1)])).toThrow(InvalidArgumentError)
    expect(() => issueRevocationList(budget.authority, 0, NOW, [lost])).toThrow(InvalidArgumentError)
  })
})
