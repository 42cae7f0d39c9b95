import { DakError } from '@dak/protocol'
import type { ConversationClosed, StoreOp, StoredConversation } from '../storage/index.js'
import type { EngineContext } from './context.js'

/**
 * Conversations this device is no longer in, and a device that is no longer
 * in its department. Both keep what they had readable and refuse to write.
 */

/** A send (or other change) to a conversation this device left or was removed from. */
export class ConversationClosedError extends DakError { override name = 'ConversationClosedError' }

/** This device's certificate was revoked by its department: it may read what it has, and do nothing else. */
export class DeviceRevokedError extends DakError { override name = 'DeviceRevokedError' }

/** What this device learnt about its own revocation (from a signed revocation list). */
export interface RevocationNotice {
  /** When the list that first named this device was issued (ms since epoch). */
  at: number
  /** The department authority's name, as the trust bundle gives it. */
  department: string
}

/** The plain-words message an officer sees. */
export function revokedMessage (notice: RevocationNotice): string {
  return `This device's access was withdrawn by ${notice.department} on ${new Date(notice.at).toISOString().slice(0, 10)}. Ask your department IT.`
}

/**
 * Mark a conversation closed in `ops` unless it is already, and say so once
 * (after the commit, through `after`). `closing` remembers conversations closed
 * earlier in the same batch, whose record the store does not show yet.
 */
export function closeConversation (ctx: EngineContext, conversation: StoredConversation, closed: ConversationClosed, batch: { ops: StoreOp[], after: Array<() => void | Promise<void>>, closing: Set<string> }): void {
  if (conversation.closed != null || batch.closing.has(conversation.id)) return
  batch.closing.add(conversation.id)
  batch.ops.push({ type: 'conversation-update', id: conversation.id, changes: { closed } })
  batch.after.push(() => {
    ctx.mesh.unsubscribe(conversation.id)
    // only this device's own leaving or removal is announced as such (a direct chat that ended is a 'conversation' change)
    if (closed.reason === 'left' || closed.reason === 'removed') ctx.emitter.emit('conversation-removed', { conversationId: conversation.id, reason: closed.reason })
  })
}

/** Why a closed conversation is read-only, in plain words; `by` is the display name of ConversationClosed.by. */
export function closedText (closed: ConversationClosed, title: string, by: string | undefined): string {
  switch (closed.reason) {
    case 'left': return `you left ${title}: its history stays readable, but nothing can be sent to it`
    case 'other-revoked': return `${by ?? title}'s access was withdrawn; this chat is closed (its history stays readable)`
    case 'other-left': return `${by ?? title} left; this chat is closed (its history stays readable)`
    default: return `you were removed from ${title}${by != null ? ` by ${by}` : ''}: its history stays readable, but nothing can be sent to it`
  }
}

/** The conversation's record, or a ConversationClosedError when this device is out of it (or its direct chat ended). */
export function requireOpen (conversation: StoredConversation, title: string, describeBy: string | undefined): StoredConversation {
  const closed = conversation.closed
  if (closed == null) return conversation
  throw new ConversationClosedError(closedText(closed, title, describeBy))
}
