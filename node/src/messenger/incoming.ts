import {
  bytesEqual, decodeAppContent, DakError, EnvelopeKind, groupIdOfState, joinFromWelcome, members, policyOf, processMessage,
  toHex, type Certificate, type ConversationState, type OpenedEnvelope, type Processed
} from '@dak/protocol'
import type { ChatMessage } from './api.js'
import type { StoreOp } from '../storage/index.js'
import type { EngineContext } from './context.js'
import type { Directory } from './directory.js'
import { officerOf } from './officers.js'
import { OUTBOX, queueControl } from './outgoing.js'
import { conversationTopic, inboxTopic } from './topics.js'
import { FutureMessages } from './future-messages.js'
import { membersOf, summarise } from './summaries.js'

/** Errors that mean "this envelope will never be readable here": record it as seen and move on. */
const FINAL = new Set(['DuplicateMessageError', 'EpochTooOldError', 'NotAMemberError', 'ForbiddenCommitError', 'MlsError', 'MalformedInputError', 'TooLargeError',
  'UntrustedAuthorityError', 'ExpiredCertificateError', 'RevokedCertificateError', 'InvalidSignatureError', 'InvalidArgumentError'])

export interface Incoming {
  /** Process one envelope that passed the door checks; resolves when it is persisted (or dropped). */
  accept: (envelope: OpenedEnvelope) => Promise<void>
  /** Topics a freshly joined conversation needs (caller subscribes and registers). */
  onJoined: (handler: (conversationId: string) => void) => void
}

/**
 * The inbox: dedupe by envelope id before MLS sees anything, decrypt, persist
 * the new group state together with what it produced, then tell the UI.
 */
