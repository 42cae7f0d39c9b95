/** The parts of a message added for issue 16: its quote, directive mark, edited/deleted, per-member reads, and its actions. */
import { formatDateTime } from '../format.js'
import type { ChatMessage } from '../messenger.js'
import { canAmend, useChatActions } from './chat-actions.js'

export function Quote ({ message }: { message: ChatMessage }) {
  const quote = message.replyTo
  if (quote == null) return null
  return (
    <blockquote class="quote" data-testid="message-quote">
      {quote.sender !== '' && <span class="quote-sender">{quote.sender}</span>}
      <span class="quote-text">{quote.text !== '' ? quote.text : 'A message not on this device'}</span>
    </blockquote>
  )
}

/** Issue 11 part 4: a flash or immediate message says so in words (not by colour alone); routine shows nothing. */
export function PrecedenceBadge ({ message }: { message: ChatMessage }) {
  if (message.precedence !== 'flash' && message.precedence !== 'immediate') return null
  return (
    <p class={`precedence-badge precedence-${message.precedence}`} data-testid="precedence-badge">
      <strong>{message.precedence === 'flash' ? 'Flash' : 'Immediate'}</strong>
    </p>
  )
}

export function DirectiveMark ({ message }: { message: ChatMessage }) {
  const directive = message.directive
  if (directive == null) return null
  return (
    <p class="directive-mark" data-testid="directive-mark">
      <strong>Directive</strong>
      {directive.deadline != null && <span> · acknowledge by {formatDateTime(directive.deadline)}</span>}
      {directive.acknowledgedAt != null && <span data-testid="acknowledged"> · you acknowledged it {formatDateTime(directive.acknowledgedAt)}</span>}
    </p>
  )
}

export function MessageBody ({ message }: { message: ChatMessage }) {
  if (message.deletedAt != null) return <p class="message-text deleted" data-testid="message-deleted">This message was deleted</p>
  return (
    <p class="message-text">
      {message.text}
      {message.editedAt != null && <span class="muted small" data-testid="message-edited" title={formatDateTime(message.editedAt)}> (edited)</span>}
    </p>
  )
}

/** "Read by 2 of 3" under our own group messages. */
export function ReadBy ({ message }: { message: ChatMessage }) {
  const receipts = message.receipts
  if (receipts == null || receipts.of === 0) return null
  return <span class="read-by muted small" data-testid="read-by">Read by {receipts.read} of {receipts.of}</span>
}

export function MessageActions ({ message }: { message: ChatMessage }) {
  const actions = useChatActions()
  if (actions == null || !actions.writable || message.kind !== 'text' || message.deletedAt != null || !/^[0-9a-f]{64}$/.test(message.id)) return null
  const amendable = canAmend(message, actions.editWindowMs, Date.now())
  const toAcknowledge = message.directive != null && !message.fromMe && message.directive.acknowledgedAt == null
  return (
    <p class="message-actions">
      <button type="button" class="link" data-testid="reply-button" onClick={() => { actions.reply(message) }}>Reply</button>
      {amendable && <button type="button" class="link" data-testid="edit-button" onClick={() => { actions.edit(message) }}>Edit</button>}
      {amendable && <button type="button" class="link" data-testid="delete-button" onClick={() => { actions.remove(message) }}>Delete</button>}
      {toAcknowledge && <button type="button" class="primary small" data-testid="acknowledge-button" onClick={() => { actions.acknowledge(message) }}>Acknowledge</button>}
      {message.directive != null && message.fromMe && <button type="button" class="link" data-testid="directive-status-button" onClick={() => { actions.showStatus(message) }}>Who acknowledged</button>}
    </p>
  )
}
