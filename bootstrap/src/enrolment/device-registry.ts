import {
  checkHandle, ED25519_PUBLIC_KEY_BYTES, fromHex, InvalidArgumentError, issueRevocationList, toHex, type Certificate, type SigningKeyPair
} from '@dak/protocol'
import { asBytes, groupRange, writeDurably, type BatchOp, locksFor, type Db, type Locks } from '../store/level.js'
import type { Table } from '../store/tables.js'
import { UnknownDeviceError } from './errors.js'

/** What a revocation list can carry (the wire limit in identity.proto). */
const MAX_REVOKED_DEVICES = 65_536

export interface EnrolledDevice {
  handle: string
  deviceKey: Uint8Array
  /** The encoded certificate last issued to the device. */
  certificate: Uint8Array
  notAfter: number
  enrolledAt: number
  revokedAt?: number
}

interface StoredDevice {
  handle: string
  certificate: string
  notAfter: number
  enrolledAt: number
  revokedAt?: number
}

interface AuthorityCounters {
  certificateSerial: number
  revocationSerial: number
}

export interface RevocationOutcome {
  /** Serial of the list now in force. */
  serial: number
  /** The signed RevocationList to publish on the control topic and serve. */
  list: Uint8Array
  /** Devices revoked by this call (empty when they all were already). */
  revoked: Uint8Array[]
}

export type DeviceTarget = { handle: string } | { deviceKey: Uint8Array }

/**
 * The devices this department's authority enrolled, and its revocation list.
 * Enrolments and revocations are serialised by one lock (both are rare), so a
 * serial is never issued twice and a revocation list always names every
 * revoked device whose certificate is still valid.
 *
 *   device         <device>            → handle, certificate, validity, revokedAt
 *   device-handle  <handle>:<device>   → ''
 *   revoked        <device>            → certificate's notAfter (listed until then)
 *   authority      counters            → { certificateSerial, revocationSerial }
 *   authority-list current             → the signed RevocationList in force
 */
export class DeviceRegistry {
  private readonly db: Db
  private readonly devices: Table<StoredDevice>
  private readonly handles: Table<string>
  private readonly revoked: Table<number>
  private readonly counters: Table<AuthorityCounters>
  private readonly lists: Table<Uint8Array>
  private readonly mutex: Locks

  constructor (options: { db: Db }) {
    this.mutex = locksFor(options.db, 'device-registry')
    this.db = options.db
    this.devices = options.db.sublevel<StoredDevice>('device', { valueEncoding: 'json' })
    this.handles = options.db.sublevel<string>('device-handle', { valueEncoding: 'utf8' })
    this.revoked = options.db.sublevel<number>('revoked', { valueEncoding: 'json' })
    this.counters = options.db.sublevel<AuthorityCounters>('authority', { valueEncoding: 'json' })
    this.lists = options.db.sublevel<Uint8Array>('authority-list', { valueEncoding: 'view' })
  }

  /**
   * Run `work` with other enrolments and revocations held off. nextSerial()
   * and enrolmentOps() are only meaningful inside it. Not re-entrant.
   */
  async exclusive<T> (work: () => Promise<T>): Promise<T> {
    return await this.mutex.run(['registry'], work)
  }

  /** Serial for the next certificate: one more than the last issued, from 1. */
  async nextSerial (): Promise<number> {
    return ((await this.counters.get('counters'))?.certificateSerial ?? 0) + 1
  }

  /** The writes that record an issued certificate; the caller commits them with the invite's redemption. */
  async enrolmentOps (certificate: Certificate, now: number): Promise<BatchOp[]> {
    const device = toHex(certificate.devicePublicKey)
    const counters = await this.counters.get('counters') ?? { certificateSerial: 0, revocationSerial: 0 }
    return [
      { type: 'put', sublevel: this.devices, key: device, value: { handle: certificate.handle, certificate: toHex(certificate.bytes), notAfter: certificate.notAfter, enrolledAt: now } satisfies StoredDevice },
      { type: 'put', sublevel: this.handles, key: `${certificate.handle}:${device}`, value: '' },
      { type: 'put', sublevel: this.counters, key: 'counters', value: { ...counters, certificateSerial: Math.max(counters.certificateSerial, certificate.serial) } }
    ]
  }

  /** The write that keeps `serial` from being issued again: a request for the offline authority holds its serial while it waits. */
  async serialReservationOps (serial: number): Promise<BatchOp[]> {
    const counters = await this.counters.get('counters') ?? { certificateSerial: 0, revocationSerial: 0 }
    return [{ type: 'put', sublevel: this.counters, key: 'counters', value: { ...counters, certificateSerial: Math.max(counters.certificateSerial, serial) } }]
  }

  async device (deviceKey: Uint8Array): Promise<EnrolledDevice | undefined> {
    const stored = await this.devices.get(toHex(deviceKey))
    return stored == null ? undefined : fromStored(toHex(deviceKey), stored)
  }

