/** Small builders for the pure state tests: plain data, no messenger. */
import type { ChatMessage, ConversationSummary, MessageState, OfficerSummary } from '../messenger.js'

export function officer (handle: string, extra: Partial<OfficerSummary> = {}): OfficerSummary {
  return { handle, displayName: handle, title: 'Officer', department: 'Revenue', deviceKey: '00', ...extra }
}

export function message (id: string, sentAt: number, state: MessageState = 'sent', extra: Partial<ChatMessage> = {}): ChatMessage {
  return { id, conversationId: 'c1', sender: officer('asha'), fromMe: true, kind: 'text', text: id, sentAt, state, ...extra }
}

export function conversation (id: string, lastAt?: number, extra: Partial<ConversationSummary> = {}): ConversationSummary {
  return {
    id,
    kind: 'group',
    title: id,
    members: [],
    admins: [],
    unread: 0,
    state: 'active',
    waitingFor: [],
    missing: [],
    ...(lastAt === undefined ? {} : { lastMessage: { text: `last in ${id}`, sentAt: lastAt, fromMe: false } }),
    ...extra
  }
}
