/**
 * The messages of one open chat as the UI holds them, updated from history
 * pages and messenger events. Pure functions over arrays so the merge rules
 * (no duplicates, states only move forward) are unit-tested.
 */
import type { ChatMessage, MessageState } from '../messenger.js'

/**
 * States only move forward (see MessageState in node/src/messenger/api.ts).
 * Outgoing: queued → sent → stored → delivered → read; incoming: received → read.
 * Events can arrive out of order, e.g. a delivery receipt before the store receipt.
 */
const STATE_RANK: Record<MessageState, number> = {
  queued: 0,
  received: 0,
  sent: 1,
  stored: 2,
  delivered: 3,
  read: 4
}

export function furthestState (a: MessageState, b: MessageState): MessageState {
  return STATE_RANK[b] > STATE_RANK[a] ? b : a
}

/** Adds or updates messages by id, keeping the furthest state, ordered by send time. */
export function mergeMessages (existing: ChatMessage[], incoming: ChatMessage[]): ChatMessage[] {
  const byId = new Map(existing.map(m => [m.id, m]))
  for (const message of incoming) {
    const known = byId.get(message.id)
    byId.set(message.id, known === undefined ? message : { ...message, state: furthestState(known.state, message.state) })
  }
  // Array.prototype.sort is stable, so messages sent in the same millisecond keep their order.
  return [...byId.values()].sort((a, b) => a.sentAt - b.sentAt)
}

/** Applies a 'message-state' event; `found` is false when the id is not on screen. */
export function applyStateChange (messages: ChatMessage[], id: string, state: MessageState): { messages: ChatMessage[], found: boolean } {
  const index = messages.findIndex(m => m.id === id)
  if (index === -1) return { messages, found: false }
  const current = messages[index] as ChatMessage
  const next = furthestState(current.state, state)
  if (next === current.state) return { messages, found: true }
  const updated = messages.slice()
  updated[index] = { ...current, state: next }
  return { messages: updated, found: true }
}

/**
 * Replaces the newest part of the timeline with a freshly loaded newest page.
 * Used when an event names a message we do not hold: a queued message has a
 * local id that changes to its envelope hash once sealed, so the history is
 * the truth for that window and the old local copy must go.
 */
export function replaceNewest (existing: ChatMessage[], newest: ChatMessage[]): ChatMessage[] {
  const oldest = newest[0]
  if (oldest === undefined) return []
  const kept = existing.filter(m => m.sentAt < oldest.sentAt)
  return mergeMessages(kept, newest)
}

/** Disappearing messages: the timeline without the messages the engine deleted at their expiry. */
export function dropMessages (messages: ChatMessage[], ids: string[]): ChatMessage[] {
  const gone = new Set(ids)
  return messages.some(m => gone.has(m.id)) ? messages.filter(m => !gone.has(m.id)) : messages
}
