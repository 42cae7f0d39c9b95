import { sha256 } from '@noble/hashes/sha2.js'
import { checkHandle, DakError, ED25519_PUBLIC_KEY_BYTES, fromHex, InvalidArgumentError, toHex } from '@dak/protocol'
import { QuotaExceededError } from '../store/errors.js'
import { asBytes, groupRange, writeDurably, type BatchOp, locksFor, type Db, type Locks } from '../store/level.js'
import type { Table } from '../store/tables.js'

/**
 * A KeyPackage is a few KiB: an X-Wing init key is 1,216 bytes, the leaf node
 * carries the certificate (≤ 4 KiB) and an MLS signature key. 16 KiB is ample.
 */
export const MAX_KEY_PACKAGE_BYTES = 16 * 1024
/** Packages in one upload (rpc.proto's limit). */
export const MAX_KEY_PACKAGES_PER_UPLOAD = 256
/** Default stock per device: a hundred conversations started while the officer is offline. */
export const DEFAULT_MAX_KEY_PACKAGES_PER_DEVICE = 100
/** Devices answered for one handle (rpc.proto's limit): an officer's phone, laptop, browsers. */
export const MAX_DEVICES_PER_HANDLE = 64

/** The stock of a device is empty and it left no last-resort package. */
export class NoKeyPackageError extends DakError { override name = 'NoKeyPackageError' }

export interface TakenKeyPackage {
  deviceKey: Uint8Array
  keyPackage: Uint8Array
  /** The device's last-resort package: handed out again to others until the device uploads more. */
  lastResort: boolean
}

interface DeviceStock {
  handle: string
  count: number
}

function checkPackage (bytes: Uint8Array, what: string): void {
  if (!(bytes instanceof Uint8Array) || bytes.length === 0 || bytes.length > MAX_KEY_PACKAGE_BYTES) {
    throw new InvalidArgumentError(`${what} must be 1-${MAX_KEY_PACKAGE_BYTES} bytes`)
  }
}

function deviceKeyOf (deviceKey: Uint8Array): string {
  if (!(deviceKey instanceof Uint8Array) || deviceKey.length !== ED25519_PUBLIC_KEY_BYTES) throw new InvalidArgumentError('device key must be a 32-byte Ed25519 public key')
  return toHex(deviceKey)
}

/**
 * Each device's stock of MLS KeyPackages at its department node, so anyone
 * can start a conversation with an officer who is offline. A one-time package
 * is handed out once: it is deleted in the same fsynced write that decides who
 * gets it, before it is returned, and takes of one device are serialised, so
 * neither two concurrent takes nor a crash can hand it out twice (reusing a
 * package's init key would weaken the Welcome's encryption).
 *
 * The device key and handle come from the caller's authenticated connection
 * and certificate, never from the request. Packages are opaque here; members
 * check them when they add the device.
 *
 *   kp         <device>:<sha256 of package>  → package (dedupes a retried upload)
 *   kp-last    <device>                      → last-resort package
 *   kp-device  <device>                      → { handle, count }
 *   kp-handle  <handle>:<device>             → ''
 */
export class KeyPackageDirectory {
  private readonly db: Db
  private readonly packages: Table<Uint8Array>
  private readonly lastResort: Table<Uint8Array>
  private readonly devices: Table<DeviceStock>
  private readonly handles: Table<string>
  private readonly mutex: Locks
  private readonly maxPerDevice: number

  constructor (options: { db: Db, maxPerDevice?: number }) {
    this.mutex = locksFor(options.db, 'key-packages')
    this.db = options.db
    this.packages = options.db.sublevel<Uint8Array>('kp', { valueEncoding: 'view' })
    this.lastResort = options.db.sublevel<Uint8Array>('kp-last', { valueEncoding: 'view' })
    this.devices = options.db.sublevel<DeviceStock>('kp-device', { valueEncoding: 'json' })
    this.handles = options.db.sublevel<string>('kp-handle', { valueEncoding: 'utf8' })
    this.maxPerDevice = options.maxPerDevice ?? DEFAULT_MAX_KEY_PACKAGES_PER_DEVICE
    if (!(Number.isSafeInteger(this.maxPerDevice) && this.maxPerDevice > 0)) throw new InvalidArgumentError('max key packages per device must be a positive integer')
  }

