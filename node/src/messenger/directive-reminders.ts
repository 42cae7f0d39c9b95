import type { DirectiveStatus, Messenger } from './api.js'
import type { EngineContext, Schedule } from './context.js'
import { errorDetail } from './events.js'

/**
 * Reminders before a directive's deadline, on this device: an addressee who
 * has not acknowledged it is reminded, and so is its sender while some
 * addressees have not (the event names them). One reminder per directive
 * per run, at REMINDER_LEAD_MS before the deadline, or a quarter of the time
 * the directive gave when that is shorter (a directive due in an hour is
 * reminded of 15 minutes before). Scheduled when a directive is stored or
 * the engine starts; nothing is sent over the network.
 */
export const REMINDER_LEAD_MS = 60 * 60_000
/** The longest delay setTimeout takes (2³¹ − 1 ms); a longer one fires at once. */
const MAX_TIMER_MS = 2 ** 31 - 1

export interface DirectiveReminders {
  /** Consider a directive (just stored, or found at start). */
  watch: (messageId: string) => Promise<void>
  /** Every directive this device holds (at start). */
  watchAll: () => Promise<void>
  stop: () => void
}

export function reminderTime (issuedAt: number, deadline: number): number {
  return deadline - Math.min(REMINDER_LEAD_MS, Math.floor((deadline - issuedAt) / 4))
}

export function directiveReminders (ctx: EngineContext, schedule: Schedule, status: Messenger['directiveStatus']): DirectiveReminders {
  const scheduled = new Map<string, () => void>()
  let stopped = false

  async function fire (messageId: string): Promise<void> {
    const message = await ctx.store.messages.get(messageId)
    const deadline = message?.directive?.deadline
    if (message == null || deadline == null || message.deletedAt != null) return
    const base = { conversationId: message.conversationId, id: messageId, text: message.text, deadline }
    if (!message.fromMe) {
      if (message.directive?.acknowledgedAt == null) ctx.emitter.emit('directive-reminder', base)
      return
    }
    const current: DirectiveStatus = await status(messageId)
    const pending = current.addressees.filter(a => a.state !== 'acknowledged').map(a => a.officer)
    if (pending.length > 0) ctx.emitter.emit('directive-reminder', { ...base, pending })
  }

  async function watch (messageId: string): Promise<void> {
    if (stopped || scheduled.has(messageId)) return
    const message = await ctx.store.messages.get(messageId)
    const directive = message?.directive
    if (directive?.deadline == null || (!message!.fromMe && directive.acknowledgedAt != null)) return
    const now = ctx.now()
    if (directive.deadline <= now) return
    const delay = Math.max(0, reminderTime(directive.issuedAt, directive.deadline) - now)
    // timers hold at most ~24.8 days: a later reminder looks again then
    if (delay > MAX_TIMER_MS) {
      scheduled.set(messageId, schedule(MAX_TIMER_MS, () => { scheduled.delete(messageId); void watch(messageId) }))
      return
    }
    scheduled.set(messageId, schedule(delay, () => {
      fire(messageId).catch((err: unknown) => { ctx.emitter.emit('error', errorDetail(err)) })
    }))
  }

  return {
    watch,
    async watchAll () {
      for (const id of await ctx.store.directives.ids()) await watch(id)
    },
    stop () {
      stopped = true
      for (const cancel of scheduled.values()) cancel()
      scheduled.clear()
    }
  }
}
