/** One conversation: header with its actions, the messages, and the composer. */
import { useEffect } from 'preact/hooks'
import type { ConnectionStatus, ConversationSummary, OfficerSummary } from '../messenger.js'
import { plural } from '../format.js'
import { useTimeline } from '../state/use-timeline.js'
import { Composer } from './Composer.js'
import { useApp } from './context.js'
import { MessageList } from './MessageList.js'
import { ScreenHeader } from './ScreenHeader.js'

interface Props {
  conversationId: string
  status: ConnectionStatus
}

export function ChatView ({ conversationId, status }: Props) {
  const { messenger, me, reportError, conversations, navigate, back } = useApp()
  const conversation = conversations.list?.find(c => c.id === conversationId)
  const timeline = useTimeline(messenger, conversationId, reportError)

  // Reading the chat marks it read, and so does each message that arrives while it is open.
  const newestIncoming = [...timeline.messages].reverse().find(m => !m.fromMe)?.id
  useEffect(() => {
    const markIfVisible = (): void => {
      if (document.visibilityState === 'visible') messenger.markRead(conversationId).catch(reportError)
    }
    markIfVisible()
    // Messages that arrived while the tab was in the background are read when it comes back.
    document.addEventListener('visibilitychange', markIfVisible)
    return () => { document.removeEventListener('visibilitychange', markIfVisible) }
  }, [messenger, conversationId, newestIncoming, reportError])

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

  const peer = directPeer(conversation, me)
  return (
    <section class="screen chat" aria-label={`Conversation: ${conversation.title}`}>
      <ScreenHeader title={conversation.title} subtitle={subtitle(conversation, peer)} onBack={back}>
        {peer !== undefined
          ? <button type="button" data-testid="safety-button" onClick={() => { navigate({ name: 'safety', handle: peer.handle }) }}>Verify</button>
          : <button type="button" data-testid="members-button" onClick={() => { navigate({ name: 'members', conversationId }) }}>Members</button>}
      </ScreenHeader>
      <MessageList timeline={timeline} isGroup={conversation.kind === 'group'} label={`Messages with ${conversation.title}`} />
      <Composer conversationId={conversationId} status={status} onSent={timeline.addSent} />
    </section>
  )
}

/** The other officer in a direct conversation. */
export function directPeer (conversation: ConversationSummary, me: OfficerSummary): OfficerSummary | undefined {
  if (conversation.kind !== 'direct') return undefined
  return conversation.members.find(m => m.handle !== me.handle)
}

function subtitle (conversation: ConversationSummary, peer: OfficerSummary | undefined): string {
  if (peer !== undefined) return `${peer.title}, ${peer.department}`
  return plural(conversation.members.length, 'member')
}
