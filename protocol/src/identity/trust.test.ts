import { describe, expect, it } from 'vitest'
import { TrustBundle } from '../wire/generated/identity.js'
import { InvalidArgumentError, MalformedInputError, UnendorsedAuthorityError } from '../errors.js'
import { generateSigningKeyPair } from './keys.js'
import { endorseAuthority, TrustStore } from './trust.js'
import { department } from './test-fixtures.js'

const budget = department('mof.budget')
const health = department('moh')

describe('trust bundle', () => {
  it('round-trips through its encoding', () => {
    const store = new TrustStore([budget.entry, health.entry])
    const decoded = TrustStore.decode(store.encode())
    expect(decoded.authorities()).toEqual([budget.entry, health.entry])
    expect(decoded.authorityFor(health.entry.publicKey)).toEqual(health.entry)
  })

  it('replaces an authority with the same key instead of listing it twice', () => {
    const renamed = { ...budget.entry, name: 'Budget Division' }
    const store = new TrustStore([budget.entry]).with(renamed)
    expect(store.authorities()).toEqual([renamed])
  })

  it('refuses authorities without an Ed25519 key or with a bad department id', () => {
    expect(() => TrustStore.decode(TrustBundle.encode({ authorities: [{ ...budget.entry, publicKey: new Uint8Array(0) }] }))).toThrow(InvalidArgumentError)
    expect(() => new TrustStore([{ ...budget.entry, department: 'MOF BUDGET' }])).toThrow(InvalidArgumentError)
  })

  it('refuses more authorities than the bundle limit', () => {
    const bytes = new Uint8Array(257 * 2).fill(0).map((_, i) => i % 2 === 0 ? 0x0a : 0x00)
    expect(() => TrustStore.decode(bytes)).toThrow(MalformedInputError)
  })

  describe('one root authority per department', () => {
    const next = generateSigningKeyPair()
    const nextEntry = { department: 'mof.budget', name: 'Budget Division', publicKey: next.publicKey }

    it('refuses a second authority for a department that the first did not sign', () => {
      expect(() => new TrustStore([budget.entry, nextEntry])).toThrow(UnendorsedAuthorityError)
      expect(() => TrustStore.decode(TrustBundle.encode({ authorities: [nextEntry, budget.entry] }))).toThrow(UnendorsedAuthorityError)
    })

    it('accepts a second authority the first signed, and a chain of them, and keeps the first as the root', () => {
      const endorsed = endorseAuthority(budget.authority, nextEntry)
      const third = generateSigningKeyPair()
      const chained = endorseAuthority(next, { ...nextEntry, publicKey: third.publicKey })
      const store = TrustStore.decode(new TrustStore([chained, health.entry, endorsed, budget.entry]).encode())
      expect(store.authorities()).toHaveLength(4)
      expect(store.rootFor('mof.budget')?.publicKey).toEqual(budget.entry.publicKey)
      expect(store.rootFor('moh')?.publicKey).toEqual(health.entry.publicKey)
      expect(store.authorityFor(third.publicKey)?.department).toBe('mof.budget')
    })

    it('refuses endorsements that are forged, from another department, dangling, self-signed or in a loop', () => {
      const endorsed = endorseAuthority(budget.authority, nextEntry)
      const forged = { ...endorsed, endorsement: endorsed.endorsement?.map((b, i) => i === 0 ? b ^ 1 : b) }
      const byHealth = endorseAuthority(health.authority, nextEntry)
      const dangling = endorseAuthority(generateSigningKeyPair(), nextEntry)
      const self = endorseAuthority(next, nextEntry)
      const halfMissing = { ...nextEntry, endorsedBy: budget.entry.publicKey }
      const other = generateSigningKeyPair()
      const otherEntry = { ...nextEntry, publicKey: other.publicKey }
      for (const authorities of [
        [budget.entry, forged], [budget.entry, health.entry, byHealth], [budget.entry, dangling], [budget.entry, self], [budget.entry, halfMissing],
        [budget.entry, endorseAuthority(other, nextEntry), endorseAuthority(next, otherEntry)]
      ]) {
        expect(() => new TrustStore(authorities)).toThrow(UnendorsedAuthorityError)
      }
    })
  })
})
