import {
  decodeDirectiveAckBytes, decodeDirectiveBytes, EditRefusedError, encodeDirectiveAckBytes, encodeDirectiveBytes, encodeEvidence, fromHex, InvalidArgumentError, signDirective,
  signDirectiveAck, toHex
} from '@dak/protocol'
import type { StoredConversation, StoredMessage } from '../storage/index.js'
import { checkAmendable, quoteOf } from './amend.js'
import type { ChatMessage, DirectiveAddressee, DirectiveStatus, Messenger, Precedence, SearchHit } from './api.js'
import type { EngineContext } from './context.js'
import type { Directory } from './directory.js'
import { editWindow } from './edit-window.js'
import { officerOf } from './officers.js'
import { controlEntryOp, graded, queueMessage } from './outgoing.js'
import { withReceipts } from './receipts-view.js'
import { newClientId } from './sealing.js'

/** A sealed message's id: 64 hex digits (a queued one has a local id until it is sealed). */
const SEALED_ID = /^[0-9a-f]{64}$/

export type EverydayMessaging = Pick<Messenger, 'edit' | 'deleteMessage' | 'search' | 'setDraft' | 'setMuted' | 'sendDirective' | 'acknowledgeDirective' | 'directiveStatus' | 'exportDirective' | 'editWindow'> & {
  reply: (conversationId: string, text: string, replyTo: string, precedence?: Precedence) => Promise<ChatMessage>
  history: Messenger['history']
}

export interface EverydayGuards {
  /** The conversation, if this device may still write to it (throws otherwise). */
  writable: (conversationId: string) => Promise<StoredConversation>
  emitConversation: (conversationId: string) => Promise<void>
}

/**
 * Issue 16's messenger calls: replies, edits and deletions of one's own
 * messages, search, drafts and mute, and directives with signed
 * acknowledgements. The inbox side is amend.ts; what is stored, storage/.
 */
