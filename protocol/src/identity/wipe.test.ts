import { describe, expect, it } from 'vitest'
import { InvalidSignatureError, MalformedInputError, WipeOrderRefusedError } from '../errors.js'
import { signFor } from './keys.js'
import { department, NOW, officer, seededKey } from './test-fixtures.js'
import { TrustStore } from './trust.js'
import { issueWipeOrder, openWipeReport, signWipeReport, verifyWipeOrderFor, wipeOrderHash, WIPE_ORDER_BYTES } from './wipe.js'

const budget = department('mof.budget')
const health = department('moh')
const asha = officer(budget, 'asha.rao')
const ravi = officer(budget, 'ravi.k')
const trust = new TrustStore([budget.entry, health.entry])
const device = { certificate: asha.certificate, trust }

describe('wipe orders', () => {
  it('a device obeys its own authority\'s order for itself, and its report names that order', () => {
    const bytes = issueWipeOrder(budget.authority, asha.device.publicKey, NOW)
    expect(bytes.length).toBe(WIPE_ORDER_BYTES)
    const order = verifyWipeOrderFor(bytes, device)
    expect(order).toMatchObject({ authorityPublicKey: budget.authority.publicKey, deviceKey: asha.device.publicKey, issuedAt: NOW })
    const report = openWipeReport(signWipeReport(asha.device, bytes, NOW + 5))
    expect(report).toMatchObject({ deviceKey: asha.device.publicKey, orderHash: wipeOrderHash(bytes), wipedAt: NOW + 5 })
  })

  it('refuses an order for another device, from another trusted department, or from an untrusted key', () => {
    expect(() => verifyWipeOrderFor(issueWipeOrder(budget.authority, ravi.device.publicKey, NOW), device)).toThrow(WipeOrderRefusedError)
    expect(() => verifyWipeOrderFor(issueWipeOrder(health.authority, asha.device.publicKey, NOW), device)).toThrow(WipeOrderRefusedError)
    expect(() => verifyWipeOrderFor(issueWipeOrder(seededKey('department node'), asha.device.publicKey, NOW), device)).toThrow(WipeOrderRefusedError)
  })

  it('refuses an order that names the authority but another key signed, or that was altered', () => {
    const genuine = issueWipeOrder(budget.authority, ravi.device.publicKey, NOW)
    const forged = genuine.slice()
    forged.set(asha.device.publicKey, 33)
    expect(() => verifyWipeOrderFor(forged, device)).toThrow(InvalidSignatureError)
    const body = genuine.slice(0, 73)
    body.set(asha.device.publicKey, 33)
    const resigned = new Uint8Array([...body, ...signFor('wipeOrder', seededKey('forger').privateKey, body)])
    expect(() => verifyWipeOrderFor(resigned, device)).toThrow(InvalidSignatureError)
    // an order signed in another domain (a revocation signature over the same bytes) does not pass either
    const otherDomain = new Uint8Array([...body, ...signFor('revocation', budget.authority.privateKey, body)])
    expect(() => verifyWipeOrderFor(otherDomain, device)).toThrow(InvalidSignatureError)
    expect(() => verifyWipeOrderFor(genuine.slice(1), device)).toThrow(MalformedInputError)
  })

  it('refuses a report signed by another key than the device it names', () => {
    const report = signWipeReport(asha.device, issueWipeOrder(budget.authority, asha.device.publicKey, NOW), NOW)
    const swapped = report.slice()
    swapped.set(ravi.device.publicKey, 1)
    expect(() => openWipeReport(swapped)).toThrow(InvalidSignatureError)
  })
})
