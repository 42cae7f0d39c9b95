import type { Run } from '../command.js'
import { UsageError } from '../errors.js'
import { EXIT } from '../exit-codes.js'
import { conversationLine } from '../format.js'
import { resolveConversation } from '../resolve.js'
import { withSession } from '../session.js'
import { timerLabel } from '../../messenger/disappearing.js'
import { freshSummary, reportPending } from './after-change.js'

/**
 * Start (or find) the 1:1 conversation with an officer. Adding them needs a
 * key package, from the department node or their connected device, so this
 * waits (--wait) for one of those; what could not be done yet stays in the
 * outbox for the next command or `dak listen`.
 */
export const chatNew: Run = async (ctx) => {
  const handle = ctx.args.strings.get('with')
  if (handle == null) throw new UsageError(`--with is required: ${ctx.usage}`)
  return await withSession(ctx, 10, async (session) => {
    await session.goOnline({ handles: [handle] })
    const created = await session.messenger.startDirect(handle)
    const pending = await session.settle()
    reportPending(session.out, pending)
    // as it is now: with the members the settled commit added
    const now = await freshSummary(session, created)
    session.out.result({ ...now, pending }, `${now.id}\n${conversationLine(now)}`)
    return EXIT.ok
  })
}

/** `dak chat timer`: what each setting means, in ms (0: off). */
const TIMERS: Readonly<Record<string, number>> = { off: 0, '1h': 3_600_000, '1d': 86_400_000, '7d': 7 * 86_400_000 }

/**
 * Disappearing messages: set a conversation's timer (admins only; every
 * member sees a line). Messages sent from then on are deleted on every
 * device and at the department node that long after sending.
 */
export const chatTimer: Run = async (ctx) => {
  const [reference, setting] = ctx.args.positionals as [string, string]
  const timerMs = TIMERS[setting]
  if (timerMs === undefined) throw new UsageError(`the timer is one of ${Object.keys(TIMERS).join(', ')}, not "${setting}": ${ctx.usage}`)
  return await withSession(ctx, 10, async (session) => {
    await session.goOnline()
    const conversation = await resolveConversation(session.messenger, reference)
    const now = await session.messenger.setTimer(conversation.id, timerMs)
    const pending = await session.settle()
    reportPending(session.out, pending)
    const text = now.timerMs == null ? 'disappearing messages off' : `messages disappear after ${timerLabel(now.timerMs)}${now.timerMs < timerMs ? ' (the department\'s maximum)' : ''}`
    session.out.result({ conversationId: now.id, timerMs: now.timerMs ?? 0, pending }, `${now.title}: ${text}`)
    return EXIT.ok
  })
}
