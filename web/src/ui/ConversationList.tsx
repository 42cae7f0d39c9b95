/** Conversations, newest activity first, with unread counts and the buttons to start new ones. */
import { formatListTime, previewText, unreadBadge } from '../format.js'
import type { ConversationSummary } from '../messenger.js'
import { conversationTitle, isClosed, shownLastMessage, waitingText } from '../state/conversation-view.js'
import { useApp } from './context.js'
import { ScreenHeader } from './ScreenHeader.js'
import { SearchPanel } from './SearchPanel.js'

export function ConversationList ({ selectedId }: { selectedId: string | null }) {
  const { conversations, navigate, readOnly } = useApp()
  const now = Date.now()
  return (
    <div class="conversation-list">
      {readOnly
        ? <ScreenHeader title="Chats" focusOnMount={false} />
        : (
          <ScreenHeader title="Chats" focusOnMount={false}>
            <button type="button" data-testid="new-chat-button" onClick={() => { navigate({ name: 'new-chat' }) }}>New chat</button>
            <button type="button" data-testid="new-group-button" onClick={() => { navigate({ name: 'new-group' }) }}>New group</button>
            <button type="button" data-testid="my-devices-button" onClick={() => { navigate({ name: 'devices' }) }}>My devices</button>
          </ScreenHeader>
          )}
      <SearchPanel />
      {conversations.list === null
        ? <p class="muted pad" role="status">Loading conversations…</p>
        : conversations.list.length === 0
          ? <p class="muted pad">No conversations yet. Start one with “New chat” or “New group”.</p>
          : (
            <ul class="plain-list" data-testid="conversation-list">
              {conversations.list.map(c => (
                <li key={c.id}>
                  <ConversationItem
                    conversation={c}
                    now={now}
                    selected={c.id === selectedId}
                    onOpen={() => { navigate({ name: 'chat', conversationId: c.id }) }}
                  />
                </li>
              ))}
            </ul>
            )}
    </div>
  )
}

interface ItemProps {
  conversation: ConversationSummary
  now: number
  selected: boolean
  onOpen: () => void
}

function ConversationItem ({ conversation, now, selected, onOpen }: ItemProps) {
  const { me } = useApp()
  // muted: no unread badge noise (issue 16)
  const badge = conversation.muted === true ? null : unreadBadge(conversation.unread)
  const last = shownLastMessage(conversation, me)
  const closed = isClosed(conversation)
  const waiting = waitingText(conversation, me)
  return (
    <button
      type="button"
      class="conversation-item"
      data-testid="conversation-item"
      data-conversation-id={conversation.id}
      data-unread={conversation.unread}
      data-muted={conversation.muted === true ? 'true' : undefined}
      data-state={closed ? 'closed' : 'active'}
      aria-current={selected ? 'true' : undefined}
      onClick={onOpen}
    >
      <span class="conversation-top">
        <span class="conversation-title">
          {conversationTitle(conversation, me)}
          {conversation.kind === 'group' && <span class="visually-hidden"> (group)</span>}
          {closed && <span class="muted small"> · closed</span>}
          {conversation.muted === true && <span class="muted small" data-testid="muted-mark"> · muted</span>}
        </span>
        {last !== undefined && <time class="muted small" dateTime={new Date(last.sentAt).toISOString()}>{formatListTime(last.sentAt, now)}</time>}
      </span>
      <span class="conversation-bottom">
        <span class="conversation-preview muted">{last === undefined && waiting !== null ? waiting : previewText(last)}</span>
        {badge !== null && (
          <span class="badge" data-testid="unread-badge">
            <span aria-hidden="true">{badge.text}</span>
            <span class="visually-hidden">, {badge.label}</span>
          </span>
        )}
      </span>
    </button>
  )
}
