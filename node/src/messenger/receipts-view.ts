import type { StoredConversation } from '../storage/index.js'
import type { ChatMessage, MemberReceipts } from './api.js'
import type { EngineContext } from './context.js'

/**
 * "Read by 7 of 9": for this device's own messages, the officers (not
 * devices: an officer with two devices counts once) other than this one who
 * are members now, and how many of them are known to have it and to have
 * read it. Reads are complete (every member reports what it read); deliveries
 * are a lower bound, because in a group only two members acknowledge each
 * text's delivery (receipts.ts) — a read counts as delivered.
 */
export async function memberReceipts (ctx: EngineContext, conversation: StoredConversation, messageId: string): Promise<MemberReceipts> {
  const me = ctx.keys.certificate.handle
  const others = new Set(conversation.members.map(m => m.handle).filter(h => h !== me))
  const delivered = new Set<string>()
  const read = new Set<string>()
  for (const receipt of await ctx.store.memberReceipts.of(messageId)) {
    if (!others.has(receipt.handle)) continue
    if (receipt.deliveredAt != null) delivered.add(receipt.handle)
    if (receipt.readAt != null) read.add(receipt.handle)
  }
  return { delivered: delivered.size, read: read.size, of: others.size }
}

/** Own sealed messages of a group get their receipts; everything else is returned as it is. */
export async function withReceipts (ctx: EngineContext, conversation: StoredConversation | undefined, messages: ChatMessage[]): Promise<ChatMessage[]> {
  if (conversation == null || conversation.kind !== 'group') return messages
  return await Promise.all(messages.map(async m => m.fromMe && m.kind === 'text' && /^[0-9a-f]{64}$/.test(m.id) ? { ...m, receipts: await memberReceipts(ctx, conversation, m.id) } : m))
}