  /** Add packages to the device's stock (all or none) and optionally replace its last-resort package; returns the stock. */
  async upload (deviceKey: Uint8Array, handle: string, packages: Uint8Array[], lastResort?: Uint8Array): Promise<number> {
    const device = deviceKeyOf(deviceKey)
    checkHandle(handle)
    if (packages.length > MAX_KEY_PACKAGES_PER_UPLOAD) throw new InvalidArgumentError(`at most ${MAX_KEY_PACKAGES_PER_UPLOAD} key packages per upload`)
    packages.forEach((p, i) => checkPackage(p, `key package ${i}`))
    if (lastResort != null) checkPackage(lastResort, 'last-resort key package')
    return await this.mutex.run([device], async () => {
      const stock = await this.devices.get(device) ?? { handle, count: 0 }
      const keys = [...new Map(packages.map(p => [`${device}:${toHex(sha256(p))}`, p])).entries()]
      const present = await this.packages.hasMany(keys.map(([key]) => key))
      const fresh = keys.filter((_, i) => present[i] !== true)
      if (stock.count + fresh.length > this.maxPerDevice) {
        throw new QuotaExceededError(`a device may keep at most ${this.maxPerDevice} key packages here (has ${stock.count}, uploading ${fresh.length})`)
      }
      const ops: BatchOp[] = fresh.map(([key, value]) => ({ type: 'put', sublevel: this.packages, key, value }))
      if (lastResort != null) ops.push({ type: 'put', sublevel: this.lastResort, key: device, value: lastResort })
      // The handle follows the device's current certificate: re-index if it changed.
      if (stock.handle !== handle) ops.push({ type: 'del', sublevel: this.handles, key: `${stock.handle}:${device}` })
      ops.push({ type: 'put', sublevel: this.handles, key: `${handle}:${device}`, value: '' })
      ops.push({ type: 'put', sublevel: this.devices, key: device, value: { handle, count: stock.count + fresh.length } satisfies DeviceStock })
      await writeDurably(this.db, ops)
      return stock.count + fresh.length
    })
  }

  /**
   * One package of this device, removed from the stock; its last-resort package
   * when the stock is empty, or when `lastResortOnly` (a requester past its
   * one-time budget: the last-resort package is reusable, so it drains nothing).
   */
  async take (deviceKey: Uint8Array, options: { lastResortOnly?: boolean } = {}): Promise<TakenKeyPackage> {
    const device = deviceKeyOf(deviceKey)
    return await this.mutex.run([device], async () => {
      const [entry] = options.lastResortOnly === true ? [] : await this.packages.iterator({ ...groupRange(device), limit: 1 }).all()
      if (entry != null) {
        const stock = await this.devices.get(device)
        const ops: BatchOp[] = [{ type: 'del', sublevel: this.packages, key: entry[0] }]
        if (stock != null) ops.push({ type: 'put', sublevel: this.devices, key: device, value: { ...stock, count: Math.max(0, stock.count - 1) } })
        await writeDurably(this.db, ops)
        return { deviceKey: fromHex(device), keyPackage: asBytes(entry[1]), lastResort: false }
      }
      const last = await this.lastResort.get(device)
      if (last == null) throw new NoKeyPackageError('this device has no key packages left at its department node')
      return { deviceKey: fromHex(device), keyPackage: asBytes(last), lastResort: true }
    })
  }

  /** One package for every device of the officer that has any: adding an officer adds all their devices. */
  async takeForHandle (handle: string, options: { lastResortOnly?: boolean } = {}): Promise<TakenKeyPackage[]> {
    checkHandle(handle)
    const keys = await this.handles.keys({ ...groupRange(handle), limit: MAX_DEVICES_PER_HANDLE }).all()
    const taken: TakenKeyPackage[] = []
    for (const key of keys) {
      try {
        taken.push(await this.take(fromHex(key.slice(handle.length + 1)), options))
      } catch (err) {
        // A device with nothing left is skipped, not fatal: the officer's other devices still join.
        if (!(err instanceof NoKeyPackageError)) throw err
      }
    }
    if (taken.length === 0) throw new NoKeyPackageError(`no device of ${handle} has key packages at this node`)
    return taken
  }

  /** One-time packages left for a device: the device refills when this runs low. */
  async stock (deviceKey: Uint8Array): Promise<number> {
    return (await this.devices.get(deviceKeyOf(deviceKey)))?.count ?? 0
  }

  /**
   * References (SHA-256) of the one-time packages held for a device, at most
   * `limit`; `complete` is false when there are more. The device compares them
   * with what it keeps, to top up what is missing and forget what was handed out.
   */
  async held (deviceKey: Uint8Array, limit: number): Promise<{ refs: Uint8Array[], complete: boolean }> {
    const device = deviceKeyOf(deviceKey)
    const keys = await this.packages.keys({ ...groupRange(device), limit: limit + 1 }).all()
    return { refs: keys.slice(0, limit).map(key => fromHex(key.slice(device.length + 1))), complete: keys.length <= limit }
  }

  /** Forget a device entirely (revoked, or retired): nobody may add it any more. */
  async removeDevice (deviceKey: Uint8Array): Promise<void> {
    const device = deviceKeyOf(deviceKey)
    await this.mutex.run([device], async () => {
      const stock = await this.devices.get(device)
      const keys = await this.packages.keys(groupRange(device)).all()
      const ops: BatchOp[] = keys.map(key => ({ type: 'del', sublevel: this.packages, key }))
      ops.push({ type: 'del', sublevel: this.lastResort, key: device }, { type: 'del', sublevel: this.devices, key: device })
      if (stock != null) ops.push({ type: 'del', sublevel: this.handles, key: `${stock.handle}:${device}` })
      await writeDurably(this.db, ops)
    })
  }
}
