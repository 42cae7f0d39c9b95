import {
  addsOwnDevice, bytesEqual, decodeAppContent, members, policyOf, toHex, type Certificate, type ConversationState, type OpenedEnvelope
} from '@dak/protocol'
import type { StoredConversation } from '../storage/index.js'
import type { ChatMessage } from './api.js'
import type { EngineContext } from './context.js'
import type { Directory } from './directory.js'
import type { InboxBatch } from './inbox-batch.js'
import { officerOf } from './officers.js'
import { acknowledgersOf, acknowledges } from './receipts.js'
import { closeConversation } from './closed.js'
import { directTitle, membersOf, summarise } from './summaries.js'
import { directEndedBy } from './direct-ended.js'
import { incomingFileOps } from './files/incoming-file.js'
import { inboxAmendments } from './amend.js'
import { withReceipts } from './receipts-view.js'
import { incomingExpiry, timerMessage } from './disappearing.js'
import { receiveDisown, receiveVouch } from './device-vouches.js'
import { shortDeviceKey } from './new-devices.js'
import { answerHistoryRequest } from './history-answer.js'

/** What a decrypted group message does to this device, written into the batch it belongs to. */
export interface InboxEffects {
  application: (batch: InboxBatch, conversation: StoredConversation, envelope: OpenedEnvelope, sender: Certificate, plaintext: Uint8Array) => Promise<void>
  commit: (batch: InboxBatch, conversation: StoredConversation, applied: AppliedCommit, envelope: OpenedEnvelope) => Promise<void>
  emitConversation: (conversationId: string) => Promise<void>
  adminsOf: (state: ConversationState) => string[]
}

export interface AppliedCommit {
  state: ConversationState
  committer: Certificate
  added: Certificate[]
  removed: Certificate[]
  /** Of `removed`, devices another device of their own officer removed (protocol commit-rules.ts). */
  disowned?: Certificate[]
  removedSelf: boolean
}

