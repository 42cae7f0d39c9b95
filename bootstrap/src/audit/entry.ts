/**
 * What the department node's audit log records (audit-log.ts). Details are
 * names, keys (hex) and numbers only: never a secret (no invite code), so the
 * log can be printed and handed to an auditor.
 */

export const AUDIT_ACTIONS = [
  'invite-created',
  'invite-redeemed',
  'device-accepted',
  'revocation',
  'wipe-order',
  'wipe-done',
  'tls-renew'
] as const
export type AuditAction = typeof AUDIT_ACTIONS[number]

export type AuditDetails = Record<string, string | number | boolean | string[]>

export interface AuditEntry {
  /** Position in the log, from 0: also its key. */
  index: number
  /** When the node recorded it (ms since epoch, the node's clock). */
  at: number
  action: AuditAction
  details: AuditDetails
  /** Hex SHA-256 of the previous entry (64 zeros for the first). */
  prev: string
}

/** The signed head as stored: hex fields, so `audit list --json` can print it as is. */
export interface AuditHead {
  size: number
  /** Hex hash of the last entry. */
  hash: string
  at: number
  /** Hex Ed25519 signature by the node key over the head body (chain.ts). */
  signature: string
}
