/**
 * Writing a message. Works offline on purpose: the messenger persists the
 * message first and sends it when any path exists, so the officer is told
 * that rather than stopped.
 */
import { useState } from 'preact/hooks'
import type { ChatMessage, ConnectionStatus } from '../messenger.js'
import type { FileSender } from '../files/use-file-sender.js'
import { lazyComponent } from './lazy.js'
import { useApp } from './context.js'

// Loaded when a chat opens, after the first paint.
const AttachControls = lazyComponent(async () => (await import('./AttachControls.js')).AttachControls, () => null)

interface Props {
  conversationId: string
  status: ConnectionStatus
  /** Shown above the input while it applies, e.g. that the other officer's device has not joined yet. */
  note: string | null
  onSent: (message: ChatMessage) => void
  /** Attachments and voice notes (docs/web.md, *Attachments*). */
  files: FileSender
}

function touchFirst (): boolean {
  return window.matchMedia('(pointer: coarse)').matches
}

export function Composer ({ conversationId, status, note, onSent, files }: Props) {
  const { messenger, reportError } = useApp()
  const [text, setText] = useState('')
  const [sending, setSending] = useState(false)
  const canSend = text.trim() !== '' && !sending

  const send = (): void => {
    if (!canSend) return
    const sent = text
    setSending(true)
    messenger.send(conversationId, sent).then(message => {
      // Keep anything typed while the message was being saved.
      setText(current => current === sent ? '' : current)
      onSent(message)
    }, reportError).finally(() => { setSending(false) })
  }

  const onKeyDown = (event: KeyboardEvent): void => {
    // With a keyboard, Enter sends and Shift+Enter starts a new line. On touch
    // screens there is no Shift, so Enter is a new line and the button sends.
    // Never while an input method is still composing a character.
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing && !touchFirst()) {
      event.preventDefault()
      send()
    }
  }

  return (
    <form class="composer" onSubmit={e => { e.preventDefault(); send() }}>
      {note !== null && <p class="composer-note" id="composer-waiting" data-testid="waiting-note">{note}</p>}
      {status.mode === 'offline' && (
        <p class="composer-note" id="composer-note" data-testid="offline-note">
          You are offline. Messages you send are kept on this device and go out when a connection returns.
        </p>
      )}
      <div class="composer-row">
        <AttachControls sender={files} reportError={reportError} />
        <label for="composer-input" class="visually-hidden">Message</label>
        <textarea
          id="composer-input"
          data-testid="composer-input"
          rows={2}
          value={text}
          placeholder="Write a message"
          aria-describedby={[note !== null ? 'composer-waiting' : '', status.mode === 'offline' ? 'composer-note' : ''].filter(id => id !== '').join(' ') || undefined}
          onInput={e => { setText(e.currentTarget.value) }}
          onKeyDown={onKeyDown}
        />
        <button type="submit" class="primary" data-testid="send-button" disabled={!canSend}>
          {sending ? 'Sending…' : 'Send'}
        </button>
      </div>
    </form>
  )
}