  async devicesOf (handle: string): Promise<EnrolledDevice[]> {
    checkHandle(handle)
    const keys = await this.handles.keys(groupRange(handle)).all()
    const devices = keys.map(key => key.slice(handle.length + 1))
    const stored = await this.devices.getMany(devices)
    return devices.flatMap((device, i) => { const s = stored[i]; return s == null ? [] : [fromStored(device, s)] })
  }

  async isRevoked (deviceKey: Uint8Array): Promise<boolean> {
    return (await this.revoked.get(toHex(deviceKey))) != null
  }

  /** The signed revocation list in force, if this authority ever revoked anyone. */
  async revocationList (): Promise<Uint8Array | undefined> {
    const list = await this.lists.get('current')
    return list == null ? undefined : asBytes(list)
  }

  /**
   * Revoke every device of a handle, or one device (or several targets at
   * once), and sign the next revocation list (serial + 1) naming every
   * revoked device whose certificate has not expired yet (an expired
   * certificate is refused anyway, which keeps the list bounded). Durable
   * before it returns. `sign` is the authority's key, or, for the offline
   * authority, a function handing over a list signed elsewhere for exactly
   * this serial and these devices (it throws if the list is not that).
   */
  async revoke (target: DeviceTarget | DeviceTarget[], sign: SigningKeyPair | ((serial: number, keys: Uint8Array[]) => Uint8Array), now: number): Promise<RevocationOutcome> {
    return await this.exclusive(async () => {
      const { fresh, keys, serial, counters, current } = await this.plan(Array.isArray(target) ? target : [target], now)
      if (fresh.length === 0 && current != null) return { serial: counters.revocationSerial, list: current, revoked: [] }
      const list = typeof sign === 'function' ? sign(serial, keys) : issueRevocationList(sign, serial, now, keys)

      const ops: BatchOp[] = []
      for (const d of fresh) {
        const device = toHex(d.deviceKey)
        ops.push({ type: 'put', sublevel: this.devices, key: device, value: { ...toStored(d), revokedAt: now } })
        ops.push({ type: 'put', sublevel: this.revoked, key: device, value: d.notAfter })
      }
      ops.push({ type: 'put', sublevel: this.lists, key: 'current', value: list })
      ops.push({ type: 'put', sublevel: this.counters, key: 'counters', value: { ...counters, revocationSerial: serial } })
      await writeDurably(this.db, ops)
      return { serial, list, revoked: fresh.map(d => d.deviceKey) }
    })
  }

  /** What revoking `targets` now would sign, without writing: the offline authority's request (bootstrap/src/authority). */
  async plannedRevocation (targets: DeviceTarget[], now: number): Promise<{ serial: number, keys: Uint8Array[], fresh: number }> {
    const { fresh, keys, serial } = await this.plan(targets, now)
    return { serial, keys, fresh: fresh.length }
  }

  private async plan (targets: DeviceTarget[], now: number): Promise<{ fresh: EnrolledDevice[], keys: Uint8Array[], serial: number, counters: AuthorityCounters, current: Uint8Array | undefined }> {
    const found: EnrolledDevice[] = []
    for (const target of targets) {
      const devices = 'handle' in target ? await this.devicesOf(target.handle) : await this.deviceList(target.deviceKey)
      if (devices.length === 0) throw new UnknownDeviceError('handle' in target ? `no device enrolled for ${target.handle}` : 'no such enrolled device')
      found.push(...devices)
    }
    const fresh = [...new Map(found.filter(d => d.revokedAt == null).map(d => [toHex(d.deviceKey), d])).values()]
    const counters = await this.counters.get('counters') ?? { certificateSerial: 0, revocationSerial: 0 }
    const current = await this.revocationList()
    const listed = new Map<string, number>()
    for await (const [device, notAfter] of this.revoked.iterator()) listed.set(device, notAfter)
    for (const d of fresh) listed.set(toHex(d.deviceKey), d.notAfter)
    const keys = [...listed].filter(([, notAfter]) => notAfter > now).map(([device]) => fromHex(device))
    if (keys.length > MAX_REVOKED_DEVICES) throw new InvalidArgumentError(`a revocation list names at most ${MAX_REVOKED_DEVICES} devices`)
    return { fresh, keys, serial: counters.revocationSerial + 1, counters, current }
  }

  private async deviceList (deviceKey: Uint8Array): Promise<EnrolledDevice[]> {
    if (deviceKey.length !== ED25519_PUBLIC_KEY_BYTES) throw new InvalidArgumentError('device key must be a 32-byte Ed25519 public key')
    const device = await this.device(deviceKey)
    return device == null ? [] : [device]
  }
}

function fromStored (device: string, stored: StoredDevice): EnrolledDevice {
  return { handle: stored.handle, deviceKey: fromHex(device), certificate: fromHex(stored.certificate), notAfter: stored.notAfter, enrolledAt: stored.enrolledAt, ...(stored.revokedAt == null ? {} : { revokedAt: stored.revokedAt }) }
}

function toStored (device: EnrolledDevice): StoredDevice {
  return { handle: device.handle, certificate: toHex(device.certificate), notAfter: device.notAfter, enrolledAt: device.enrolledAt, ...(device.revokedAt == null ? {} : { revokedAt: device.revokedAt }) }
}
