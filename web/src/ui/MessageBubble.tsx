/** One message: text, time, and for our own messages where it has got to. */
import { formatDateTime, formatTime, stateDescription, stateLabel } from '../format.js'
import type { ChatMessage } from '../messenger.js'
import { lazyComponent } from './lazy.js'
import { StateIcon } from './StateIcon.js'
import { DirectiveMark, MessageActions, MessageBody, PrecedenceBadge, Quote, ReadBy } from './MessageExtras.js'

// Loaded with the first file message: what shows an attachment stays out of the first paint.
const AttachmentView = lazyComponent(async () => (await import('./AttachmentView.js')).AttachmentView,
  ({ attachment }) => <p class="message-text">{attachment.name}</p>)

interface Props {
  message: ChatMessage
  /** Groups name the sender of each incoming message. */
  showSender: boolean
}

export function MessageBubble ({ message, showSender }: Props) {
  const common = {
    'data-testid': 'message',
    'data-state': message.state,
    'data-message-id': message.id,
    'data-from-me': String(message.fromMe),
    ...(message.directive != null ? { 'data-directive': 'true' } : {}),
    ...(message.precedence != null && message.precedence !== 'routine' ? { 'data-precedence': message.precedence } : {})
  }
  if (message.kind === 'system') {
    return <li class="message system" {...common}><p>{message.text}</p></li>
  }
  return (
    <li class={`message ${message.fromMe || message.fromMyOtherDevice === true ? 'mine' : 'theirs'}${message.directive != null ? ' directive' : ''}${message.precedence === 'flash' ? ' flash' : ''}`} {...common}>
      {message.fromMe
        ? <span class="visually-hidden">You:</span>
        : message.fromMyOtherDevice === true
          ? <p class="sender">You, on another device</p>
          : showSender && <p class="sender">{message.sender.displayName}</p>}
      <PrecedenceBadge message={message} />
      <DirectiveMark message={message} />
      <Quote message={message} />
      {message.kind === 'file' && message.attachment !== undefined
        ? <AttachmentView messageId={message.id} attachment={message.attachment} />
        : <MessageBody message={message} />}
      <p class="message-meta">
        <time dateTime={new Date(message.sentAt).toISOString()} title={formatDateTime(message.sentAt)}>{formatTime(message.sentAt)}</time>
        {message.fromMe && (
          <span class={`message-state state-${message.state}`} data-testid="message-state" title={stateDescription(message.state)}>
            <StateIcon state={message.state} />
            <span>{stateLabel(message.state)}</span>
          </span>
        )}
        <ReadBy message={message} />
      </p>
      <MessageActions message={message} />
    </li>
  )
}