export function createIncoming (ctx: EngineContext, directory: Directory): Incoming {
  const future = new FutureMessages()
  const joinedHandlers: Array<(id: string) => void> = []
  const myKey = ctx.keys.device.publicKey
  const myInbox = inboxTopic(myKey)

  /** Rounds of retrying held envelopes after one change: each round can unlock the next epoch. */
  const MAX_RELEASE_ROUNDS = 16

  async function accept (envelope: OpenedEnvelope): Promise<void> {
    let changed = await ctx.serial(async () => await acceptNow(envelope))
    // Held envelopes can only become readable after an epoch change or a join: retry
    // them then, and only then, so a flood of unreadable ones costs nothing per envelope.
    for (let round = 0; changed && round < MAX_RELEASE_ROUNDS; round++) {
      changed = false
      for (const waiting of future.releaseAll()) {
        try {
          if (await ctx.serial(async () => await acceptNow(waiting))) changed = true
        } catch {
          // not marked seen: a later catch-up brings it again; the others still get their turn
        }
      }
    }
  }

  /** Process one envelope; true when it changed a group's epoch or membership (or joined one). */
  async function acceptNow (envelope: OpenedEnvelope): Promise<boolean> {
    const id = toHex(envelope.id)
    if (await ctx.store.seen.has(id)) return false
    if (bytesEqual(envelope.sender, myKey)) {
      // Our own envelope echoed back by a store: we have it already (and MLS cannot decrypt its own messages).
      await ctx.store.seen.add(id, ctx.now())
      return false
    }
    if (envelope.topic === myInbox) {
      return envelope.kind === EnvelopeKind.WELCOME ? await join(envelope) : false
    }
    const conversation = await ctx.store.conversations.get(envelope.topic)
    const state = conversation == null ? undefined : await ctx.groups.get(conversation.groupId)
    if (conversation == null || state == null) {
      future.hold(envelope) // its Welcome may still be on the way
      return false
    }
    let processed: Processed
    try {
      processed = await processMessage(state, envelope.payload, ctx.verifyContext())
    } catch (err) {
      const name = err instanceof DakError ? err.name : ''
      if (name === 'FutureEpochError') {
        future.hold(envelope)
        return false
      }
      if (FINAL.has(name)) {
        await ctx.store.seen.add(id, ctx.now())
        if (name === 'NotAMemberError') ctx.emitter.emit('conversation-removed', { conversationId: conversation.id, reason: 'removed' })
        return false
      }
      throw err
    }
    const ops: StoreOp[] = [ctx.groups.persistOp(conversation.groupId, processed.state), { type: 'seen', id, at: ctx.now() }]
    const after: Array<() => void | Promise<void>> = [() => { ctx.groups.remember(conversation.groupId, processed.state) }]
    if (processed.kind === 'application') {
      await directory.learn(processed.sender)
      await applicationContent(conversation.id, id, envelope, processed.sender, processed.plaintext, ops, after)
    } else if (processed.kind === 'commit') {
      await commitApplied(conversation.id, processed.state, processed.committer, processed.added, processed.removed, processed.removedSelf, envelope, ops, after)
    } else if (isAdminOf(processed.state)) {
      // A member asked to leave: an admin's next commit carries it out.
      after.push(async () => { await queueMembership(conversation.id) })
    }
    await ctx.store.commit(ops)
    for (const step of after) await step()
    return processed.kind === 'commit'
  }

  function isAdminOf (state: ConversationState): boolean {
    return policyOf(state).admins.some(key => bytesEqual(key, myKey))
  }

  async function queueMembership (conversationId: string): Promise<void> {
    await ctx.store.outbox.add({ id: 'm' + toHex(ctx.randomBytes(16)), conversationId, kind: OUTBOX.membership, payload: new TextEncoder().encode(JSON.stringify({ add: [], remove: [] })), createdAt: ctx.now() })
    ctx.kick()
  }

  async function applicationContent (conversationId: string, id: string, envelope: OpenedEnvelope, sender: Certificate, plaintext: Uint8Array, ops: StoreOp[], after: Array<() => void | Promise<void>>): Promise<void> {
    let content
    try {
      content = decodeAppContent(plaintext)
    } catch {
      return // a member sent something we cannot read: keep the state advance, show nothing
    }
    if (content.kind === 'text' || content.kind === 'directive') {
      const text = content.kind === 'text' ? content.text : `Directive: ${content.directive.text}`
      const message: ChatMessage = { id, conversationId, sender: officerOf(sender), fromMe: false, kind: 'text', text, sentAt: envelope.timestamp, state: 'received' }
      ops.push({ type: 'message-add', message })
      after.push(() => { ctx.emitter.emit('message', message) })
      after.push(async () => { await queueControl(ctx, conversationId, { kind: 'receipt', type: 'delivered', messageIds: [envelope.id], at: ctx.now(), clientId: ctx.randomBytes(16) }) })
      return
    }
    if (content.kind === 'receipt') {
      const state = content.type
      for (const messageId of content.messageIds) {
        const hex = toHex(messageId)
        after.push(async () => {
          const mine = await ctx.store.messages.get(hex)
          if (mine == null || !mine.fromMe) return
          const updated = await ctx.store.messages.setState(hex, state)
          await ctx.store.outbox.complete(hex)
          if (updated.state !== mine.state) ctx.emitter.emit('message-state', { conversationId, id: hex, state: updated.state })
        })
      }
      return
    }
    if (content.kind === 'info') {
      ops.push({ type: 'conversation-update', id: conversationId, changes: { title: content.title, kind: content.direct ? 'direct' : 'group' } })
      after.push(async () => { await emitConversation(conversationId) })
    }
  }

  async function commitApplied (conversationId: string, state: ConversationState, committer: Certificate, added: Certificate[], removed: Certificate[], removedSelf: boolean, envelope: OpenedEnvelope, ops: StoreOp[], after: Array<() => void | Promise<void>>): Promise<void> {
    for (const certificate of [...added, committer]) await directory.learn(certificate)
    if (!removedSelf) ops.push({ type: 'conversation-update', id: conversationId, changes: { members: membersOf(members(state)), admins: adminsOf(state) } })
    const lines = [
      ...added.map(c => `${committer.displayName} added ${c.displayName}`),
      ...removed.map(c => bytesEqual(c.devicePublicKey, committer.devicePublicKey) ? `${c.displayName} left` : `${committer.displayName} removed ${c.displayName}`)
    ]
    lines.forEach((text, i) => {
      const message: ChatMessage = { id: `${toHex(envelope.id)}-${i}`, conversationId, sender: officerOf(committer), fromMe: false, kind: 'system', text, sentAt: envelope.timestamp, state: 'received' }
      ops.push({ type: 'message-add', message })
      after.push(() => { ctx.emitter.emit('message', message) })
    })
    after.push(async () => {
      if (removedSelf) {
        ctx.mesh.unsubscribe(conversationId)
        ctx.emitter.emit('conversation-removed', { conversationId, reason: 'removed' })
      } else {
        await emitConversation(conversationId)
      }
    })
  }

  function adminsOf (state: ConversationState): string[] {
    const admins = policyOf(state).admins
    return members(state).filter(c => admins.some(key => bytesEqual(key, c.devicePublicKey))).map(c => c.handle)
  }

  async function emitConversation (conversationId: string): Promise<void> {
    const conversation = await ctx.store.conversations.get(conversationId)
    if (conversation != null) ctx.emitter.emit('conversation', await summarise(ctx, directory, conversation))
  }

  async function join (envelope: OpenedEnvelope): Promise<boolean> {
    const id = toHex(envelope.id)
    const stock = await ctx.store.keyPackages.list()
    let joined
    try {
      joined = await joinFromWelcome(envelope.payload, stock.map(k => ({ publicBytes: k.publicBytes, privateBytes: k.privateBytes })), ctx.verifyContext())
    } catch (err) {
      if (err instanceof DakError) {
        await ctx.store.seen.add(id, ctx.now())
        return false
      }
      throw err
    }
    // Only an admin adds members: a Welcome delivered by anyone else is a fork in the making.
    if (!policyOf(joined.state).admins.some(admin => bytesEqual(admin, envelope.sender))) {
      await ctx.store.seen.add(id, ctx.now())
      return false
    }
    const groupId = toHex(groupIdOfState(joined.state))
    const conversationId = conversationTopic(groupIdOfState(joined.state))
    if (await ctx.store.conversations.get(conversationId) != null) {
      await ctx.store.seen.add(id, ctx.now())
      return false
    }
    const used = stock.find(k => bytesEqual(k.publicBytes, joined.keyPackage.publicBytes))
    const everyone = members(joined.state)
    for (const certificate of everyone) await directory.learn(certificate)
    await ctx.store.commit([
      { type: 'conversation-create', conversation: { id: conversationId, kind: 'group', groupId, title: '', members: membersOf(everyone), admins: adminsOf(joined.state), sequencer: policyOf(joined.state).sequencer, createdAt: envelope.timestamp } },
      ctx.groups.persistOp(groupId, joined.state),
      { type: 'seen', id, at: ctx.now() },
      ...(used != null && !used.lastResort ? [{ type: 'key-package-delete' as const, ref: used.ref }] : [])
    ])
    ctx.groups.remember(groupId, joined.state)
    for (const handler of joinedHandlers) handler(conversationId)
    await emitConversation(conversationId)
    return true
  }

  return {
    accept,
    onJoined: (handler) => { joinedHandlers.push(handler) }
  }
}
