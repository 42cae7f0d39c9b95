/**
 * Writing a message. Works offline on purpose: the messenger persists the
 * message first and sends it when any path exists, so the officer is told
 * that rather than stopped.
 */
import { useEffect, useRef, useState } from 'preact/hooks'
import { DRAFT_SAVE_DELAY_MS, MAX_DRAFT_CHARS } from '../constants.js'
import type { ChatMessage, ConnectionStatus, Precedence } from '../messenger.js'
import type { FileSender } from '../files/use-file-sender.js'
import { lazyComponent } from './lazy.js'
import { useApp } from './context.js'

// Loaded when a chat opens, after the first paint.
const AttachControls = lazyComponent(async () => (await import('./AttachControls.js')).AttachControls, () => null)

/** What the composer is doing besides a new message (issue 16). */
export type ComposerMode = { kind: 'new' } | { kind: 'reply', to: ChatMessage } | { kind: 'edit', message: ChatMessage }

interface Props {
  conversationId: string
  status: ConnectionStatus
  /** Shown above the input while it applies, e.g. that the other officer's device has not joined yet. */
  note: string | null
  onSent: (message: ChatMessage) => void
  /** Attachments and voice notes (docs/web.md, *Attachments*). */
  files: FileSender
  // issue 16
  /** The draft kept on this device for the conversation: the input starts with it. */
  draft?: string
  mode: ComposerMode
  onModeDone: () => void
}

function touchFirst (): boolean {
  return window.matchMedia('(pointer: coarse)').matches
}

export function Composer ({ conversationId, status, note, onSent, files, draft, mode, onModeDone }: Props) {
  const { messenger, reportError } = useApp()
  const [text, setText] = useState(draft ?? '')
  const [sending, setSending] = useState(false)
  const [directive, setDirective] = useState(false)
  const [deadline, setDeadline] = useState('')
  // issue 11 part 4: routine unless the officer raises it, and back to routine after each message
  const [precedence, setPrecedence] = useState<Precedence>('routine')
  const canSend = text.trim() !== '' && !sending
  const input = useRef<HTMLTextAreaElement>(null)

  // Editing starts from the message's text; a reply or an edit puts the cursor in the input.
  useEffect(() => {
    if (mode.kind === 'edit') setText(mode.message.text)
    if (mode.kind !== 'new') input.current?.focus()
  }, [mode])

  // The draft is kept on this device (sealed in its store) a moment after typing stops.
  const saved = useRef(draft ?? '')
  useEffect(() => {
    // a paste far over any message's size is not kept (the device store takes drafts of up to 256 KiB)
    if (mode.kind === 'edit' || text === saved.current || text.length > MAX_DRAFT_CHARS) return
    const timer = setTimeout(() => {
      saved.current = text
      messenger.setDraft(conversationId, text).catch(reportError)
    }, DRAFT_SAVE_DELAY_MS)
    return () => { clearTimeout(timer) }
  }, [messenger, conversationId, text, mode, reportError])

  const finish = (sent: string): void => {
    // Keep anything typed while the message was being saved.
    setText(current => current === sent ? '' : current)
    if (saved.current !== '') { saved.current = ''; messenger.setDraft(conversationId, '').catch(reportError) }
    onModeDone()
  }

  const send = (): void => {
    if (!canSend) return
    const sent = text
    setSending(true)
    const due = deadline !== '' ? new Date(deadline).getTime() : undefined
    const done = mode.kind === 'edit'
      ? messenger.edit(conversationId, mode.message.id, sent).then(() => { finish(sent) })
      : (directive
          ? messenger.sendDirective(conversationId, sent, { ...(due != null && Number.isFinite(due) ? { deadline: due } : {}), precedence })
          : messenger.send(conversationId, sent, { ...(mode.kind === 'reply' ? { replyTo: mode.to.id } : {}), precedence })
        ).then(message => {
          finish(sent)
          setDirective(false)
          setDeadline('')
          setPrecedence('routine')
          onSent(message)
        })
    done.catch(reportError).finally(() => { setSending(false) })
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
      {mode.kind !== 'new' && (
        <p class="composer-note composer-mode" data-testid={mode.kind === 'edit' ? 'editing-note' : 'replying-note'}>
          {mode.kind === 'edit' ? 'Editing your message' : `Replying to ${mode.to.fromMe ? 'yourself' : mode.to.sender.displayName}: “${Array.from(mode.to.text).slice(0, 80).join('')}”`}
          {' '}<button type="button" class="link" data-testid="cancel-mode-button" onClick={() => { if (mode.kind === 'edit') setText(''); onModeDone() }}>Cancel</button>
        </p>
      )}
      {mode.kind !== 'edit' && (
        <p class="composer-options">
          <label>Precedence{' '}
            <select data-testid="precedence-select" value={precedence} onChange={e => { setPrecedence(e.currentTarget.value as Precedence) }}>
              <option value="routine">Routine</option>
              <option value="immediate">Immediate</option>
              <option value="flash">Flash (sent and shown first)</option>
            </select>
          </label>
        </p>
      )}
      {mode.kind === 'new' && (
        <p class="composer-options">
          <label><input type="checkbox" data-testid="directive-toggle" checked={directive} onChange={e => { setDirective(e.currentTarget.checked) }} /> Send as a directive (signed; addressees acknowledge it)</label>
          {directive && (
            <label> Acknowledge by <input type="datetime-local" data-testid="directive-deadline" value={deadline} onInput={e => { setDeadline(e.currentTarget.value) }} /></label>
          )}
        </p>
      )}
      <div class="composer-row">
        <AttachControls sender={files} reportError={reportError} />
        <label for="composer-input" class="visually-hidden">Message</label>
        <textarea
          id="composer-input"
          ref={input}
          data-testid="composer-input"
          rows={2}
          value={text}
          placeholder="Write a message"
          aria-describedby={[note !== null ? 'composer-waiting' : '', status.mode === 'offline' ? 'composer-note' : ''].filter(id => id !== '').join(' ') || undefined}
          onInput={e => { setText(e.currentTarget.value) }}
          onKeyDown={onKeyDown}
        />
        <button type="submit" class="primary" data-testid="send-button" disabled={!canSend}>
          {sending ? 'Sending…' : mode.kind === 'edit' ? 'Save' : 'Send'}
        </button>
      </div>
    </form>
  )
}