export function everydayMessaging (ctx: EngineContext, directory: Directory, guards: EverydayGuards): EverydayMessaging {
  async function ownMessage (conversationId: string, messageId: string): Promise<StoredMessage> {
    const message = await ctx.store.messages.get(messageId)
    if (message == null || message.conversationId !== conversationId) throw new InvalidArgumentError(`no message ${messageId} in this conversation`)
    return message
  }

  async function amend (conversationId: string, messageId: string, change: { text: string } | { delete: true }): Promise<ChatMessage> {
    await guards.writable(conversationId)
    const message = await ownMessage(conversationId, messageId)
    if (!message.fromMe) throw new EditRefusedError('only your own messages can be edited or deleted')
    if (!SEALED_ID.test(messageId)) throw new EditRefusedError('the message has not been sent yet: wait until it leaves this device')
    const at = ctx.now()
    checkAmendable(message, ctx.keys.certificate, at, await editWindow(ctx))
    const target = fromHex(messageId)
    const clientId = newClientId(ctx)
    await ctx.store.commit('text' in change
      ? [{ type: 'message-edit', id: messageId, text: change.text, at }, controlEntryOp(ctx, conversationId, { kind: 'edit', target, text: change.text, clientId })]
      : [{ type: 'message-delete', id: messageId, at }, controlEntryOp(ctx, conversationId, { kind: 'delete', target, clientId })])
    ctx.kick()
    const changed = await ownMessage(conversationId, messageId)
    ctx.emitter.emit('message-changed', changed)
    await guards.emitConversation(conversationId)
    return changed
  }

  async function directiveOf (messageId: string): Promise<{ message: StoredMessage, conversation: StoredConversation }> {
    const message = await ctx.store.messages.get(messageId)
    if (message?.directive == null) throw new InvalidArgumentError(`no directive ${messageId} on this device`)
    const conversation = await ctx.store.conversations.get(message.conversationId)
    if (conversation == null) throw new InvalidArgumentError(`the conversation of directive ${messageId} is gone`)
    return { message, conversation }
  }

  async function storedDirective (messageId: string) {
    const stored = await ctx.store.directives.get(messageId)
    if (stored == null) throw new InvalidArgumentError(`directive ${messageId} has no signed copy on this device`)
    return decodeDirectiveBytes(stored.directive)
  }

  return {
    async reply (conversationId, text, replyTo, precedence) {
      await guards.writable(conversationId)
      if (!SEALED_ID.test(replyTo)) throw new InvalidArgumentError('a reply answers a sent message: give its 64-digit id')
      const quote = await quoteOf(ctx, undefined, replyTo)
      return await queueMessage(ctx, conversationId, { kind: 'text', text, replyTo: fromHex(replyTo), clientId: newClientId(ctx), ...graded(precedence) }, text, { replyTo: quote })
    },
    edit: async (conversationId, messageId, text) => await amend(conversationId, messageId, { text }),
    deleteMessage: async (conversationId, messageId) => await amend(conversationId, messageId, { delete: true }),
    async history (conversationId, options) {
      const page = await ctx.store.messages.history(conversationId, options)
      return { ...page, messages: await withReceipts(ctx, await ctx.store.conversations.get(conversationId), page.messages) }
    },
    async search (query, options) {
      const hits = await ctx.store.search(query, options)
      const titles = new Map<string, string>()
      const result: SearchHit[] = []
      for (const message of hits) {
        if (!titles.has(message.conversationId)) titles.set(message.conversationId, (await ctx.store.conversations.get(message.conversationId))?.title ?? '')
        result.push({ message, conversationTitle: titles.get(message.conversationId) ?? '' })
      }
      return result
    },
    async setDraft (conversationId, text) {
      await ctx.store.prefs.set(conversationId, { draft: text })
      await guards.emitConversation(conversationId)
    },
    async setMuted (conversationId, muted) {
      await ctx.store.prefs.set(conversationId, { muted })
      await guards.emitConversation(conversationId)
    },
    async sendDirective (conversationId, text, options = {}) {
      await guards.writable(conversationId)
      const issuedAt = ctx.now()
      const deadline = options.deadline ?? 0
      const directive = signDirective(ctx.keys.device, ctx.keys.certificate, text, issuedAt, deadline)
      return await queueMessage(ctx, conversationId, { kind: 'directive', directive, clientId: newClientId(ctx), ...graded(options.precedence) }, text,
        { directive: { issuedAt, ...(deadline !== 0 ? { deadline } : {}) } },
        (id) => [{ type: 'directive-put', id, conversationId, directive: encodeDirectiveBytes(directive) }])
    },
    async acknowledgeDirective (conversationId, messageId) {
      await guards.writable(conversationId)
      const { message } = await directiveOf(messageId)
      if (message.conversationId !== conversationId) throw new InvalidArgumentError(`directive ${messageId} is not in this conversation`)
      if (message.fromMe) throw new InvalidArgumentError('a directive is acknowledged by its addressees, not its sender')
      if (message.directive?.acknowledgedAt != null) return message
      const at = ctx.now()
      const ack = signDirectiveAck(ctx.keys.device, ctx.keys.certificate, fromHex(messageId), await storedDirective(messageId), at)
      await ctx.store.commit([
        { type: 'message-acknowledged', id: messageId, at },
        { type: 'directive-ack-put', id: messageId, ack: { deviceKey: toHex(ctx.keys.device.publicKey), handle: ctx.keys.certificate.handle, at, ack: encodeDirectiveAckBytes(ack) } },
        controlEntryOp(ctx, conversationId, { kind: 'directive-ack', ack, clientId: newClientId(ctx) })
      ])
      ctx.kick()
      const changed = await ownMessage(conversationId, messageId)
      ctx.emitter.emit('message-changed', changed)
      return changed
    },
    async directiveStatus (messageId) {
      const { message, conversation } = await directiveOf(messageId)
      if (!message.fromMe) throw new InvalidArgumentError('only the directive\'s sender sees who received and acknowledged it')
      const acks = await ctx.store.directives.acks(messageId)
      const receipts = SEALED_ID.test(messageId) ? await ctx.store.memberReceipts.of(messageId) : []
      const me = ctx.keys.certificate.handle
      const addressees: DirectiveAddressee[] = []
      const seen = new Set<string>()
      for (const member of conversation.members) {
        if (member.handle === me || seen.has(member.handle)) continue
        seen.add(member.handle)
        const officer = (await directory.describe(member.deviceKey)) ?? { handle: member.handle, displayName: member.handle, title: '', department: '', deviceKey: member.deviceKey }
        const earliest = (times: Array<number | undefined>): number | undefined => times.filter((t): t is number => t != null).sort((a, b) => a - b)[0]
        const acked = earliest(acks.filter(a => a.handle === member.handle).map(a => a.at))
        const theirs = receipts.filter(r => r.handle === member.handle)
        const read = earliest(theirs.map(r => r.readAt))
        const delivered = earliest(theirs.map(r => r.deliveredAt))
        addressees.push(acked != null
          ? { officer, state: 'acknowledged', at: acked }
          : read != null ? { officer, state: 'read', at: read } : delivered != null ? { officer, state: 'delivered', at: delivered } : { officer, state: 'not-received' })
      }
      const count = (state: DirectiveAddressee['state']): number => addressees.filter(a => a.state === state).length
      const status: DirectiveStatus = {
        id: messageId,
        conversationId: conversation.id,
        text: message.text,
        issuedAt: message.directive?.issuedAt ?? message.sentAt,
        ...(message.directive?.deadline != null ? { deadline: message.directive.deadline } : {}),
        sender: officerOf(ctx.keys.certificate),
        addressees,
        counts: { acknowledged: count('acknowledged'), read: count('read'), delivered: count('delivered'), notReceived: count('not-received') }
      }
      return status
    },
    async exportDirective (messageId) {
      if (!SEALED_ID.test(messageId)) throw new InvalidArgumentError('the directive has not been sent yet: it has no id to acknowledge')
      const directive = await storedDirective(messageId)
      const acks = (await ctx.store.directives.acks(messageId)).map(a => decodeDirectiveAckBytes(a.ack))
      return encodeEvidence({ directiveId: fromHex(messageId), directive, acks })
    },
    editWindow: async () => await editWindow(ctx)
  }
}
