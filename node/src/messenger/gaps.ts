import { toHex, type OpenedEnvelope } from '@dak/protocol'
import { missingCount, type SenderSeqOp } from '../storage/index.js'
import type { MissingMessages } from './api.js'
import type { EngineContext } from './context.js'
import type { Directory } from './directory.js'

/**
 * Gap detection. Every envelope a device seals on a conversation's topic
 * carries the next number of its own counter for that topic (sealing.ts,
 * persisted with the seal, so a restart continues it; epochs do not reset
 * it; each device of an officer counts for itself). A receiver records the
 * numbers it got per sending device (storage sender-sequences.ts); a hole is
 * a message that was sent and has not arrived — dropped or withheld by a
 * store, or lost on the way. Numbers are read from the signed envelope, so a
 * store can neither invent nor renumber them; a replay is the same envelope
 * (same id) and changes nothing.
 */

/**
 * The store op that records one received envelope's number. With disappearing
 * messages on (`timerMs`, the conversation's timer or the department's
 * maximum retention), a hole that may be messages which expired before they
 * reached us is not counted as missing (storage sender-sequences.ts).
 */
export function senderSeqOp (conversationId: string, envelope: OpenedEnvelope, timerMs?: number, now?: number): SenderSeqOp {
  return {
    type: 'sender-seq',
    topic: conversationId,
    sender: toHex(envelope.sender),
    seq: envelope.senderSeq,
    at: envelope.timestamp,
    ...(timerMs != null && timerMs > 0 && now != null ? { expired: { timerMs, now } } : {})
  }
}

/** "1 message from Asha is missing", "3 messages from Asha are missing". */
export function missingText (count: number, from: string): string {
  return count === 1 ? `1 message from ${from} is missing` : `${count} messages from ${from} are missing`
}

/** How many messages of this conversation are known to be missing, all senders together. */
export async function missingTotal (ctx: EngineContext, conversationId: string): Promise<number> {
  let total = 0
  for (const record of await ctx.store.senderSequences.forTopic(conversationId)) total += missingCount(record)
  return total
}

/** Whether any open conversation still misses a message (after a catch-up: worth asking the members in reach). */
export async function anyMissing (ctx: EngineContext): Promise<boolean> {
  for (const conversation of await ctx.store.conversations.list()) {
    if (conversation.closed == null && await missingTotal(ctx, conversation.id) > 0) return true
  }
  return false
}

/** The missing messages of a conversation, one line per officer (their devices together). */
export async function missingLines (ctx: EngineContext, directory: Directory, conversationId: string): Promise<MissingMessages[]> {
  const byOfficer = new Map<string, MissingMessages>()
  for (const record of await ctx.store.senderSequences.forTopic(conversationId)) {
    const count = missingCount(record)
    if (count === 0) continue
    const sender = (await directory.describe(record.sender)) ?? { handle: record.sender.slice(0, 8), displayName: `device ${record.sender.slice(0, 8)}`, title: '', department: '', deviceKey: record.sender }
    const line = byOfficer.get(sender.handle) ?? { sender, count: 0, text: '' }
    line.count += count
    line.text = missingText(line.count, sender.displayName)
    byOfficer.set(sender.handle, line)
  }
  return [...byOfficer.values()]
}
