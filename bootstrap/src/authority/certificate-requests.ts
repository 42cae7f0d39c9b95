import { toHex } from '@dak/protocol'
import type { DeviceTarget } from '../enrolment/device-registry.js'
import type { BatchOp, Db, Table } from '../store/level.js'

/**
 * Certificate requests waiting for the offline authority (docs/department-node.md,
 * "Offline authority"). A device that enrols while the node holds no authority
 * key redeems its invite into one of these; `dak-node authority requests` writes
 * the unsigned ones to a file, the authority signs them on another machine, and
 * `dak-node authority import` fills in `certificate`. The device, asking again
 * with the same device key and invite secret, then gets it.
 *
 * Revocations wait the same way: `dak-node revoke` on such a node records
 * its target, and the next ceremony signs one list for all of them.
 *
 *   cert-request    <device key hex>                → StoredRequest
 *   revoke-request  h:<handle> | d:<device key hex> → DeviceTarget (as JSON, the key in hex)
 */

/** What the authority is asked to certify: exactly the fields of the certificate but its validity. */
export interface CertificateRequest {
  deviceKey: string
  mlsKey: string
  handle: string
  displayName: string
  title: string
  department: string
  serial: number
  /** ms since epoch, when the device asked. */
  requestedAt: number
  /** How long the certificate is to be valid from its signing. */
  validityDays: number
}

export interface StoredRequest extends CertificateRequest {
  /** hashInviteSecret of the invite it redeemed: only its holder collects the certificate. */
  inviteHash: string
  /** hex of the signed certificate, once imported. */
  certificate?: string
}

export class CertificateRequests {
  private readonly table: Table<StoredRequest>
  private readonly revocations: Table<{ handle?: string, deviceKey?: string }>

  constructor (db: Db) {
    this.table = db.sublevel<StoredRequest>('cert-request', { valueEncoding: 'json' })
    this.revocations = db.sublevel<{ handle?: string, deviceKey?: string }>('revoke-request', { valueEncoding: 'json' })
  }

  revocationOps (target: DeviceTarget): BatchOp[] {
    const [key, value] = 'handle' in target ? [`h:${target.handle}`, { handle: target.handle }] : [`d:${toHex(target.deviceKey)}`, { deviceKey: toHex(target.deviceKey) }]
    return [{ type: 'put', sublevel: this.revocations, key, value }]
  }

  /** The revocations waiting for the next ceremony's list. */
  async revocationTargets (): Promise<DeviceTarget[]> {
    const out: DeviceTarget[] = []
    for await (const t of this.revocations.values()) out.push(t.handle != null ? { handle: t.handle } : { deviceKey: Uint8Array.from(Buffer.from(t.deviceKey ?? '', 'hex')) })
    return out
  }

  async clearRevocationsOps (): Promise<BatchOp[]> {
    return (await this.revocations.keys().all()).map(key => ({ type: 'del' as const, sublevel: this.revocations, key }))
  }

  async get (deviceKey: Uint8Array): Promise<StoredRequest | undefined> {
    return await this.table.get(toHex(deviceKey)) ?? undefined
  }

  putOps (request: StoredRequest): BatchOp[] {
    return [{ type: 'put', sublevel: this.table, key: request.deviceKey, value: request }]
  }

  /** The requests not signed yet, oldest first: what the next ceremony signs. */
  async unsigned (): Promise<CertificateRequest[]> {
    const out: CertificateRequest[] = []
    for await (const stored of this.table.values()) {
      if (stored.certificate != null) continue
      const { inviteHash: _hash, certificate: _certificate, ...request } = stored
      out.push(request)
    }
    return out.sort((a, b) => a.requestedAt - b.requestedAt)
  }
}
