import type { HistoryEntry } from '@dak/protocol'
import type { ChatMessage } from './api.js'

/**
 * History transfer (docs/messenger.md, *History transfer*): a stored message
 * as a transferred entry and back. What is carried is what the officer sees:
 * text, sender as shown then, quote, edit and deletion, directive times,
 * precedence and the disappearing time. Local states (ticks, unread) are not:
 * on the new device the whole history is read, and ticks belong to the device
 * that sent.
 */

/** Not carried: files (their key and chunks are not moved; docs/messenger.md), messages still queued (local ids) and expired ones. */
export function isTransferable (message: ChatMessage, now: number): boolean {
  if (message.kind === 'file') return false
  if (message.fromMe && message.state === 'queued') return false
  return message.expiresAt == null || message.expiresAt > now
}

export function entryOf (message: ChatMessage): HistoryEntry {
  const { handle, displayName, title, department, deviceKey } = message.sender
  const entry: HistoryEntry = {
    id: message.id,
    sender: { handle, displayName, title, department, deviceKey },
    officersOwn: message.fromMe || message.fromMyOtherDevice === true,
    kind: message.kind === 'system' ? 'system' : 'text',
    text: message.text,
    sentAt: message.sentAt
  }
  if (message.replyTo != null) entry.replyTo = { ...message.replyTo }
  if (message.editedAt != null) entry.editedAt = message.editedAt
  if (message.deletedAt != null) entry.deletedAt = message.deletedAt
  if (message.directive != null) entry.directive = { issuedAt: message.directive.issuedAt, ...(message.directive.deadline != null ? { deadline: message.directive.deadline } : {}) }
  if (message.precedence != null && message.precedence !== 'routine') entry.precedence = message.precedence
  if (message.expiresAt != null) entry.expiresAt = message.expiresAt
  return entry
}

/** On the device that asked: the officer's own messages are theirs from another device; everything is read. */
export function messageOf (entry: HistoryEntry, conversationId: string): ChatMessage {
  const message: ChatMessage = {
    id: entry.id,
    conversationId,
    sender: { ...entry.sender },
    fromMe: false,
    kind: entry.kind,
    text: entry.text,
    sentAt: entry.sentAt,
    state: 'read'
  }
  if (entry.officersOwn && entry.kind === 'text') message.fromMyOtherDevice = true
  if (entry.replyTo != null) message.replyTo = { ...entry.replyTo }
  if (entry.editedAt != null) message.editedAt = entry.editedAt
  if (entry.deletedAt != null) message.deletedAt = entry.deletedAt
  if (entry.directive != null) message.directive = { ...entry.directive }
  if (entry.precedence != null) message.precedence = entry.precedence
  if (entry.expiresAt != null) message.expiresAt = entry.expiresAt
  return message
}
