import {
  addsOwnDevice, bytesEqual, checkHistoryEntry, encodeHistoryPart, EnvelopeKind, packHistory, sealHistoryPart, toHex,
  type Certificate, type ConversationState, type HistoryEntry, type HistoryPart, type HistoryRequestContent
} from '@dak/protocol'
import type { StoredConversation } from '../storage/index.js'
import type { ChatMessage } from './api.js'
import type { EngineContext } from './context.js'
import type { Directory } from './directory.js'
import { entryOf, isTransferable } from './history-entries.js'
import type { InboxBatch } from './inbox-batch.js'
import { shortDeviceKey } from './new-devices.js'
import { officerOf } from './officers.js'
import { OUTBOX } from './outgoing.js'
import { sealPayloads } from './sealing.js'
import { inboxTopic } from '@dak/protocol/department'

/** Messages read per store page while gathering a conversation's history (the store's largest page). */
const READ_PAGE = 500
/**
 * The newest messages of a conversation a transfer carries. The answer is
 * queued in one commit: 10,000 short texts are some 40 parts of ~40 KB; a
 * longer history stays on the devices that have it (docs/messenger.md).
 */
export const MAX_TRANSFERRED_MESSAGES = 10_000

/**
 * The asked device's side of a history transfer (docs/messenger.md, *History
 * transfer*). Every member reads a history request; only the device it names
 * answers, and only a device of its own officer that it has accepted (vouched
 * for, or accepted after comparing the safety number): a device the
 * department node enrolled under the officer's name behind their back gets
 * nothing, and the officer is told here. The answer is every message of the
 * conversation this device holds, packed into parts, each sealed to the
 * request's key and queued as a HISTORY envelope to the asking device's inbox
 * topic: durable in the outbox before this request counts as seen, stored by
 * the department node for the asking device, and fetched by its catch-up from
 * where it stopped — so a transfer survives either device going away.
 */
export async function answerHistoryRequest (ctx: EngineContext, directory: Directory, batch: InboxBatch, conversation: StoredConversation, sender: Certificate, request: HistoryRequestContent): Promise<void> {
  if (!bytesEqual(request.askedDevice, ctx.keys.device.publicKey)) return // asked of another device
  const asker = toHex(sender.devicePublicKey)
  if (!addsOwnDevice(ctx.keys.certificate, sender)) {
    batch.after.push(() => { ctx.emitter.emit('error', { name: 'HistoryRefusedError', message: `${sender.displayName} asked for this device's history of a conversation; only the officer's own devices may` }) })
    return
  }
  if (!(await directory.isAccepted(asker))) {
    const text = `A device under your name (${shortDeviceKey(asker)}) asked for this conversation's history. Nothing was sent: this device has not accepted it. If it is yours, vouch for it (dak device vouch ${asker.slice(0, 12)}); if not, tell your department's administrator now.`
    const line: ChatMessage = { id: `history-refused-${toHex(request.requestId)}`, conversationId: conversation.id, sender: officerOf(sender), fromMe: false, kind: 'system', text, sentAt: ctx.now(), state: 'received' }
    batch.ops.push({ type: 'message-add', message: line })
    batch.after.push(() => { ctx.emitter.emit('message', line) })
    return
  }
  const state = await batch.state(conversation.groupId)
  if (state == null) return
  let entries: HistoryEntry[]
  let parts: HistoryPart[]
  let sealed: Uint8Array[]
  try {
    entries = await transferableEntries(ctx, conversation.id)
    parts = packHistory(conversation.id, entries)
    sealed = await sealParts(state, request, ctx.keys.device.publicKey, parts.map(encodeHistoryPart))
  } catch (err) {
    // the request is seen either way: a history that cannot be sent must not hold up the conversation's inbox
    const error = err instanceof Error ? err : new Error(String(err))
    batch.after.push(() => { ctx.emitter.emit('error', { name: error.name, message: `history for your other device (${shortDeviceKey(asker)}) was not sent: ${error.message}` }) })
    return
  }
  const { envelopes, ops } = await sealPayloads(ctx, EnvelopeKind.HISTORY, inboxTopic(sender.devicePublicKey), sealed)
  batch.ops.push(...ops, ...envelopes.map(envelope => ({
    // no lane: bulk, sent after every text and receipt waiting (precedence-lanes.ts)
    type: 'outbox-add' as const, entry: { id: toHex(envelope.id), conversationId: envelope.topic, kind: OUTBOX.sealedOther, payload: envelope.bytes, createdAt: ctx.now() }
  })))
  batch.after.push(() => {
    ctx.emitter.emit('history-sent', { conversationId: conversation.id, device: asker, parts: parts.length, messages: entries.length })
    ctx.kick()
  })
}

async function sealParts (state: ConversationState, request: HistoryRequestContent, me: Uint8Array, parts: Uint8Array[]): Promise<Uint8Array[]> {
  const sealed: Uint8Array[] = []
  for (const part of parts) sealed.push(await sealHistoryPart(state.suite, request.publicKey, request.requestId, me, part))
  return sealed
}

/** The newest MAX_TRANSFERRED_MESSAGES that can travel, oldest first; a file with its manifest (key included). */
async function transferableEntries (ctx: EngineContext, conversationId: string): Promise<HistoryEntry[]> {
  const newestFirst: HistoryEntry[] = []
  let before: string | undefined
  do {
    const page = await ctx.store.messages.history(conversationId, { limit: READ_PAGE, ...(before != null ? { before } : {}) })
    for (const message of page.messages.reverse()) {
      const entry = await entryFor(ctx, message)
      if (entry != null) newestFirst.push(entry)
      if (newestFirst.length === MAX_TRANSFERRED_MESSAGES) return newestFirst.reverse()
    }
    before = page.before
  } while (before != null)
  return newestFirst.reverse()
}

async function entryFor (ctx: EngineContext, message: ChatMessage): Promise<HistoryEntry | undefined> {
  if (!isTransferable(message, ctx.now())) return undefined
  let manifest: Uint8Array | undefined
  if (message.attachment != null) {
    // a file whose record is gone here cannot be fetched there either
    manifest = (await ctx.store.files.get(message.attachment.fileId))?.manifest
    if (manifest == null) return undefined
  }
  const entry = entryOf(message, manifest)
  try {
    checkHistoryEntry(entry)
  } catch {
    return undefined // a record this format cannot carry: the rest still goes
  }
  return entry
}
