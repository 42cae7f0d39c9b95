import { describe, expect, it } from 'vitest'
import { TrustBundle } from '../wire/identity.js'
import { InvalidArgumentError, MalformedInputError } from '../errors.js'
import { TrustStore } from './trust.js'
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
})
