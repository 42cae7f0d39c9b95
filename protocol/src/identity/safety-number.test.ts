import { describe, expect, it } from 'vitest'
import { InvalidArgumentError, MalformedInputError } from '../errors.js'
import { compareSafetyQr, safetyNumber, SAFETY_QR_PREFIX, type SafetyParty } from './safety-number.js'
import { seededKey } from './test-fixtures.js'

const asha: SafetyParty = { devicePublicKeys: [seededKey('asha device').publicKey], handle: 'asha.rao' }
const ravi: SafetyParty = { devicePublicKeys: [seededKey('ravi device').publicKey], handle: 'ravi.k' }
const mallory: SafetyParty = { devicePublicKeys: [seededKey('mallory device').publicKey], handle: 'ravi.k' }

const ashaSees = safetyNumber(asha, ravi)
const raviSees = safetyNumber(ravi, asha)

describe('safety number', () => {
  it('is 60 digits in groups of five', () => {
    expect(ashaSees.digits).toMatch(/^\d{5}( \d{5}){11}$/)
  })

  it('is the same on both sides', () => {
    expect(raviSees.digits).toBe(ashaSees.digits)
  })

  it('changes with either key or handle', () => {
    expect(safetyNumber(asha, mallory).digits).not.toBe(ashaSees.digits)
    expect(safetyNumber(asha, { ...ravi, handle: 'ravi.kumar' }).digits).not.toBe(ashaSees.digits)
    // Each half binds one party: swapping in Mallory's key changes only one half.
    const halves = (digits: string): string[] => { const d = digits.replaceAll(' ', ''); return [d.slice(0, 30), d.slice(30)] }
    const shared = halves(safetyNumber(asha, mallory).digits).filter(h => halves(ashaSees.digits).includes(h))
    expect(shared).toHaveLength(1)
  })
})

describe('safety number over several devices', () => {
  const ghost = seededKey('ghost device').publicKey
  const ashaTwo: SafetyParty = { devicePublicKeys: [asha.devicePublicKeys[0]!, ghost], handle: 'asha.rao' }

  it('changes when a device is added under the handle, on both sides alike', () => {
    expect(safetyNumber(ravi, ashaTwo).digits).not.toBe(raviSees.digits)
    expect(safetyNumber(ashaTwo, ravi).digits).toBe(safetyNumber(ravi, ashaTwo).digits)
  })

  it('does not depend on the order the devices are listed in, or on one listed twice', () => {
    const reordered: SafetyParty = { devicePublicKeys: [ghost, asha.devicePublicKeys[0]!, ghost], handle: 'asha.rao' }
    expect(safetyNumber(ravi, reordered).digits).toBe(safetyNumber(ravi, ashaTwo).digits)
  })

  it('cannot be matched by the ghost device alone', () => {
    expect(safetyNumber(ravi, { devicePublicKeys: [ghost], handle: 'asha.rao' }).digits).not.toBe(safetyNumber(ravi, ashaTwo).digits)
  })

  it('refuses no keys, too many keys and a key of the wrong length', () => {
    for (const devicePublicKeys of [[], Array.from({ length: 65 }, (_, i) => seededKey(`d${i}`).publicKey), [new Uint8Array(31)]]) {
      expect(() => safetyNumber(ravi, { devicePublicKeys, handle: 'asha.rao' })).toThrow(InvalidArgumentError)
    }
  })
})

describe('safety QR code', () => {
  it('matches when each scans the other', () => {
    expect(compareSafetyQr(raviSees.qrPayload, asha, ravi)).toBe(true)
    expect(compareSafetyQr(ashaSees.qrPayload, ravi, asha)).toBe(true)
  })

  it('does not match a device in the middle', () => {
    // Mallory sits between them: Ravi's device really sees Mallory's key as "Asha".
    const raviSeesMallory = safetyNumber(ravi, { ...mallory, handle: 'asha.rao' })
    expect(compareSafetyQr(raviSeesMallory.qrPayload, asha, ravi)).toBe(false)
  })

  it('does not match our own code reflected back at us', () => {
    expect(compareSafetyQr(ashaSees.qrPayload, asha, ravi)).toBe(false)
  })

  it('refuses what is not a safety code with MalformedInputError', () => {
    expect(ashaSees.qrPayload.startsWith(SAFETY_QR_PREFIX)).toBe(true)
    for (const payload of ['', 'dak:invite/AAAA', SAFETY_QR_PREFIX + 'AAAA', SAFETY_QR_PREFIX + '!!', ashaSees.qrPayload + 'A'.repeat(200)]) {
      expect(() => compareSafetyQr(payload, asha, ravi), payload).toThrow(MalformedInputError)
    }
  })
})
