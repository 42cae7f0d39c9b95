/**
 * Whether this device may still take part, from what the messenger has said
 * about its own certificate: the status, the 'revoked' event, or an operation
 * refused with DeviceRevokedError. Once withdrawn it stays withdrawn for the
 * life of the page (a certificate is never un-revoked). Pure, unit-tested.
 */
import type { ConnectionStatus } from '../messenger.js'

export type Access = 'valid' | 'revoked' | 'expired'
/** Access this device no longer has. */
export type LostAccess = Exclude<Access, 'valid'>

/** What a status says; a status from an engine older than the issue-10 contract says 'valid'. */
export function accessOfStatus (status: ConnectionStatus): Access {
  return status.certificate ?? 'valid'
}

/** Combines what is known so far with a new report; 'revoked' wins over everything, 'expired' over 'valid'. */
export function furthestAccess (known: Access, reported: Access): Access {
  if (known === 'revoked' || reported === 'revoked') return 'revoked'
  if (known === 'expired' || reported === 'expired') return 'expired'
  return 'valid'
}

/** An error that means this device's access is gone, whatever screen it came from. */
export function accessOfError (name: string): LostAccess | null {
  if (name === 'DeviceRevokedError') return 'revoked'
  return null
}
