import { ownKeepOp } from './carry.js'
import { DakError, encodeAppContent, members, toHex, type Content, type Precedence } from '@dak/protocol'
import type { StoreOp } from '../storage/index.js'
import type { ChatMessage } from './api.js'
import type { EngineContext } from './context.js'
import { officerOf } from './officers.js'
import { localMessageId, newClientId, sealPlaintext } from './sealing.js'
import { expiryFor } from './disappearing.js'
import { laneOf } from './precedence-lanes.js'

/**
 * Outbox entry kinds. Plaintext kinds wait to be encrypted (so a message
 * written offline is encrypted in whatever epoch the group is in when it
 * leaves); sealed kinds carry the exact envelope bytes, so every retry sends
 * the same bytes and receivers dedupe by id.
 */
export const OUTBOX = {
  /** A chat message's encoded content; entry id = the message's local id. */
  text: 'text',
  /** Conversation info, edits, deletions and the like: encoded content, nobody waits on them. */
  control: 'control',
  /** A delivery or read receipt's encoded content (earlier versions queued these as `control`). */
  receipt: 'receipt',
  /** A sealed chat message: done on a store receipt or a delivery receipt. */
  sealedMessage: 'sealed-message',
  /** Any other sealed envelope: done on a store receipt, or once it reached a peer. */
  sealedOther: 'sealed-other',
  /** A sealed receipt: done once gossip handed it to a department node (which stores it), else as sealed-other. */
  sealedReceipt: 'sealed-receipt',
  /** A membership change to commit through the sequencer (JSON). */
  membership: 'membership'
} as const

/** Write a message to disk (message + outbox entry, one commit) before anything touches the network. */
export async function queueText (ctx: EngineContext, conversationId: string, text: string, precedence?: Precedence): Promise<ChatMessage> {
  return await queueMessage(ctx, conversationId, { kind: 'text', text, clientId: newClientId(ctx), ...graded(precedence) }, text)
}

/** Only flash and immediate are written down (content and record): routine is what nothing says. */
export function graded (precedence: Precedence | undefined): { precedence?: Precedence } {
  return precedence == null || precedence === 'routine' ? {} : { precedence }
}

/**
 * Queue a chat message of any kind the officer sees in the timeline (a text,
 * a reply, a directive): `extras` are what the stored message shows beyond
 * its text (everyday.ts), `ops` go in the same commit (a directive's bytes).
 */
export async function queueMessage (ctx: EngineContext, conversationId: string, content: Content, text: string, extras: Partial<ChatMessage> = {}, ops: (id: string) => StoreOp[] = () => []): Promise<ChatMessage> {
  const id = localMessageId(ctx)
  const payload = encodeAppContent(content)
  const precedence = 'precedence' in content ? content.precedence : undefined
  const sentAt = ctx.now()
  const conversation = await ctx.store.conversations.get(conversationId)
  // disappearing messages: the timer in force when the officer wrote it
  const expiresAt = conversation == null ? undefined : expiryFor(ctx, conversation, sentAt)
  const message: ChatMessage = {
    id, conversationId, sender: officerOf(ctx.keys.certificate), fromMe: true, kind: 'text', text, sentAt, state: 'queued', ...extras, ...graded(precedence), ...(expiresAt != null ? { expiresAt } : {})
  }
  await ctx.store.commit([
    { type: 'message-add', message },
    { type: 'outbox-add', entry: { id, conversationId, kind: OUTBOX.text, payload, createdAt: message.sentAt, lane: laneOf(precedence) } },
    ...ops(id)
  ])
  ctx.emitter.emit('message', message)
  ctx.kick()
  return message
}

/** The outbox entry for control content (a receipt, conversation info), to commit with whatever produced it. */
export function controlEntryOp (ctx: EngineContext, conversationId: string, content: Content): StoreOp {
  const kind = content.kind === 'receipt' ? OUTBOX.receipt : OUTBOX.control
  return { type: 'outbox-add', entry: { id: 'c' + toHex(ctx.randomBytes(16)), conversationId, kind, payload: encodeAppContent(content), createdAt: ctx.now() } }
}

export async function queueControl (ctx: EngineContext, conversationId: string, content: Content): Promise<void> {
  await ctx.store.commit([controlEntryOp(ctx, conversationId, content)])
  ctx.kick()
}

/**
 * Encrypt a waiting plaintext entry and swap it for its sealed envelope: new
 * group state, renamed message, outbox swap and sequence in one commit.
 */
/**
 * The conversation has no member but this device yet (its first add is still
 * on its way through the sequencer): a message sealed now could be read by
 * nobody, and not by the members about to be added either (MLS gives them
 * only what is sent after their add). The entry waits and is retried.
 */
export class WaitingForMembersError extends DakError { override name = 'WaitingForMembersError' }

function sealedKind (plaintextKind: string): string {
  if (plaintextKind === OUTBOX.text) return OUTBOX.sealedMessage
  if (plaintextKind === OUTBOX.receipt) return OUTBOX.sealedReceipt
  return OUTBOX.sealedOther
}

export async function sealEntry (ctx: EngineContext, entry: { id: string, conversationId: string, kind: string, payload: Uint8Array }): Promise<void> {
  await ctx.serial(async () => {
    const current = await ctx.store.outbox.get(entry.id)
    if (current == null) return
    const conversation = await ctx.store.conversations.get(entry.conversationId)
    if (conversation == null) {
      await ctx.store.outbox.complete(entry.id)
      return
    }
    const state = await ctx.groups.get(conversation.groupId)
    if (state != null && members(state).length < 2) throw new WaitingForMembersError('nobody else is in this conversation yet: the message waits for the members being added')
    const isMessage = entry.kind === OUTBOX.text
    const expiresAt = isMessage ? (await ctx.store.messages.get(entry.id))?.expiresAt : undefined
    if (expiresAt != null && expiresAt <= ctx.now()) {
      // disappearing messages: it expired before it could leave (the sweep deletes it here); nobody may get it now
      await ctx.store.outbox.complete(entry.id)
      return
    }
    const sealed = await sealPlaintext(ctx, conversation.id, conversation.groupId, entry.payload, expiresAt)
    const envelopeId = toHex(sealed.envelope.id)
    await ctx.store.commit([
      ...sealed.ops,
      ...(isMessage ? [{ type: 'message-rename' as const, id: entry.id, newId: envelopeId }] : []),
      { type: 'outbox-complete', id: entry.id },
      // the sealed envelope keeps the lane its plaintext waited in (a flash stays first)
      { type: 'outbox-add', entry: { id: envelopeId, conversationId: conversation.id, kind: sealedKind(entry.kind), payload: sealed.envelope.bytes, createdAt: ctx.now(), ...(current.lane !== undefined ? { lane: current.lane } : {}) } },
      ownKeepOp(ctx, conversation.id, sealed.envelope)
    ])
    sealed.remember()
    if (isMessage) ctx.emitter.emit('message-state', { conversationId: conversation.id, id: envelopeId, state: 'queued', previousId: entry.id })
  })
}
