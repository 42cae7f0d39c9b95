import {
  bytesEqual, DakError, fromHex, issueWipeOrder, openWipeReport, toHex, wipeOrderHash, type SigningKeyPair
} from '@dak/protocol'
import type { DeviceRegistry } from '../enrolment/index.js'
import { UnknownDeviceError } from '../enrolment/index.js'
import { AuthorityOfflineError } from '../enrolment/errors.js'
import { writeDurably, type Db, type Table } from '../store/level.js'
import { KeyedMutex } from '../store/mutex.js'

/**
 * Remote wipe at the department node: the authority's signed orders, one per
 * device, served to that device when it asks (`GET /api/wipe?device=…`, which
 * a revoked device the gate refuses can still reach), and the device's signed
 * report that it obeyed. The order stays served after the report: a copy of
 * the device's disk restored later and started again wipes itself again.
 *
 *   wipe   <device hex>   → { handle, order (hex), issuedAt, doneAt?, report? (hex) }
 */

/** A wipe report for a device this node never ordered wiped, or for another order than the one in force. */
export class UnknownWipeOrderError extends DakError { override name = 'UnknownWipeOrderError' }

interface StoredOrder {
  handle: string
  order: string
  issuedAt: number
  doneAt?: number
  report?: string
}

export interface WipeSummary {
  handle: string
  deviceKey: string
  issuedAt: number
  /** When the device reported the wipe done (its own clock), if it did. */
  doneAt?: number
}

export interface WipeOrdersInit {
  db: Db
  devices: DeviceRegistry
  /** null while the authority key is kept off this node: orders are then refused (AuthorityOfflineError). */
  authority: SigningKeyPair | null
  now: () => number
  audit?: { append: (action: 'wipe-order' | 'wipe-done', details: Record<string, string | number>) => Promise<unknown> }
}

export class WipeOrders {
  private readonly orders: Table<StoredOrder>
  private readonly mutex = new KeyedMutex()

  constructor (private readonly init: WipeOrdersInit) {
    this.orders = init.db.sublevel<StoredOrder>('wipe', { valueEncoding: 'json' })
  }

  /**
   * Order every device of `handle` wiped, or only `deviceKey` (which must be
   * one of the handle's). A device already ordered keeps its first order.
   */
  async order (target: { handle: string, deviceKey?: Uint8Array }): Promise<WipeSummary[]> {
    const authority = this.init.authority
    if (authority == null) throw new AuthorityOfflineError('this node holds no authority key, so it cannot sign a wipe order: a wipe needs the authority key online (docs/department-node.md, "Offline authority")')
    return await this.mutex.run(['wipe'], async () => {
      const devices = (await this.init.devices.devicesOf(target.handle)).filter(d => target.deviceKey == null || bytesEqual(d.deviceKey, target.deviceKey))
      if (devices.length === 0) throw new UnknownDeviceError(target.deviceKey == null ? `no device enrolled for ${target.handle}` : `${target.handle} has no device ${toHex(target.deviceKey)}`)
      const out: WipeSummary[] = []
      for (const device of devices) {
        const key = toHex(device.deviceKey)
        const existing = await this.orders.get(key)
        if (existing != null) {
          out.push(summaryOf(key, existing))
          continue
        }
        const issuedAt = this.init.now()
        const stored: StoredOrder = { handle: device.handle, order: toHex(issueWipeOrder(authority, device.deviceKey, issuedAt)), issuedAt }
        await writeDurably(this.init.db, [{ type: 'put', sublevel: this.orders, key, value: stored }])
        await this.init.audit?.append('wipe-order', { handle: device.handle, deviceKey: key })
        out.push(summaryOf(key, stored))
      }
      return out
    })
  }

  /** The signed order for this device, if there is one. */
  async orderFor (deviceKey: Uint8Array): Promise<Uint8Array | undefined> {
    const stored = await this.orders.get(toHex(deviceKey))
    return stored == null ? undefined : fromHex(stored.order)
  }

  /** Record a device's signed report (once; a repeat is harmless). */
  async reported (bytes: Uint8Array): Promise<WipeSummary> {
    const report = openWipeReport(bytes)
    const key = toHex(report.deviceKey)
    return await this.mutex.run(['wipe'], async () => {
      const stored = await this.orders.get(key)
      if (stored == null || !bytesEqual(wipeOrderHash(fromHex(stored.order)), report.orderHash)) throw new UnknownWipeOrderError('no wipe order in force for this device matches the report')
      if (stored.doneAt != null) return summaryOf(key, stored)
      const done: StoredOrder = { ...stored, doneAt: report.wipedAt, report: toHex(bytes) }
      await writeDurably(this.init.db, [{ type: 'put', sublevel: this.orders, key, value: done }])
      await this.init.audit?.append('wipe-done', { handle: stored.handle, deviceKey: key, wipedAt: report.wipedAt })
      return summaryOf(key, done)
    })
  }

  async list (): Promise<WipeSummary[]> {
    const out: WipeSummary[] = []
    for await (const [key, stored] of this.orders.iterator()) out.push(summaryOf(key, stored))
    return out
  }
}

function summaryOf (deviceKey: string, stored: StoredOrder): WipeSummary {
  return { handle: stored.handle, deviceKey, issuedAt: stored.issuedAt, ...(stored.doneAt != null ? { doneAt: stored.doneAt } : {}) }
}
