import {
  bytesEqual, DakError, decodeDirectiveBytes, EditRefusedError, encodeDirectiveAckBytes, encodeDirectiveBytes, MAX_CLOCK_SKEW_MS, toHex, verifyDirective, verifyDirectiveAck,
  type AmendmentContent, type Certificate, type DirectiveContent, type OpenedEnvelope, type SignedDirective, type TextContent
} from '@dak/protocol'
import type { StoredConversation, StoredMessage } from '../storage/index.js'
import type { ChatMessage, QuotedMessage } from './api.js'
import type { EngineContext } from './context.js'
import { editWindow } from './edit-window.js'
import { errorDetail } from './events.js'
import type { InboxBatch } from './inbox-batch.js'

/** Characters of a quoted message kept with the reply: enough to recognise it. */
export const QUOTE_CHARS = 200

/**
 * The inbox's side of issue 16: what a received reply quotes, a received
 * directive's signature, and edits, deletions and acknowledgements — each
 * applied only when it may be. A refused one is reported as an error event
 * and recorded as seen (it will not become acceptable later), and nothing it
 * says is stored.
 */
export interface InboxAmendments {
  /** What a received text or directive stores beyond its text; undefined: a directive whose signature fails (refused). */
  received: (batch: InboxBatch, conversation: StoredConversation, envelope: OpenedEnvelope, content: TextContent | DirectiveContent) => Promise<Partial<ChatMessage> | undefined>
  /** Apply an edit, deletion or acknowledgement from `sender`, if it may be applied. */
  amendment: (batch: InboxBatch, conversation: StoredConversation, envelope: OpenedEnvelope, sender: Certificate, content: AmendmentContent) => Promise<void>
}

/** The message as this batch will leave it: one added earlier in the same batch (a catch-up page) counts. */
async function findMessage (ctx: EngineContext, batch: InboxBatch, id: string): Promise<StoredMessage | undefined> {
  for (let i = batch.ops.length - 1; i >= 0; i--) {
    const op = batch.ops[i]
    if (op?.type === 'message-add' && op.message.id === id) return op.message
  }
  return await ctx.store.messages.get(id)
}

async function findDirective (ctx: EngineContext, batch: InboxBatch, id: string): Promise<{ conversationId: string, directive: SignedDirective } | undefined> {
  for (const op of batch.ops) {
    if (op.type === 'directive-put' && op.id === id) return { conversationId: op.conversationId, directive: decodeDirectiveBytes(op.directive) }
  }
  const stored = await ctx.store.directives.get(id)
  return stored == null ? undefined : { conversationId: stored.conversationId, directive: decodeDirectiveBytes(stored.directive) }
}

/** The quote a reply keeps: the answered message as this device has it now. */
export async function quoteOf (ctx: EngineContext, batch: InboxBatch | undefined, id: string): Promise<QuotedMessage> {
  const quoted = batch != null ? await findMessage(ctx, batch, id) : await ctx.store.messages.get(id)
  if (quoted == null) return { id, text: '', sender: '' }
  return { id, text: Array.from(quoted.text).slice(0, QUOTE_CHARS).join(''), sender: quoted.sender.displayName }
}

/**
 * Whether `sender` may edit or delete `target` at `at` (the amendment's own
 * time, its sender's clock): only the officer who wrote it, only a text (a
 * directive is signed evidence and stays as it was), and only within the
 * department's window after it was sent. Throws EditRefusedError saying why.
 */
export function checkAmendable (target: StoredMessage, sender: { handle: string, department: string }, at: number, windowMs: number): void {
  if (target.sender.handle !== sender.handle || target.sender.department !== sender.department) throw new EditRefusedError(`only ${target.sender.displayName} may edit or delete their message`)
  if (target.kind !== 'text' || target.directive != null) throw new EditRefusedError('a directive cannot be edited or deleted: it is signed evidence')
  if (at < target.sentAt - MAX_CLOCK_SKEW_MS) throw new EditRefusedError('the change is dated before the message it changes')
  if (at - target.sentAt > windowMs) throw new EditRefusedError(`messages can be edited or deleted for ${Math.round(windowMs / 60_000)} minutes after sending; this one was sent ${Math.round((at - target.sentAt) / 60_000)} minutes before`)
}

