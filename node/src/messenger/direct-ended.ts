import { decodeCertificate, toHex, type Certificate } from '@dak/protocol'
import type { ConversationClosed, ConversationMember, StoredConversation } from '../storage/index.js'
import type { EngineContext } from './context.js'

/**
 * A direct chat is two officers. Once the other one is out of it — they left,
 * were removed, or their access was withdrawn — nothing sent there can reach
 * anyone: the chat closes (history and title stay) instead of letting a
 * message wait for a reader who will never come.
 */

function revokedNow (ctx: EngineContext, certificate: Certificate): boolean {
  return ctx.verifyContext().revocations.isRevoked(certificate.authorityPublicKey, certificate.devicePublicKey)
}

/**
 * The closed record for a direct chat that a commit just emptied of its other
 * officer: `removed` by the commit, `remaining` its members after it. Undefined
 * when the chat goes on (a group, someone else still in it, already closed).
 */
export function directEndedBy (ctx: EngineContext, conversation: StoredConversation, removed: Certificate[], remaining: ConversationMember[]): ConversationClosed | undefined {
  if (conversation.kind !== 'direct' || conversation.closed != null) return undefined
  const me = toHex(ctx.keys.device.publicKey)
  if (remaining.some(m => m.deviceKey !== me)) return undefined
  const other = removed.find(c => toHex(c.devicePublicKey) !== me)
  if (other == null) return undefined
  return { reason: revokedNow(ctx, other) ? 'other-revoked' : 'other-left', by: toHex(other.devicePublicKey), at: ctx.now() }
}

/**
 * A direct chat whose other officer is still a member but whose every device
 * is revoked (they started the chat, so only they could have removed
 * themselves): closed for this device. Undefined while anyone could read.
 */
export async function revokedOther (ctx: EngineContext, conversation: StoredConversation): Promise<ConversationClosed | undefined> {
  if (conversation.kind !== 'direct' || conversation.closed != null) return undefined
  const me = toHex(ctx.keys.device.publicKey)
  const others = conversation.members.filter(m => m.deviceKey !== me)
  if (others.length === 0) return undefined
  for (const other of others) {
    const peer = await ctx.store.peers.get(other.deviceKey)
    if (peer == null || !revokedNow(ctx, decodeCertificate(peer.certificate).certificate)) return undefined
  }
  return { reason: 'other-revoked', by: others[0]!.deviceKey, at: ctx.now() }
}
