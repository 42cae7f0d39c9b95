import { describe, expect, it } from 'vitest'
import { DeviceVouchRefusedError, InvalidSignatureError, MalformedInputError } from '../errors.js'
import { signFor } from './keys.js'
import { issueRevocationList, RevocationState } from './revocation.js'
import { context, department, NOW, officer, seededKey } from './test-fixtures.js'
import { MAX_DEVICE_VOUCH_BYTES, openDeviceVouch, signDeviceVouch, verifyDeviceVouch } from './device-vouch.js'

/**
 * Issue 16, linked devices: "device K2 is mine too", signed by an officer's
 * existing device. The attacks first: a vouch by another key, for another
 * handle, by a revoked device, or altered, is refused with a typed error.
 */
const budget = department('mof.budget')
const health = department('moh')
const asha = officer(budget, 'asha.rao')
const phoneKey = seededKey('asha phone')
const ashaPhone = officer(budget, 'asha.rao', { devicePublicKey: phoneKey.publicKey, mlsSignatureKey: seededKey('asha phone mls').publicKey })
const ravi = officer(budget, 'ravi.k')
const ashaElsewhere = officer(health, 'asha.rao', { devicePublicKey: seededKey('asha moh').publicKey })
const ctx = context([budget.entry, health.entry])

describe('device vouches', () => {
  it('an officer\'s device vouches for its new device of the same handle', () => {
    const bytes = signDeviceVouch(asha.device, { linkedDeviceKey: phoneKey.publicKey, handle: 'asha.rao', issuedAt: NOW })
    expect(bytes.length).toBeLessThanOrEqual(MAX_DEVICE_VOUCH_BYTES)
    const vouch = verifyDeviceVouch(bytes, asha.certificate.bytes, ashaPhone.certificate.bytes, ctx)
    expect(vouch).toMatchObject({ voucherKey: asha.device.publicKey, linkedDeviceKey: phoneKey.publicKey, handle: 'asha.rao', issuedAt: NOW })
  })

  it('refuses a vouch signed by another key than the voucher it names (a forger, or another officer)', () => {
    const genuine = signDeviceVouch(asha.device, { linkedDeviceKey: phoneKey.publicKey, handle: 'asha.rao', issuedAt: NOW })
    // ravi signs a vouch naming asha's device as the voucher
    const body = genuine.slice(0, genuine.length - 64)
    const forged = new Uint8Array([...body, ...signFor('deviceVouch', ravi.device.privateKey, body)])
    expect(() => verifyDeviceVouch(forged, asha.certificate.bytes, ashaPhone.certificate.bytes, ctx)).toThrow(InvalidSignatureError)
    // ravi's own genuine vouch, presented as asha's
    const byRavi = signDeviceVouch(ravi.device, { linkedDeviceKey: phoneKey.publicKey, handle: 'asha.rao', issuedAt: NOW })
    expect(() => verifyDeviceVouch(byRavi, asha.certificate.bytes, ashaPhone.certificate.bytes, ctx)).toThrow(DeviceVouchRefusedError)
    // ravi vouching for asha's device under his own certificate: another handle
    const raviForAsha = signDeviceVouch(ravi.device, { linkedDeviceKey: phoneKey.publicKey, handle: 'ravi.k', issuedAt: NOW })
    expect(() => verifyDeviceVouch(raviForAsha, ravi.certificate.bytes, ashaPhone.certificate.bytes, ctx)).toThrow(DeviceVouchRefusedError)
  })

  it('refuses a vouch for another handle, another department\'s device, or another device than the one named', () => {
    const otherHandle = signDeviceVouch(asha.device, { linkedDeviceKey: phoneKey.publicKey, handle: 'ravi.k', issuedAt: NOW })
    expect(() => verifyDeviceVouch(otherHandle, asha.certificate.bytes, ashaPhone.certificate.bytes, ctx)).toThrow(DeviceVouchRefusedError)
    const forRavi = signDeviceVouch(asha.device, { linkedDeviceKey: ravi.device.publicKey, handle: 'asha.rao', issuedAt: NOW })
    expect(() => verifyDeviceVouch(forRavi, asha.certificate.bytes, ravi.certificate.bytes, ctx)).toThrow(DeviceVouchRefusedError)
    const elsewhere = signDeviceVouch(asha.device, { linkedDeviceKey: ashaElsewhere.certificate.devicePublicKey, handle: 'asha.rao', issuedAt: NOW })
    expect(() => verifyDeviceVouch(elsewhere, asha.certificate.bytes, ashaElsewhere.certificate.bytes, ctx)).toThrow(DeviceVouchRefusedError)
    const mismatch = signDeviceVouch(asha.device, { linkedDeviceKey: seededKey('not the phone').publicKey, handle: 'asha.rao', issuedAt: NOW })
    expect(() => verifyDeviceVouch(mismatch, asha.certificate.bytes, ashaPhone.certificate.bytes, ctx)).toThrow(DeviceVouchRefusedError)
  })

  it('refuses a vouch by a revoked device, and for a revoked one', () => {
    const bytes = signDeviceVouch(asha.device, { linkedDeviceKey: phoneKey.publicKey, handle: 'asha.rao', issuedAt: NOW })
    const revokedVoucher = new RevocationState()
    revokedVoucher.accept(issueRevocationList(budget.authority, 1, NOW, [asha.device.publicKey]), ctx.trust)
    expect(() => verifyDeviceVouch(bytes, asha.certificate.bytes, ashaPhone.certificate.bytes, context([budget.entry, health.entry], NOW, revokedVoucher))).toThrow(DeviceVouchRefusedError)
    const revokedPhone = new RevocationState()
    revokedPhone.accept(issueRevocationList(budget.authority, 1, NOW, [phoneKey.publicKey]), ctx.trust)
    expect(() => verifyDeviceVouch(bytes, asha.certificate.bytes, ashaPhone.certificate.bytes, context([budget.entry, health.entry], NOW, revokedPhone))).toThrow(DeviceVouchRefusedError)
  })

  it('refuses altered, truncated, oversized and other-version bytes, and a signature from another domain', () => {
    const bytes = signDeviceVouch(asha.device, { linkedDeviceKey: phoneKey.publicKey, handle: 'asha.rao', issuedAt: NOW })
    const altered = bytes.slice()
    altered[70] = (altered[70] ?? 0) ^ 1
    expect(() => openDeviceVouch(altered)).toThrow(InvalidSignatureError)
    expect(() => openDeviceVouch(bytes.slice(0, 80))).toThrow(MalformedInputError)
    expect(() => openDeviceVouch(new Uint8Array(MAX_DEVICE_VOUCH_BYTES + 1))).toThrow(MalformedInputError)
    const version = bytes.slice()
    version[0] = 2
    expect(() => openDeviceVouch(version)).toThrow(MalformedInputError)
    const body = bytes.slice(0, bytes.length - 64)
    const otherDomain = new Uint8Array([...body, ...signFor('wipeReport', asha.device.privateKey, body)])
    expect(() => openDeviceVouch(otherDomain)).toThrow(InvalidSignatureError)
    // the handle's length byte must match what follows
    const badLength = bytes.slice()
    badLength[73] = 60
    expect(() => openDeviceVouch(badLength)).toThrow(MalformedInputError)
  })
})
