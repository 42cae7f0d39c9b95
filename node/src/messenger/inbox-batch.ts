import type { ConversationState } from '@dak/protocol'
import type { StoreOp } from '../storage/index.js'
import { precedenceRank } from '@dak/protocol'
import type { ChatMessage, MessageState } from './api.js'
import type { EngineContext } from './context.js'

/**
 * What processing some envelopes produced, not yet stored: store ops, the
 * newest MLS state of each group they advanced, and what to do once it is all
 * committed (events, receipts). A live envelope is a batch of one; a catch-up
 * page is one batch, so a group's ~20 KiB state is written once per page
 * instead of once per message.
 *
 * The rule of the in-memory state cache holds across a batch: `ctx.groups`
 * learns the new states only after the commit, and if anything fails the
 * groups the batch touched are dropped from the cache (MLS zeroes spent
 * secrets in place, so the cached object may be ahead of the store) and reload
 * from the store, where the batch's messages can be decrypted again.
 */
export class InboxBatch {
  readonly ops: StoreOp[] = []
  /** Run in order after the commit. */
  readonly after: Array<() => void | Promise<void>> = []
  /** A commit or a join: envelopes held for a later epoch may be readable now. */
  changed = false
  /** Conversations closed by this batch (the store shows it only after the commit): each is announced once. */
  readonly closing = new Set<string>()
  private readonly states = new Map<string, ConversationState>()
  private readonly touched = new Set<string>()
  private readonly ids = new Set<string>()
  /** Texts received in this batch, per conversation: what a delivery receipt will acknowledge. */
  readonly texts = new Map<string, Uint8Array[]>()
  /** Flash and immediate messages received in this batch, announced before anything else of it. */
  private readonly graded: ChatMessage[] = []
  /** Our own messages whose state receipts in this batch move: id → state before, to report each change once. */
  private readonly moved = new Map<string, { conversationId: string, before: MessageState }>()

  constructor (private readonly ctx: EngineContext) {}

  /** The group's state as this batch left it (else as cached or stored); the caller may process with it. */
  async state (groupId: string): Promise<ConversationState | undefined> {
    this.touched.add(groupId)
    return this.states.get(groupId) ?? await this.ctx.groups.get(groupId)
  }

  advance (groupId: string, state: ConversationState): void {
    this.touched.add(groupId)
    this.states.set(groupId, state)
  }

  /** Record an envelope id as processed (the store's seen set does not have it until the commit). */
  seen (id: string): void {
    this.ids.add(id)
    this.ops.push({ type: 'seen', id, at: this.ctx.now() })
  }

  has (id: string): boolean {
    return this.ids.has(id)
  }

  /** A text was received: acknowledge it once the batch is stored. */
  received (conversationId: string, messageId: Uint8Array): void {
    const ids = this.texts.get(conversationId) ?? []
    ids.push(messageId)
    this.texts.set(conversationId, ids)
  }

  /**
   * A received message to announce once the batch is stored. A flash message
   * is announced (shown, notified) before everything else of the batch, then
   * immediate ones, then the rest in arrival order: a catch-up page of 128
   * shows its flash first (issue 11 part 4). Storage order is untouched.
   */
  announce (message: ChatMessage): void {
    if (precedenceRank(message.precedence) < precedenceRank('routine')) this.graded.push(message)
    else this.after.push(() => { this.ctx.emitter.emit('message', message) })
  }

  /** A receipt for one of our messages: move its state and complete its outbox entry, in this batch. */
  acknowledge (conversationId: string, id: string, before: MessageState, state: 'delivered' | 'read'): void {
    this.ops.push({ type: 'message-state', id, state }, { type: 'outbox-complete', id })
    if (!this.moved.has(id)) this.moved.set(id, { conversationId, before })
  }

  /** One commit: everything gathered, each advanced group's newest state once, then `extra` (a catch-up cursor). */
  async commit (extra: StoreOp[] = []): Promise<void> {
    const ops = [...this.ops, ...[...this.states].map(([groupId, state]) => this.ctx.groups.persistOp(groupId, state)), ...extra]
    if (ops.length > 0) await this.ctx.store.commit(ops)
    for (const [groupId, state] of this.states) this.ctx.groups.remember(groupId, state)
    // stable: equal precedences keep their arrival order
    for (const message of [...this.graded].sort((a, b) => precedenceRank(a.precedence) - precedenceRank(b.precedence))) this.ctx.emitter.emit('message', message)
    for (const step of this.after) await step()
    for (const [id, { conversationId, before }] of this.moved) {
      const now = await this.ctx.store.messages.get(id)
      if (now != null && now.state !== before) this.ctx.emitter.emit('message-state', { conversationId, id, state: now.state })
    }
  }

  /** Nothing of this batch was stored: forget the cached states it may have spent. */
  discard (): void {
    for (const groupId of this.touched) this.ctx.groups.forget(groupId)
  }
}
