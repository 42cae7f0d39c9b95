/** One conversation: header with its actions, the messages, and the composer (or why there is none). */
import { useEffect, useMemo, useRef, useState } from 'preact/hooks'
import { MAX_JUMP_PAGES } from '../constants.js'
import { useFileSender } from '../files/use-file-sender.js'
import type { ChatMessage, ConnectionStatus } from '../messenger.js'
import { closedText, conversationSubtitle, conversationTitle, directPeer, isClosed, missingNotes, visibleMessages, waitingNote } from '../state/conversation-view.js'
import { useTimeline } from '../state/use-timeline.js'
import { useHistoryTransfer } from '../state/use-history-transfer.js'
import { HistoryTransferNotice } from './HistoryTransferNotice.js'
import { CallButtons } from './CallButtons.js'
import { Composer, type ComposerMode } from './Composer.js'
import { ChatActionsContext, type ChatActions } from './chat-actions.js'
import { DirectiveStatusPanel } from './DirectiveStatusPanel.js'
import { useApp } from './context.js'
import { MessageList } from './MessageList.js'
import { ScreenHeader } from './ScreenHeader.js'

interface Props {
  conversationId: string
  status: ConnectionStatus
}

export function ChatView ({ conversationId, status }: Props) {
  const { messenger, me, reportError, conversations, navigate, back, readOnly } = useApp()
  const conversation = conversations.list?.find(c => c.id === conversationId)
  const timeline = useTimeline(messenger, conversationId, reportError)
  const historyTransfer = useHistoryTransfer(messenger, conversationId, reportError)
  const messages = useMemo(() => visibleMessages(conversation, me, timeline.messages), [conversation, me, timeline.messages])
  const closed = conversation !== undefined && isClosed(conversation)
  const files = useFileSender(messenger, conversationId, timeline.addSent, reportError)
  const [dragging, setDragging] = useState(false)
  // issue 16: reply/edit under way, a directive's status, the edit window, jump to the first unread
  const [mode, setMode] = useState<ComposerMode>({ kind: 'new' })
  const [statusOf, setStatusOf] = useState<string | null>(null)
  const [editWindowMs, setEditWindowMs] = useState(0)
  useEffect(() => { messenger.editWindow().then(setEditWindowMs, reportError) }, [messenger, reportError])
  // the oldest unread when the chat opened: reading it clears the summary's
  const [firstUnread, setFirstUnread] = useState<string | undefined>(conversation?.firstUnread)
  const [jumping, setJumping] = useState(false)
  const pagesLoaded = useRef(0)
  useEffect(() => { setMode({ kind: 'new' }); setStatusOf(null); setFirstUnread(conversation?.firstUnread); setJumping(false) }, [conversationId])
  useEffect(() => {
    // a click while the first page is still loading waits for it rather than giving up
    if (!jumping || firstUnread === undefined || !timeline.loaded) return
    const target = document.querySelector(`[data-message-id="${firstUnread}"]`)
    if (target !== null) {
      target.scrollIntoView({ block: 'center' })
      ;(target as HTMLElement).focus?.()
      setJumping(false)
      setFirstUnread(undefined)
    } else if (timeline.hasOlder && !timeline.loadingOlder && pagesLoaded.current < MAX_JUMP_PAGES) {
      pagesLoaded.current += 1
      timeline.loadOlder()
    } else if (!timeline.loadingOlder) {
      setJumping(false)
    }
  }, [jumping, firstUnread, timeline.loaded, timeline.messages, timeline.hasOlder, timeline.loadingOlder])
  const actions: ChatActions = {
    reply: (m: ChatMessage) => { setMode({ kind: 'reply', to: m }) },
    edit: (m: ChatMessage) => { setMode({ kind: 'edit', message: m }) },
    remove: (m: ChatMessage) => {
      if (window.confirm('Delete this message for everyone?')) messenger.deleteMessage(conversationId, m.id).catch(reportError)
    },
    acknowledge: (m: ChatMessage) => { messenger.acknowledgeDirective(conversationId, m.id).catch(reportError) },
    showStatus: (m: ChatMessage) => { setStatusOf(m.id) },
    editWindowMs,
    writable: !readOnly && !closed
  }

  // Reading the chat marks it read, and so does each message that arrives while it is open.
  const newestIncoming = [...timeline.messages].reverse().find(m => !m.fromMe)?.id
  useEffect(() => {
    // A device whose access was withdrawn sends nothing, read receipts included.
    if (readOnly) return
    const markIfVisible = (): void => {
      if (document.visibilityState === 'visible') messenger.markRead(conversationId).catch(reportError)
    }
    markIfVisible()
    // Messages that arrived while the tab was in the background are read when it comes back.
    document.addEventListener('visibilitychange', markIfVisible)
    return () => { document.removeEventListener('visibilitychange', markIfVisible) }
  }, [messenger, conversationId, newestIncoming, reportError, readOnly])

  if (conversation === undefined) {
    return (
      <section class="screen">
        <ScreenHeader title="Conversation" onBack={back} />
        <p class="muted pad" role="status">
          {conversations.list === null ? 'Loading…' : 'This conversation is not available on this device.'}
        </p>
      </section>
    )
  }

  // Files dropped anywhere on an open chat are sent to it, like the attach button.
  const canSend = !closed && !readOnly
  const carriesFiles = (event: DragEvent): boolean => event.dataTransfer?.types.includes('Files') === true
  const dropHandlers = canSend
    ? {
        onDragOver: (event: DragEvent) => { if (carriesFiles(event)) { event.preventDefault(); setDragging(true) } },
        onDragLeave: (event: DragEvent) => { if (event.currentTarget === event.target) setDragging(false) },
        onDrop: (event: DragEvent) => {
          setDragging(false)
          const dropped = event.dataTransfer?.files
          if (dropped === undefined || dropped.length === 0) return
          event.preventDefault()
          files.sendFiles(Array.from(dropped))
        }
      }
    : {}

  const title = conversationTitle(conversation, me)
  const peer = directPeer(conversation, me)
  const waiting = waitingNote(conversation, me)
  return (
    <section class="screen chat" aria-label={`Conversation: ${title}`} data-testid="chat" data-state={closed ? 'closed' : 'active'} data-dragging={dragging} {...dropHandlers}>
      <ScreenHeader title={title} subtitle={conversationSubtitle(conversation, me)} onBack={back}>
        <CallButtons conversation={conversation} />
        <button type="button" data-testid="mute-conversation-button" aria-pressed={conversation.muted === true} onClick={() => { messenger.setMuted(conversationId, conversation.muted !== true).catch(reportError) }}>
          {conversation.muted === true ? 'Unmute' : 'Mute'}
        </button>
        {peer !== undefined
          ? <button type="button" data-testid="safety-button" onClick={() => { navigate({ name: 'safety', handle: peer.handle }) }}>Verify</button>
          : <button type="button" data-testid="members-button" onClick={() => { navigate({ name: 'members', conversationId }) }}>Members</button>}
      </ScreenHeader>
      {dragging && <p class="drop-hint" aria-hidden="true">Drop to send to {title}</p>}
      {firstUnread !== undefined && (
        <button type="button" class="jump-unread" data-testid="jump-unread-button" disabled={jumping} onClick={() => { pagesLoaded.current = 0; setJumping(true) }}>
          {jumping ? 'Finding the first unread message…' : 'Jump to first unread'}
        </button>
      )}
      <HistoryTransferNotice status={historyTransfer} />
      {statusOf !== null && <DirectiveStatusPanel messageId={statusOf} onClose={() => { setStatusOf(null) }} />}
      <ChatActionsContext.Provider value={actions}>
        <MessageList timeline={{ ...timeline, messages }} isGroup={conversation.kind === 'group'} label={`Messages with ${title}`} />
      </ChatActionsContext.Provider>
      {missingNotes(conversation).map(text => <p key={text} class="message system missing-note" role="status" data-testid="missing-note">{text}</p>)}
      {closed
        ? <p class="chat-closed" role="status" data-testid="closed-note">{closedText(conversation)}</p>
        : !readOnly && <Composer key={conversationId} conversationId={conversationId} status={status} note={waiting} onSent={timeline.addSent} files={files} draft={conversation.draft} mode={mode} onModeDone={() => { setMode({ kind: 'new' }) }} />}
    </section>
  )
}
