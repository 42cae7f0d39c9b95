/** Picks the screen for the current view. */
import type { ConnectionStatus } from '../messenger.js'
import type { View } from '../state/navigation.js'
import { ChatView } from './ChatView.js'
import { MembersPanel } from './MembersPanel.js'
import { MyDevices } from './MyDevices.js'
import { NewChat } from './NewChat.js'
import { NewGroup } from './NewGroup.js'
import { SafetyNumberView } from './SafetyNumberView.js'

export function MainPane ({ view, status }: { view: View, status: ConnectionStatus }) {
  switch (view.name) {
    case 'list':
      // Only visible on wide screens, beside the list.
      return <p class="empty-pane muted">Choose a conversation, or start a new one.</p>
    case 'chat':
      // Keyed so each conversation gets a fresh timeline and scroll position.
      return <ChatView key={view.conversationId} conversationId={view.conversationId} status={status} />
    case 'members':
      return <MembersPanel key={view.conversationId} conversationId={view.conversationId} />
    case 'new-chat':
      return <NewChat />
    case 'new-group':
      return <NewGroup />
    case 'safety':
      return <SafetyNumberView key={view.handle} handle={view.handle} />
    case 'devices':
      return <MyDevices />
  }
}
