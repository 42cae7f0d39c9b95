import { decodeCertificate, toHex } from '@dak/protocol'
import type { DeviceListing } from './device-list.js'

/** What `dak-node devices` and GET /admin/devices show about one enrolled device. */
export interface DeviceSummary {
  handle: string
  displayName: string
  title: string
  /** Hex of the device key (its peer key). */
  deviceKey: string
  state: 'active' | 'revoked' | 'expired'
  enrolledAt: string
  validUntil: string
  revokedAt?: string
  /** Connected to this node right now (only known while the node runs). */
  connected: boolean
}

export async function summarizeDevices (listing: DeviceListing, now: number, connected: Set<string> = new Set()): Promise<DeviceSummary[]> {
  const out: DeviceSummary[] = []
  for await (const row of listing.all()) {
    const { certificate } = decodeCertificate(row.certificate)
    const deviceKey = toHex(row.deviceKey)
    out.push({
      handle: row.handle,
      displayName: certificate.displayName,
      title: certificate.title,
      deviceKey,
      state: row.revokedAt != null ? 'revoked' : row.notAfter <= now ? 'expired' : 'active',
      enrolledAt: new Date(row.enrolledAt).toISOString(),
      validUntil: new Date(row.notAfter).toISOString(),
      ...(row.revokedAt == null ? {} : { revokedAt: new Date(row.revokedAt).toISOString() }),
      connected: connected.has(deviceKey)
    })
  }
  return out
}

/** What a revocation did, for people and scripts. */
export interface RevocationSummary {
  /** Serial of the revocation list now in force. */
  serial: number
  /** Hex keys of the devices revoked by this call (empty if they all were already). */
  revoked: string[]
  /** Connections hung up because of it (0 when the node is not running). */
  disconnected: number
  /** The authority is offline: recorded for the next signing ceremony, not in force yet. */
  pending?: boolean
}
