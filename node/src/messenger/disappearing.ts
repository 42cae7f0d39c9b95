import { DakError, InvalidArgumentError, MAX_ENVELOPE_LIFETIME_MS, toHex } from '@dak/protocol'
import type { StoredConversation } from '../storage/index.js'
import type { ChatMessage } from './api.js'
import type { EngineContext } from './context.js'
import { officerOf } from './officers.js'
import { controlEntryOp } from './outgoing.js'

/**
 * Disappearing messages (docs/messenger.md, "Disappearing messages"). An
 * admin sets a conversation's timer with a TIMER application message; every
 * member stores it on the conversation record and shows a line. From then on
 * the sender signs `expiresAt = sentAt + timer` into every chat message's
 * envelope: the department node deletes the envelope then, and every device
 * deletes the message (expiry-sweep.ts). The department's maximum retention
 * caps every timer, and applies when none is set.
 */

/** Only an admin of the conversation may set its timer. */
export class NotAdminError extends DakError { override name = 'NotAdminError' }

/** The timer in force: the conversation's, capped by the department's maximum; the maximum alone when none is set. */
export function timerOf (ctx: EngineContext, conversation: Pick<StoredConversation, 'timerMs'>): number | undefined {
  const max = ctx.maxRetentionMs()
  const own = conversation.timerMs != null && conversation.timerMs > 0 ? conversation.timerMs : undefined
  if (own == null) return max
  return max == null ? own : Math.min(own, max)
}

/** When a message sent at `sentAt` in this conversation expires, if it does. */
export function expiryFor (ctx: EngineContext, conversation: Pick<StoredConversation, 'timerMs'>, sentAt: number): number | undefined {
  const timer = timerOf(ctx, conversation)
  return timer == null ? undefined : sentAt + timer
}

/**
 * When a received message expires: the earliest of what its sender signed and
 * what this device's own view of the timer says (a sender that left the
 * expiry off does not make a message outlive the conversation's timer).
 */
export function incomingExpiry (ctx: EngineContext, conversation: Pick<StoredConversation, 'timerMs'>, sentAt: number, signed: number | undefined): number | undefined {
  const mine = expiryFor(ctx, conversation, sentAt)
  if (signed == null) return mine
  return mine == null ? signed : Math.min(signed, mine)
}

const UNITS: Array<[number, string]> = [[86_400_000, 'day'], [3_600_000, 'hour'], [60_000, 'minute'], [1000, 'second']]

/** "1 day", "7 days", "1 hour", "2 seconds". */
export function timerLabel (ms: number): string {
  for (const [size, name] of UNITS) {
    if (ms >= size && ms % size === 0) {
      const count = ms / size
      return `${count} ${name}${count === 1 ? '' : 's'}`
    }
  }
  return `${ms} ms`
}

/** "Asha set messages to disappear after 1 day", "Asha turned off disappearing messages". */
export function timerLine (who: string, timerMs: number): string {
  return timerMs > 0 ? `${who} set messages to disappear after ${timerLabel(timerMs)}` : `${who} turned off disappearing messages`
}

/** The line every member's history shows, under the id of the envelope (or the local id) that carried it. */
export function timerMessage (conversationId: string, id: string, sender: ChatMessage['sender'], fromMe: boolean, timerMs: number, at: number): ChatMessage {
  return { id, conversationId, sender, fromMe, kind: 'system', text: timerLine(sender.displayName, timerMs), sentAt: at, state: fromMe ? 'sent' : 'received' }
}

/**
 * Set the timer (0: off), capped to the department's maximum retention: the
 * record, the line and the TIMER message for the others in one commit.
 * Throws NotAdminError from a member who is not an admin.
 */
export async function setTimer (ctx: EngineContext, conversation: StoredConversation, timerMs: number): Promise<{ timerMs: number, line: ChatMessage }> {
  if (!Number.isSafeInteger(timerMs) || timerMs < 0 || timerMs > MAX_ENVELOPE_LIFETIME_MS) throw new InvalidArgumentError(`a timer is 0 (off) to ${MAX_ENVELOPE_LIFETIME_MS} ms`)
  if (!conversation.admins.includes(ctx.keys.certificate.handle)) throw new NotAdminError('only an admin of this conversation can set its disappearing-message timer')
  const max = ctx.maxRetentionMs()
  const capped = max != null && timerMs > max ? max : timerMs
  const me = officerOf(ctx.keys.certificate)
  const line = timerMessage(conversation.id, 't' + toHex(ctx.randomBytes(16)), me, true, capped, ctx.now())
  await ctx.store.commit([
    { type: 'conversation-update', id: conversation.id, changes: { timerMs: capped } },
    { type: 'message-add', message: line },
    controlEntryOp(ctx, conversation.id, { kind: 'timer', timerMs: capped, clientId: ctx.randomBytes(16) })
  ])
  ctx.kick()
  return { timerMs: capped, line }
}
