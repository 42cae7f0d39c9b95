/**
 * What an invite link carries, made readable for the enrolment form. The link
 * holds the whole ticket as base64url; the officer should see the same short
 * code (DAK-XXXX-XXXX-XXXX-XXXX-C) their department IT would read out, and
 * whom the invite is for. The code is enough to enrol here: the node that
 * served this page is the one that enrols (platform.ts), and the secret in
 * the code is all it checks (node/src/device/enrol-device.ts).
 *
 * Imported lazily (app.tsx, EnrolScreen.tsx): it pulls in @dak/protocol,
 * which the first chunk does without.
 */
import { decodeInvite, formatInviteCode, INVITE_URL_PREFIX } from '@dak/protocol'

export interface InviteView {
  /** "DAK-XXXX-XXXX-XXXX-XXXX-C", what goes into the form. */
  code: string
  displayName: string
  title: string
  department: string
  /** ms since epoch. */
  expiresAt: number
}

/** Reads the ticket an invite link carried in its fragment; throws InvalidInviteError when it is damaged. */
export function readInviteTicket (ticket: string): InviteView {
  const decoded = decodeInvite(INVITE_URL_PREFIX + ticket)
  return {
    code: formatInviteCode(decoded.secret),
    displayName: decoded.displayName,
    title: decoded.title,
    department: decoded.department,
    expiresAt: decoded.expiresAt
  }
}
