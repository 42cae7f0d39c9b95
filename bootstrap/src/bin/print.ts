import { writeFile } from 'node:fs/promises'
import QRCode from 'qrcode'
import type { IssuedInvite } from '../node/invites.js'
import type { DeviceSummary, RevocationSummary } from '../node/summaries.js'
import type { AuditEntry, AuditHead } from '../audit/index.js'
import type { WipeSummary } from '../wipe/wipe-orders.js'

/** Text for people; with --json the CLI prints the objects themselves. */

export async function inviteText (invite: IssuedInvite, pngPath?: string): Promise<string> {
  const qr = await QRCode.toString(invite.link, { type: 'terminal', small: true })
  return [
    `Invite for ${invite.displayName} (${invite.handle}), ${invite.title}`,
    `  code:    ${invite.code}`,
    `  link:    ${invite.link}`,
    `  expires: ${new Date(invite.expiresAt).toISOString()}`,
    ...(pngPath == null ? [] : [`  QR code: ${pngPath}`]),
    '',
    qr
  ].join('\n')
}

/** The invite link as a PNG, for printing or sending; the file holds a secret, so only the owner may read it. */
export async function writeInvitePng (invite: IssuedInvite, path: string): Promise<void> {
  await writeFile(path, await QRCode.toBuffer(invite.link, { type: 'png', width: 512 }), { mode: 0o600 })
}

export function devicesText (devices: DeviceSummary[]): string {
  if (devices.length === 0) return 'No devices enrolled.'
  return devices.map(d => `${d.state.padEnd(7)} ${d.handle.padEnd(24)} ${d.displayName} — ${d.title}  device ${d.deviceKey.slice(0, 16)}…  until ${d.validUntil.slice(0, 10)}${d.connected ? '  (connected)' : ''}`).join('\n')
}

export function revocationText (summary: RevocationSummary): string {
  if (summary.pending === true) return `Recorded the revocation of ${summary.revoked.length} device(s) for the offline authority; their key packages are gone. It takes effect when the next list is signed (dak-node authority requests/sign/import).`
  if (summary.revoked.length === 0) return `Nothing new to revoke; revocation list #${summary.serial} stays in force.`
  return `Revoked ${summary.revoked.length} device(s); revocation list #${summary.serial} in force; ${summary.disconnected} connection(s) hung up.`
}

export function statusText (status: Record<string, unknown>): string {
  return Object.entries(status).map(([key, value]) => `${key.padEnd(20)} ${typeof value === 'object' ? JSON.stringify(value) : String(value)}`).join('\n')
}

/** One line an entry, oldest first, then the head to note down (for `audit verify --expect`). Not verified: `audit verify` does that. */
export function auditText (entries: AuditEntry[], head: AuditHead | null): string {
  const details = (e: AuditEntry): string => Object.entries(e.details).map(([k, v]) => `${k}=${Array.isArray(v) ? v.join(',') : String(v)}`).join(' ')
  const lines = entries.map(e => `${String(e.index).padStart(5)}  ${new Date(e.at).toISOString()}  ${e.action.padEnd(16)} ${details(e)}`)
  return [...(lines.length === 0 ? ['No admin actions recorded.'] : lines), '', head == null ? 'head: none' : `head: ${head.size}:${head.hash}  (note it; \`dak-node audit verify --expect ${head.size}:${head.hash}\` later proves nothing before it changed)`].join('\n')
}

export function wipeText (wipes: WipeSummary[]): string {
  return [
    ...wipes.map(w => `${w.doneAt != null ? 'wiped  ' : 'ordered'} ${w.handle.padEnd(24)} device ${w.deviceKey.slice(0, 16)}…  ordered ${new Date(w.issuedAt).toISOString()}${w.doneAt != null ? `, done ${new Date(w.doneAt).toISOString()}` : ''}`),
    'Each device erases its messages and keys the next time it reaches this node (also when revoked), and reports it. Revoke it too (`dak-node revoke`) so it is refused meanwhile.'
  ].join('\n')
}
