/**
 * How a conversation reads to the officer: its title, the line under it, who
 * it still waits for, and why it is closed. Pure, so the wording is
 * unit-tested, and defensive about summaries from an engine older than the
 * issue-10 contract (no `state`, no `waitingFor`).
 */
import type { ChatMessage, ConversationSummary, OfficerSummary } from '../messenger.js'
import { plural } from '../format.js'

function waitingFor (conversation: ConversationSummary): OfficerSummary[] {
  return conversation.waitingFor ?? []
}

/**
 * The other officer in a direct conversation: a member once their device has
 * joined, else the officer the chat waits for.
 */
export function directPeer (conversation: ConversationSummary, me: OfficerSummary): OfficerSummary | undefined {
  if (conversation.kind !== 'direct') return undefined
  return conversation.members.find(m => m.handle !== me.handle) ?? waitingFor(conversation).find(m => m.handle !== me.handle)
}

/** A direct chat is called by the other officer's name from the moment it exists. */
export function conversationTitle (conversation: ConversationSummary, me: OfficerSummary): string {
  return directPeer(conversation, me)?.displayName ?? conversation.title
}

export function isClosed (conversation: ConversationSummary): boolean {
  return conversation.state === 'closed'
}

function possessive (name: string): string {
  return `${name}’s`
}

/** "Waiting for Bala Rao’s device", or null once everyone named has joined. */
export function waitingText (conversation: ConversationSummary, me: OfficerSummary): string | null {
  const others = waitingFor(conversation).filter(m => m.handle !== me.handle)
  if (others.length === 0 || isClosed(conversation)) return null
  if (others.length === 1) return `Waiting for ${possessive((others[0] as OfficerSummary).displayName)} device`
  if (others.length === 2) return `Waiting for the devices of ${(others[0] as OfficerSummary).displayName} and ${(others[1] as OfficerSummary).displayName}`
  return `Waiting for the devices of ${plural(others.length, 'officer')}`
}

/** Under the composer while the chat waits: what happens to what the officer writes now. */
export function waitingNote (conversation: ConversationSummary, me: OfficerSummary): string | null {
  const others = waitingFor(conversation).filter(m => m.handle !== me.handle)
  if (others.length === 0 || isClosed(conversation)) return null
  if (others.length === 1) {
    return `${possessive((others[0] as OfficerSummary).displayName)} device has not joined this chat yet. You can write now: your messages are kept on this device and go out when it joins.`
  }
  return 'Some members’ devices have not joined yet. You can write now: your messages are kept on this device and go out as they join.'
}

/**
 * "1 message from Asha is missing": messages the engine knows were sent here
 * and have not arrived (a store dropped or withheld them). Each line goes
 * away when its messages arrive. Empty from an engine without gap detection.
 */
export function missingNotes (conversation: ConversationSummary): string[] {
  return (conversation.missing ?? []).map(m => m.text)
}

/** Why a closed conversation is read-only, as one sentence. */
export function closedText (conversation: ConversationSummary): string {
  const closed = conversation.closed
  switch (closed?.reason) {
    case 'left':
      return 'You left this conversation. You can read its history, but not send to it.'
    case 'removed':
      return closed.by !== undefined
        ? `You were removed by ${closed.by.displayName}. You can read this conversation’s history, but not send to it.`
        : 'You were removed from this conversation. You can read its history, but not send to it.'
    case 'revoked':
      return 'This device’s access was withdrawn by your department. You can read this conversation’s history, but not send to it.'
    case 'other-revoked':
      return `${closed.by?.displayName ?? conversation.title}’s access was withdrawn; this chat is closed. You can read its history, but not send to it.`
    case 'other-left':
      return `${closed.by?.displayName ?? conversation.title} left; this chat is closed. You can read its history, but not send to it.`
    default:
      return 'This conversation is closed. You can read its history, but not send to it.'
  }
}

/** The line under the title. */
export function conversationSubtitle (conversation: ConversationSummary, me: OfficerSummary): string {
  if (isClosed(conversation)) return conversation.closed?.reason === 'left' ? 'You left' : conversation.closed?.reason === 'removed' ? 'You were removed' : 'Closed'
  const waiting = waitingText(conversation, me)
  if (waiting !== null) return waiting
  const peer = directPeer(conversation, me)
  if (peer !== undefined) return [peer.title, peer.department].filter(s => s !== '').join(', ')
  return plural(conversation.members.length, 'member')
}

/** Everyone the conversation is with or waits for, by display name. */
function names (conversation: ConversationSummary, me: OfficerSummary): Set<string> {
  return new Set([me, ...conversation.members, ...waitingFor(conversation)].map(o => o.displayName))
}

/**
 * "Ravi Kumar added Asha Rao" in a direct chat says nothing the chat itself
 * does not: starting a direct chat adds the other officer. Older engines
 * still record the line, so the UI leaves it out.
 */
export function isDirectAddLine (conversation: ConversationSummary, me: OfficerSummary, text: string): boolean {
  if (conversation.kind !== 'direct') return false
  const known = names(conversation, me)
  for (const name of known) {
    if (!text.startsWith(`${name} added `)) continue
    if (known.has(text.slice(name.length + ' added '.length))) return true
  }
  return false
}

/** The messages a chat shows. */
export function visibleMessages (conversation: ConversationSummary | undefined, me: OfficerSummary, messages: ChatMessage[]): ChatMessage[] {
  if (conversation === undefined || conversation.kind !== 'direct') return messages
  const shown = messages.filter(m => m.kind !== 'system' || !isDirectAddLine(conversation, me, m.text))
  return shown.length === messages.length ? messages : shown
}

/** The preview in the conversation list; undefined when there is nothing to show. */
export function shownLastMessage (conversation: ConversationSummary, me: OfficerSummary): ConversationSummary['lastMessage'] {
  const last = conversation.lastMessage
  if (last === undefined || isDirectAddLine(conversation, me, last.text)) return undefined
  return last
}
