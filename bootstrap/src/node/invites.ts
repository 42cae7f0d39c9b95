import { createInvite, InvalidArgumentError, inviteLink, MAX_INVITE_NODE_ADDRS, MAX_NODE_ADDR_BYTES } from '@dak/protocol'
import { NODE_HANDLE } from '@dak/protocol/department'
import type { InviteRegistry } from '../enrolment/index.js'

/**
 * Invites as department IT hands them out: the registry stores only the
 * secret's hash; the code, the QR payload and the web link are made once,
 * here, around the secret it returns.
 */

export interface InviteRequest {
  handle: string
  displayName: string
  title: string
  /** Defaults to the department's inviteValidityHours. */
  validityHours?: number
}

export interface IssuedInvite {
  handle: string
  displayName: string
  title: string
  /** What an officer types: DAK-XXXX-XXXX-XXXX-XXXX-C. */
  code: string
  /** The QR payload for Dak apps: dak:invite/<ticket>. */
  url: string
  /** Opens the web client with the invite (the secret stays in the fragment, out of server logs). */
  link: string
  expiresAt: number
}

export interface InviteIssuer {
  invites: InviteRegistry
  department: string
  authorityPublicKey: Uint8Array
  defaultValidityHours: number
  /** Where devices reach the node (multiaddrs with /p2p/); the first 16 that fit go in the ticket. */
  nodeAddrs: () => string[]
  /** The web client's URL, base of the invite link. */
  webUrl: () => string
  now: () => number
  /** The node's audit log: every invite made is recorded (never its secret). */
  audit?: { append: (action: 'invite-created', details: Record<string, string | number>) => Promise<unknown> }
}

const HOUR_MS = 3_600_000

export async function issueInvite (issuer: InviteIssuer, request: InviteRequest): Promise<IssuedInvite> {
  // the node's own handle: a certificate under it would make devices take its holder for a department node
  if (request.handle === NODE_HANDLE) throw new InvalidArgumentError(`"${NODE_HANDLE}" is reserved for the department node`)
  const hours = request.validityHours ?? issuer.defaultValidityHours
  if (!(Number.isFinite(hours) && hours > 0)) throw new InvalidArgumentError('invite validity must be a positive number of hours')
  const expiresAt = Math.floor(issuer.now() + hours * HOUR_MS)
  const secret = await issuer.invites.create({ handle: request.handle, displayName: request.displayName, title: request.title, expiresAt })
  const nodeAddrs = issuer.nodeAddrs().filter(a => a.length <= MAX_NODE_ADDR_BYTES).slice(0, MAX_INVITE_NODE_ADDRS)
  const invite = createInvite({
    randomBytes: () => secret,
    department: issuer.department,
    authorityPublicKey: issuer.authorityPublicKey,
    handle: request.handle,
    displayName: request.displayName,
    title: request.title,
    expiresAt,
    nodeAddrs
  })
  await issuer.audit?.append('invite-created', { handle: request.handle, displayName: request.displayName, title: request.title, expiresAt })
  return {
    handle: request.handle,
    displayName: request.displayName,
    title: request.title,
    code: invite.code,
    url: invite.url,
    link: inviteLink(issuer.webUrl(), invite.bytes),
    expiresAt
  }
}
