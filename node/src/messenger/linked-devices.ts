import { bytesEqual, DakError, decodeInvite, formatInviteCode } from '@dak/protocol'
import type { EngineContext } from './context.js'

/** No department node in reach offers linking (offline, LAN only, or an older node): a link code comes from the department. */
export class LinkUnavailableError extends DakError { override name = 'LinkUnavailableError' }
/** A department node answered with an invite for someone else (another handle, department or authority): refused, never shown. */
export class LinkInviteMismatchError extends DakError { override name = 'LinkInviteMismatchError' }

/** A one-time code that enrols another device as this device's officer (docs/messenger.md, *Linked devices*). */
export interface LinkCode {
  handle: string
  /** What the officer types on the new device: DAK-XXXX-XXXX-XXXX-XXXX-C (with the node's address). */
  code: string
  /** The QR payload, which carries the node's addresses too: dak:invite/<ticket>. */
  url: string
  /** ms since epoch: the code enrols nobody from then on (minutes, LINK_INVITE_VALIDITY_MS). */
  expiresAt: number
}

/**
 * Ask the department node for a link invite. The node issues it for the
 * officer its certificate gate verified on this connection; the answer is
 * still checked here, so a node cannot slip this officer a code that enrols
 * the new device as someone else.
 */
export async function requestLinkCode (ctx: EngineContext): Promise<LinkCode> {
  const own = ctx.keys.certificate
  const nodes = ctx.departments.connected().filter(d => d.linkInvite != null)
  if (nodes.length === 0) throw new LinkUnavailableError('no department node is in reach to issue a link code: connect to your department and try again')
  let failure: unknown
  for (const node of nodes) {
    try {
      const url = await (node.linkInvite as () => Promise<string>)()
      const ticket = decodeInvite(url)
      if (ticket.handle !== own.handle || ticket.department !== own.department || !bytesEqual(ticket.authorityPublicKey, own.authorityPublicKey)) {
        throw new LinkInviteMismatchError(`the department node answered with an invite for ${ticket.handle} of ${ticket.department}, not for this officer (${own.handle} of ${own.department})`)
      }
      return { handle: ticket.handle, code: formatInviteCode(ticket.secret), url, expiresAt: ticket.expiresAt }
    } catch (err) {
      failure = err
    }
  }
  throw failure
}
