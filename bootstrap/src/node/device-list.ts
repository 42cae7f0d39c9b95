import { fromHex, toHex } from '@dak/protocol'
import type { Db } from '../store/level.js'

/**
 * Reads the DeviceRegistry's `device` sublevel (layout in
 * docs/department-store.md) in device-key order: the registry answers
 * questions about one device or one handle, the directory protocol and the
 * `devices` command walk them all. Read-only: writes stay the registry's.
 */

export interface DeviceRow {
  deviceKey: Uint8Array
  handle: string
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

export interface DeviceListing {
  /** Up to `limit` devices after `afterDeviceKey` (empty: from the start), in key order. */
  page: (afterDeviceKey: Uint8Array, limit: number) => Promise<DeviceRow[]>
  all: () => AsyncGenerator<DeviceRow>
}

export function deviceListing (db: Db): DeviceListing {
  const table = db.sublevel<StoredDevice>('device', { valueEncoding: 'json' })
  const row = (key: string, stored: StoredDevice): DeviceRow => ({
    deviceKey: fromHex(key),
    handle: stored.handle,
    certificate: fromHex(stored.certificate),
    notAfter: stored.notAfter,
    enrolledAt: stored.enrolledAt,
    ...(stored.revokedAt == null ? {} : { revokedAt: stored.revokedAt })
  })
  return {
    async page (afterDeviceKey, limit) {
      const range = afterDeviceKey.length === 0 ? { limit } : { gt: toHex(afterDeviceKey), limit }
      return (await table.iterator(range).all()).map(([key, stored]) => row(key, stored))
    },
    async * all () {
      for await (const [key, stored] of table.iterator()) yield row(key, stored)
    }
  }
}
