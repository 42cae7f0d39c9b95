/**
 * The conversation list as the UI holds it: updated from 'conversation' and
 * 'message' events without refetching everything. Pure, unit-tested.
 */
import type { ChatMessage, ConversationSummary, MessageState } from '../messenger.js'

/** Newest activity first; conversations without messages keep their relative order at the end. */
export function sortConversations (list: ConversationSummary[]): ConversationSummary[] {
  return list.slice().sort((a, b) => (b.lastMessage?.sentAt ?? 0) - (a.lastMessage?.sentAt ?? 0))
}

/** Inserts or replaces one conversation (the messenger sends the whole summary). */
export function upsertConversation (list: ConversationSummary[], conversation: ConversationSummary): ConversationSummary[] {
  const others = list.filter(c => c.id !== conversation.id)
  return sortConversations([...others, conversation])
}

/**
 * Moves a conversation's last-message preview forward when a newer message
 * arrives. Unread counts are left to the messenger's own 'conversation' event,
 * because only it knows what was already read on this device.
 */
export function noteMessage (list: ConversationSummary[], message: ChatMessage): ConversationSummary[] {
  const conversation = list.find(c => c.id === message.conversationId)
  if (conversation === undefined) return list
  if (conversation.lastMessage !== undefined && conversation.lastMessage.sentAt > message.sentAt) return list
  return upsertConversation(list, {
    ...conversation,
    lastMessage: { text: message.text, sentAt: message.sentAt, fromMe: message.fromMe },
    // a new incoming text is unread until the chat marks it read (its 'conversation' event then says 0)
    unread: conversation.unread + (!message.fromMe && message.fromMyOtherDevice !== true && message.kind === 'text' ? 1 : 0),
    ...(!message.fromMe && message.fromMyOtherDevice !== true && message.kind === 'text' && conversation.unread === 0 ? { firstUnread: message.id } : {})
  })
}

/** Whether the officer with this handle may add and remove members. */
export function isAdmin (conversation: ConversationSummary, handle: string): boolean {
  return conversation.admins.includes(handle)
}

/**
 * Whether an event shows that a device this conversation waits for has
 * joined: a delivery or read receipt in it, or a message from an officer it
 * waits for. The summary is then worth reloading, in case the messenger did
 * not announce the change itself.
 */
export function showsAwaitedDevice (list: ConversationSummary[] | null, conversationId: string, evidence: { state?: MessageState, from?: string }): boolean {
  const conversation = list?.find(c => c.id === conversationId)
  const waiting = conversation?.waitingFor ?? []
  if (waiting.length === 0) return false
  if (evidence.state === 'delivered' || evidence.state === 'read') return true
  return evidence.from !== undefined && waiting.some(o => o.handle === evidence.from)
}
