import {
  createHistoryKeyPair, DakError, decodeHistoryPart, epochOfState, openHistoryPart, sealedHistoryRequestId, toHex,
  type Certificate, type ConversationState, type OpenedEnvelope
} from '@dak/protocol'
import { checkNewMessage, type HistoryTransfer, type StoreOp } from '../storage/index.js'
import type { HistoryTransferStatus } from './api.js'
import type { EngineContext } from './context.js'
import { messageOf } from './history-entries.js'
import type { InboxBatch } from './inbox-batch.js'
import { controlEntryOp } from './outgoing.js'

/** A history part this device will not take: not asked of its sender, unreadable, or for another conversation. */
export class HistoryRefusedError extends DakError { override name = 'HistoryRefusedError' }

/**
 * The asking device's side of a history transfer (docs/messenger.md,
 * *History transfer*). A device brought into a conversation by another
 * device of its own officer asks that device — and only that one — for what
 * was written before it joined, with an HPKE key made for the request and
 * kept in the store until every part has arrived. Parts are taken only from
 * the asked device and only if they open with the request's key; each adds
 * the messages this device does not have yet, read, in one commit with the
 * transfer's progress, so a part is never half imported and a transfer
 * resumes where it stopped.
 */

/**
 * Joined through `welcomer`: ask it for the history, unless the group is new
 * (an epoch of 1 is the commit that made it: there is nothing before).
 */
export async function historyRequestOps (ctx: EngineContext, conversationId: string, state: ConversationState, welcomer: Certificate): Promise<StoreOp[]> {
  if (epochOfState(state) <= 1n) return []
  const requestId = ctx.randomBytes(16)
  const keys = await createHistoryKeyPair(state.suite)
  const transfer: HistoryTransfer = {
    requestId: toHex(requestId), conversationId, askedDevice: toHex(welcomer.devicePublicKey), suite: state.suite, publicKey: keys.publicKey, privateKey: keys.privateKey, requestedAt: ctx.now(), received: [], messagesAdded: 0
  }
  return [
    { type: 'history-transfer', transfer },
    controlEntryOp(ctx, conversationId, { kind: 'history-request', requestId, publicKey: keys.publicKey, askedDevice: welcomer.devicePublicKey, clientId: ctx.randomBytes(16) })
  ]
}

export function statusOf (t: HistoryTransfer): HistoryTransferStatus {
  return {
    conversationId: t.conversationId,
    device: t.askedDevice,
    received: t.received.length,
    messagesAdded: t.messagesAdded,
    complete: t.completedAt != null,
    ...(t.parts != null ? { parts: t.parts } : {}),
    ...(t.messagesTotal != null ? { messagesTotal: t.messagesTotal } : {})
  }
}

/** A HISTORY envelope on this device's inbox topic: import the part it seals, or refuse it (seen either way). */
export async function importHistoryPart (ctx: EngineContext, batch: InboxBatch, envelope: OpenedEnvelope, id: string): Promise<void> {
  batch.seen(id)
  const refuse = (why: string): void => {
    batch.after.push(() => { ctx.emitter.emit('error', { name: 'HistoryRefusedError', message: `a history part was refused: ${why}` }) })
  }
  let requestId: string
  try {
    requestId = toHex(sealedHistoryRequestId(envelope.payload))
  } catch (err) {
    return refuse((err as Error).message)
  }
  const transfer = await ctx.store.historyTransfers.get(requestId)
  if (transfer == null) return refuse('this device asked for no such transfer')
  if (transfer.privateKey == null) return // complete: a part again (the asked device answered twice) adds nothing
  if (toHex(envelope.sender) !== transfer.askedDevice) return refuse(`it came from ${toHex(envelope.sender).slice(0, 12)}, not from the device asked`)
  let part
  try {
    part = decodeHistoryPart(await openHistoryPart(transfer.suite, transfer.privateKey, envelope.payload, envelope.sender))
  } catch (err) {
    return refuse((err as Error).message)
  }
  if (part.conversationId !== transfer.conversationId) return refuse('it is for another conversation than the one asked about')
  if (transfer.parts != null && part.parts !== transfer.parts) return refuse(`it says the transfer has ${part.parts} parts, not ${transfer.parts}`)
  const conversation = await ctx.store.conversations.get(transfer.conversationId)
  if (conversation == null) return refuse('the conversation is not on this device')
  let added = 0
  if (!transfer.received.includes(part.part)) {
    for (const entry of part.messages) {
      if (batch.has(entry.id) || await ctx.store.messages.has(entry.id)) continue // came live, or in an earlier part
      if (entry.expiresAt != null && entry.expiresAt <= ctx.now()) continue // disappeared meanwhile
      let converted
      try {
        converted = messageOf(entry, conversation.id)
        checkNewMessage(converted.message)
      } catch {
        continue // a record this store cannot hold: the rest still lands
      }
      const { message, ops } = converted
      batch.ops.push(...ops)
      // an envelope this device gets later for the same message (it came live, or from a store) is not read again
      batch.seen(message.id)
      added++
    }
  }
  const received = [...new Set([...transfer.received, part.part])].sort((a, b) => a - b)
  const { privateKey, ...rest } = transfer
  const complete = received.length === part.parts
  // the key opened everything it was made for: gone with the last part
  const next: HistoryTransfer = { ...rest, ...(complete ? { completedAt: ctx.now() } : { privateKey }), parts: part.parts, messagesTotal: part.messagesTotal, received, messagesAdded: transfer.messagesAdded + added }
  batch.ops.push({ type: 'history-transfer', transfer: next })
  batch.after.push(() => { ctx.emitter.emit('history-transfer', statusOf(next)) })
}