export function inboxEffects (ctx: EngineContext, directory: Directory): InboxEffects {
  const amendments = inboxAmendments(ctx)
  /** Another device of this device's own officer (same handle, department and authority). */
  const ownOfficer = (certificate: Certificate): boolean => addsOwnDevice(ctx.keys.certificate, certificate)
  function adminsOf (state: ConversationState): string[] {
    const admins = policyOf(state).admins
    return members(state).filter(c => admins.some(key => bytesEqual(key, c.devicePublicKey))).map(c => c.handle)
  }

  async function emitConversation (conversationId: string): Promise<void> {
    const conversation = await ctx.store.conversations.get(conversationId)
    if (conversation != null) ctx.emitter.emit('conversation', await summarise(ctx, directory, conversation))
  }

  async function application (batch: InboxBatch, conversation: StoredConversation, envelope: OpenedEnvelope, sender: Certificate, plaintext: Uint8Array): Promise<void> {
    const conversationId = conversation.id
    let content
    try {
      content = decodeAppContent(plaintext)
    } catch {
      return // a member sent something we cannot read: keep the state advance, show nothing
    }
    if (content.kind === 'text' || content.kind === 'directive') {
      // issue 16: the quote of a reply, a directive's checked signature (undefined: refused)
      const extras = await amendments.received(batch, conversation, envelope, content)
      if (extras == null) return
      const text = content.kind === 'text' ? content.text : content.directive.text
      const expiresAt = incomingExpiry(ctx, conversation, envelope.timestamp, envelope.expiresAt)
      // the officer's own other device wrote it: read already, as far as this officer goes (never unread here)
      const byMe = ownOfficer(sender)
      const message: ChatMessage = { id: toHex(envelope.id), conversationId, sender: officerOf(sender), fromMe: false, kind: 'text', text, sentAt: envelope.timestamp, state: byMe ? 'read' : 'received', ...(byMe ? { fromMyOtherDevice: true } : {}), ...extras, ...(content.precedence != null ? { precedence: content.precedence } : {}), ...(expiresAt != null ? { expiresAt } : {}) }
      // disappearing messages: one that expired on its way is never written here (only its number and seen id are)
      if (expiresAt == null || expiresAt > ctx.now()) {
        batch.ops.push({ type: 'message-add', message })
        batch.announce(message)
      }
      // a directive's sender must learn who has it: every addressee acknowledges its delivery
      if ((content.kind === 'directive' && !ownOfficer(sender)) || acknowledges(envelope.id, envelope.sender, ctx.keys.device.publicKey, acknowledgersOf(conversation.members, sender))) batch.received(conversationId, envelope.id)
      return
    }
    if (content.kind === 'edit' || content.kind === 'delete' || content.kind === 'directive-ack') {
      await amendments.amendment(batch, conversation, envelope, sender, content)
      return
    }
    if (content.kind === 'file') { // attachments (docs/files.md)
      const expiresAt = incomingExpiry(ctx, conversation, envelope.timestamp, envelope.expiresAt)
      const { message, ops } = incomingFileOps(conversation, envelope, officerOf(sender), content.file, { ...(expiresAt != null ? { expiresAt } : {}), ...(content.precedence != null ? { precedence: content.precedence } : {}), ownOfficer: ownOfficer(sender) })
      // as for a text: one that expired on its way is never written here
      if (expiresAt == null || expiresAt > ctx.now()) {
        batch.ops.push(...ops)
        batch.announce(message)
      }
      if (acknowledges(envelope.id, envelope.sender, ctx.keys.device.publicKey, acknowledgersOf(conversation.members, sender))) batch.received(conversationId, envelope.id)
      return
    }
    if (content.kind === 'receipt') {
      for (const messageId of content.messageIds) {
        const id = toHex(messageId)
        const mine = await ctx.store.messages.get(id)
        if (mine != null && mine.fromMe) {
          // delivered and read mean another officer has it: this officer's own other devices say nothing of that
          if (!ownOfficer(sender)) batch.acknowledge(conversationId, id, mine.state, content.type)
          // issue 16: who has it, per member ("read by 7 of 9")
          batch.ops.push({ type: 'member-receipt', messageId: id, deviceKey: toHex(sender.devicePublicKey), handle: sender.handle, receipt: content.type, at: content.at })
          batch.after.push(async () => { await announceReceipts(ctx, conversationId, id) })
        }
      }
      return
    }
    if (content.kind === 'timer') { // disappearing messages
      if (!conversation.admins.includes(sender.handle)) {
        ctx.emitter.emit('error', { name: 'NotAdminError', message: `${sender.displayName} is not an admin of this conversation: their disappearing-message timer is ignored` })
        return
      }
      const line = timerMessage(conversationId, toHex(envelope.id), officerOf(sender), false, content.timerMs, envelope.timestamp)
      batch.ops.push({ type: 'conversation-update', id: conversationId, changes: { timerMs: content.timerMs } }, { type: 'message-add', message: line })
      batch.after.push(() => { ctx.emitter.emit('message', line) })
      batch.after.push(async () => { await emitConversation(conversationId) })
      return
    }
    if (content.kind === 'device-vouch') { // linked devices (device-vouches.ts)
      try {
        await receiveVouch(ctx, directory, sender, content)
      } catch (err) {
        // a forged or stale vouch changes nothing: say so, never accept
        const error = err instanceof Error ? err : new Error(String(err))
        ctx.emitter.emit('error', { name: error.name, message: `a device vouch from ${sender.displayName} was refused: ${error.message}` })
      }
      return
    }
    if (content.kind === 'device-disown') { // linked devices: the officer removed one of their devices (device-vouches.ts)
      await receiveDisown(ctx, directory, batch, conversation, sender, content)
      return
    }
    if (content.kind === 'history-request') { // linked devices: answered by the device it names (history-answer.ts)
      await answerHistoryRequest(ctx, directory, batch, conversation, sender, content)
      return
    }
    if (content.kind === 'info') {
      // a direct chat is titled by the other officer: the one who started it, here; kept if they leave or are revoked.
      // Sent by another device of this officer (a linked device joining), the title it sends is that other officer's name.
      const title = content.direct && sender.handle !== ctx.keys.certificate.handle ? sender.displayName : content.title
      batch.ops.push({ type: 'conversation-update', id: conversationId, changes: { title, kind: content.direct ? 'direct' : 'group' } })
      batch.after.push(async () => { await emitConversation(conversationId) })
    }
  }

  async function commit (batch: InboxBatch, conversation: StoredConversation, applied: AppliedCommit, envelope: OpenedEnvelope): Promise<void> {
    const conversationId = conversation.id
    const { state, committer, added, removed, removedSelf } = applied
    for (const certificate of [...added, committer]) await directory.learn(certificate)
    if (!removedSelf) {
      const keepTitle = directTitle(conversation, removed)
      const remaining = membersOf(members(state))
      // the other officer of a direct chat is out of it: closed, title and history kept
      const ended = (conversation.invited ?? []).length === 0 ? directEndedBy(ctx, conversation, removed, remaining) : undefined
      batch.ops.push({ type: 'conversation-update', id: conversationId, changes: { members: remaining, admins: adminsOf(state), ...(keepTitle != null ? { title: keepTitle } : {}), ...(ended != null ? { closed: ended } : {}) } })
    }
    const disowned = (applied.disowned ?? []).filter(c => !bytesEqual(c.devicePublicKey, ctx.keys.device.publicKey))
    // the officer's own word that the device is not theirs now: this device adds it nowhere (until a new vouch), even
    // while department IT has not revoked it yet — a later add of the officer by handle would bring it back
    for (const c of disowned) batch.ops.push({ type: 'peer-put', peer: { deviceKey: toHex(c.devicePublicKey), handle: c.handle, certificate: c.bytes, state: 'removed' } })
    const isDisowned = (c: Certificate): boolean => disowned.some(d => bytesEqual(d.devicePublicKey, c.devicePublicKey))
    const lines = [
      // a direct chat opens with its two officers, not with a line saying one added the other
      ...(conversation.kind === 'direct' ? [] : added.map(c => `${committer.displayName} added ${c.displayName}`)),
      ...removed.map(c => bytesEqual(c.devicePublicKey, committer.devicePublicKey)
        ? `${c.displayName} left`
        : isDisowned(c)
          ? `${committer.displayName} removed one of their own devices (${shortDeviceKey(toHex(c.devicePublicKey))}): it reads nothing written from now on, and is added nowhere with ${c.displayName}`
          : `${committer.displayName} removed ${c.displayName}`)
    ]
    lines.forEach((text, i) => {
      const message: ChatMessage = { id: `${toHex(envelope.id)}-${i}`, conversationId, sender: officerOf(committer), fromMe: false, kind: 'system', text, sentAt: envelope.timestamp, state: 'received' }
      batch.ops.push({ type: 'message-add', message })
      batch.after.push(() => { ctx.emitter.emit('message', message) })
    })
    if (removedSelf) closeConversation(ctx, conversation, { reason: 'removed', by: toHex(committer.devicePublicKey), at: envelope.timestamp }, batch)
    else batch.after.push(async () => { await emitConversation(conversationId) })
    batch.changed = true
  }

  return { application, commit, emitConversation, adminsOf }
}

/** Tell the UI a message of ours has new per-member receipts (issue 16). */
async function announceReceipts (ctx: EngineContext, conversationId: string, id: string): Promise<void> {
  const message = await ctx.store.messages.get(id)
  if (message == null) return
  const [decorated] = await withReceipts(ctx, await ctx.store.conversations.get(conversationId), [message])
  if (decorated != null) ctx.emitter.emit('message-changed', decorated)
}
