import { createEnrolRequest, verifyEnrolRequest } from '@dak/protocol'
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  DakError, InvalidSignatureError, MalformedInputError, RevocationState, RevokedCertificateError, TrustStore, verifyCertificate
} from '@dak/protocol'
import { DAY_MS } from '../store/limits.js'
import { NOW, openTempDb, STORE_BACKENDS, stopTestEngine, seededKey, type TempDb } from '../store/test-helpers.js'
import type { Db } from '../store/level.js'
import { DeviceRegistry } from './device-registry.js'
import { EnrolmentService } from './enrolment-service.js'
import { DeviceAlreadyEnrolledError, InviteAlreadyUsedError, InviteExpiredError, UnknownDeviceError, UnknownInviteError } from './errors.js'
import { InviteRegistry, type InviteRecord } from './invite-registry.js'

/** The registry's contract, on the embedded engine and on the shared one (docs/scaled.md). */
describe.each(STORE_BACKENDS)('on %s', (backend) => {
  afterAll(stopTestEngine)


  const authority = seededKey('authority mof.budget')
  const trust = new TrustStore([{ department: 'mof.budget', name: 'Budget Division', publicKey: authority.publicKey }])
  const phone = seededKey('asha phone')
  const laptop = seededKey('asha laptop')
  const raviPhone = seededKey('ravi phone')
  const mlsKey = new Uint8Array(32).fill(0x4d)
  const asha: InviteRecord = { handle: 'asha.rao', displayName: 'Asha Rao', title: 'Under Secretary', expiresAt: NOW + DAY_MS }
  const ravi: InviteRecord = { handle: 'ravi.k', displayName: 'Ravi K', title: 'Section Officer', expiresAt: NOW + DAY_MS }

  let temp: TempDb<Db>
  let invites: InviteRegistry
  let devices: DeviceRegistry
  let service: EnrolmentService

  function open (): void {
    invites = new InviteRegistry({ db: temp.db })
    devices = new DeviceRegistry({ db: temp.db })
    service = new EnrolmentService({ invites, devices, department: 'mof.budget', trustBundle: () => trust.encode(), certificateValidityDays: 30 })
  }

  beforeEach(async () => { temp = await openTempDb(backend); open() })
  afterEach(async () => { await temp.cleanup() })

  describe('enrolment', () => {
    it('certifies the device for the officer the invite names, with the trust bundle', async () => {
      const secret = await invites.create(asha)
      const response = await service.enrol(createEnrolRequest(phone, secret, mlsKey), authority, NOW)
      const certificate = verifyCertificate(response.certificate, { trust, revocations: new RevocationState(), now: NOW + DAY_MS })
      expect(certificate).toMatchObject({ handle: 'asha.rao', displayName: 'Asha Rao', title: 'Under Secretary', department: 'mof.budget', devicePublicKey: phone.publicKey, mlsSignatureKey: mlsKey, notBefore: NOW, notAfter: NOW + 30 * DAY_MS, serial: 1 })
      expect(response.trustBundle).toEqual(trust.encode())
      expect(response.revocationLists).toEqual([])
      expect((await devices.devicesOf('asha.rao')).map(d => d.deviceKey)).toEqual([phone.publicKey])
    })

    it('refuses a proof not made by the device key, without using the invite', async () => {
      const secret = await invites.create(asha)
      const forged = { ...createEnrolRequest(laptop, secret, mlsKey), devicePublicKey: phone.publicKey }
      await expect(service.enrol(forged, authority, NOW)).rejects.toThrow(InvalidSignatureError)
      const swappedMlsKey = { ...createEnrolRequest(phone, secret, mlsKey), mlsSignatureKey: new Uint8Array(32) }
      await expect(service.enrol(swappedMlsKey, authority, NOW)).rejects.toThrow(InvalidSignatureError)
      await expect(service.enrol(createEnrolRequest(phone, secret, new Uint8Array(3000)), authority, NOW)).rejects.toThrow(MalformedInputError)
      expect((await service.enrol(createEnrolRequest(phone, secret, mlsKey), authority, NOW)).certificate.length).toBeGreaterThan(0)
    })

    it('refuses reused, expired and unknown invites', async () => {
      const secret = await invites.create(asha)
      await service.enrol(createEnrolRequest(phone, secret, mlsKey), authority, NOW)
      await expect(service.enrol(createEnrolRequest(laptop, secret, mlsKey), authority, NOW)).rejects.toThrow(InviteAlreadyUsedError)
      const late = await invites.create(asha)
      await expect(service.enrol(createEnrolRequest(laptop, late, mlsKey), authority, asha.expiresAt + 1)).rejects.toThrow(InviteExpiredError)
      await expect(service.enrol(createEnrolRequest(laptop, new Uint8Array(10), mlsKey), authority, NOW)).rejects.toThrow(UnknownInviteError)
    })

    it('enrols exactly one device when two race with one invite', async () => {
      const secret = await invites.create(asha)
      const results = await Promise.allSettled([phone, laptop].map(async d => await service.enrol(createEnrolRequest(d, secret, mlsKey), authority, NOW)))
      expect(results.filter(r => r.status === 'fulfilled')).toHaveLength(1)
      expect(results.filter(r => r.status === 'rejected' && r.reason instanceof InviteAlreadyUsedError)).toHaveLength(1)
      expect(await devices.devicesOf('asha.rao')).toHaveLength(1)
    })

    it('refuses a device already certified for another officer, keeping the invite', async () => {
      await service.enrol(createEnrolRequest(phone, await invites.create(asha), mlsKey), authority, NOW)
      const raviInvite = await invites.create(ravi)
      await expect(service.enrol(createEnrolRequest(phone, raviInvite, mlsKey), authority, NOW)).rejects.toThrow(DeviceAlreadyEnrolledError)
      expect(await service.enrol(createEnrolRequest(raviPhone, raviInvite, mlsKey), authority, NOW)).toBeDefined()
    })

    it('turns malformed requests into typed errors', () => {
      const good = createEnrolRequest(phone, new Uint8Array(10), mlsKey)
      for (const bad of [{ ...good, inviteSecret: new Uint8Array(11) }, { ...good, devicePublicKey: new Uint8Array(31) }, { ...good, proof: new Uint8Array(3) }, { ...good, mlsSignatureKey: new Uint8Array(0) }]) {
        expect(() => verifyEnrolRequest(bad)).toThrow(DakError)
      }
    })
  })

  describe('revocation', () => {
    async function enrol (device = phone, record = asha): Promise<void> {
      await service.enrol(createEnrolRequest(device, await invites.create(record), mlsKey), authority, NOW)
    }

    it('revokes every device of a handle in a signed list with the next serial', async () => {
      await enrol(phone)
      await enrol(laptop)
      await enrol(raviPhone, ravi)
      const outcome = await devices.revoke({ handle: 'asha.rao' }, authority, NOW + 1)
      const state = new RevocationState()
      const list = state.accept(outcome.list, trust)
      expect(list.serial).toBe(1)
      expect(outcome.revoked).toHaveLength(2)
      expect(state.isRevoked(authority.publicKey, phone.publicKey) && state.isRevoked(authority.publicKey, laptop.publicKey)).toBe(true)
      expect(state.isRevoked(authority.publicKey, raviPhone.publicKey)).toBe(false)
      expect(await devices.isRevoked(phone.publicKey)).toBe(true)
    })

    it('keeps the list and serial when nothing new is revoked, and counts on across a restart', async () => {
      await enrol(phone)
      await enrol(raviPhone, ravi)
      const first = await devices.revoke({ deviceKey: phone.publicKey }, authority, NOW)
      expect(await devices.revoke({ handle: 'asha.rao' }, authority, NOW)).toEqual({ ...first, revoked: [] })
      await temp.reopen()
      open()
      const second = await devices.revoke({ deviceKey: raviPhone.publicKey }, authority, NOW + 2)
      const state = new RevocationState()
      state.accept(first.list, trust)
      expect(state.accept(second.list, trust).revokedDeviceKeys).toHaveLength(2)
      expect(second.serial).toBe(2)
      expect(await devices.revocationList()).toEqual(second.list)
    })

    it('hands the current list to new devices and refuses to re-enrol a revoked one', async () => {
      await enrol(phone)
      const { list } = await devices.revoke({ handle: 'asha.rao' }, authority, NOW)
      const invite = await invites.create(asha)
      await expect(service.enrol(createEnrolRequest(phone, invite, mlsKey), authority, NOW)).rejects.toThrow(RevokedCertificateError)
      const response = await service.enrol(createEnrolRequest(laptop, invite, mlsKey), authority, NOW)
      expect(response.revocationLists).toEqual([list])
    })

    it('drops devices whose certificates expired from later lists, and refuses unknown targets', async () => {
      await enrol(phone)
      await enrol(raviPhone, ravi)
      await devices.revoke({ deviceKey: phone.publicKey }, authority, NOW)
      const later = await devices.revoke({ handle: 'ravi.k' }, authority, NOW + 31 * DAY_MS)
      const state = new RevocationState()
      expect(state.accept(later.list, trust).revokedDeviceKeys).toEqual([])
      await expect(devices.revoke({ handle: 'nobody' }, authority, NOW)).rejects.toThrow(UnknownDeviceError)
      await expect(devices.revoke({ deviceKey: laptop.publicKey }, authority, NOW)).rejects.toThrow(UnknownDeviceError)
    })
  })
})