export function inboxAmendments (ctx: EngineContext): InboxAmendments {
  function refuse (batch: InboxBatch, err: unknown, what: string): void {
    const detail = errorDetail(err)
    batch.after.push(() => { ctx.emitter.emit('error', { name: detail.name, message: `${what} refused: ${detail.message}` }) })
  }

  function announce (batch: InboxBatch, id: string): void {
    batch.after.push(async () => {
      const changed = await ctx.store.messages.get(id)
      if (changed != null) ctx.emitter.emit('message-changed', changed)
    })
  }

  async function received (batch: InboxBatch, conversation: StoredConversation, envelope: OpenedEnvelope, content: TextContent | DirectiveContent): Promise<Partial<ChatMessage> | undefined> {
    const extras: Partial<ChatMessage> = {}
    if (content.replyTo != null) extras.replyTo = await quoteOf(ctx, batch, toHex(content.replyTo))
    if (content.kind === 'directive') {
      try {
        const verified = verifyDirective(content.directive, ctx.verifyContext())
        // signed by the device that sent it: a member cannot pass on another officer's directive as theirs
        if (!bytesEqual(verified.certificate.devicePublicKey, envelope.sender)) throw new EditRefusedError('the directive is signed by another device than the one that sent it')
        extras.directive = { issuedAt: verified.issuedAt, ...(verified.deadline != null ? { deadline: verified.deadline } : {}) }
      } catch (err) {
        if (!(err instanceof DakError)) throw err
        refuse(batch, err, 'directive')
        return undefined
      }
      batch.ops.push({ type: 'directive-put', id: toHex(envelope.id), conversationId: conversation.id, directive: encodeDirectiveBytes(content.directive) })
    }
    return extras
  }

  async function amendment (batch: InboxBatch, conversation: StoredConversation, envelope: OpenedEnvelope, sender: Certificate, content: AmendmentContent): Promise<void> {
    try {
      if (content.kind === 'directive-ack') {
        const id = toHex(content.ack.directiveId)
        const found = await findDirective(ctx, batch, id)
        if (found == null || found.conversationId !== conversation.id) throw new EditRefusedError('it acknowledges a directive this device does not have in this conversation')
        const verified = verifyDirectiveAck(content.ack, content.ack.directiveId, found.directive, ctx.verifyContext())
        if (!bytesEqual(verified.certificate.devicePublicKey, envelope.sender)) throw new EditRefusedError('the acknowledgement is signed by another device than the one that sent it')
        batch.ops.push({ type: 'directive-ack-put', id, ack: { deviceKey: toHex(envelope.sender), handle: sender.handle, at: verified.acknowledgedAt, ack: encodeDirectiveAckBytes(content.ack) } })
        announce(batch, id)
        return
      }
      const id = toHex(content.target)
      const target = await findMessage(ctx, batch, id)
      if (target == null || target.conversationId !== conversation.id) throw new EditRefusedError('it changes a message this device does not have in this conversation')
      checkAmendable(target, sender, envelope.timestamp, await editWindow(ctx))
      batch.ops.push(content.kind === 'edit'
        ? { type: 'message-edit', id, text: content.text, at: envelope.timestamp }
        : { type: 'message-delete', id, at: envelope.timestamp })
      announce(batch, id)
    } catch (err) {
      if (!(err instanceof DakError)) throw err
      refuse(batch, err, content.kind === 'directive-ack' ? 'acknowledgement' : content.kind === 'edit' ? 'edit' : 'deletion')
    }
  }

  return { received, amendment }
}
