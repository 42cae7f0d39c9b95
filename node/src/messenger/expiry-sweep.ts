import type { ExpiredMessage } from '../storage/index.js'
import type { EngineContext, Schedule } from './context.js'
import { errorDetail } from './events.js'

/** Messages deleted per sweep: one transaction stays small; a full page sweeps again at once. */
export const SWEEP_BATCH = 200
/** Longest wait between sweeps while something expires (a clock that jumped is caught up with by then). */
export const SWEEP_MAX_WAIT_MS = 60_000
/**
 * After a sweep deleted something, the database files are compacted this
 * much later (deletions in between share it), and at stop if one is pending:
 * LevelDB keeps deleted values in older files until a compaction rewrites them.
 */
export const COMPACT_DELAY_MS = 5_000

export interface ExpirySweep {
  /** Sweep now (at open), then at each next expiry. */
  start: () => Promise<void>
  /** A message with this expiry was just stored: sweep by then. */
  expiresAt: (at: number) => void
  /** No more sweeps; a compaction still owed runs now (call before the store closes). */
  stop: () => Promise<void>
}

/**
 * Disappearing messages on this device: delete every message whose expiry has
 * passed, in bounded batches, at open and whenever the earliest stored expiry
 * comes due (or every SWEEP_MAX_WAIT_MS at most). Each deleted batch is
 * announced as 'messages-expired' per conversation, then the conversation's
 * new summary (preview and unread count) follows through `changed`.
 */
export function expirySweep (ctx: EngineContext, schedule: Schedule, changed: (conversationId: string) => Promise<void>): ExpirySweep {
  let cancel: (() => void) | undefined
  let armedFor = Infinity
  let stopped = false
  let running: Promise<void> | undefined
  let compactionOwed = false
  let cancelCompaction: (() => void) | undefined

  async function compact (): Promise<void> {
    cancelCompaction?.()
    cancelCompaction = undefined
    if (!compactionOwed) return
    compactionOwed = false
    try {
      await ctx.store.compact()
    } catch (err) {
      ctx.emitter.emit('error', errorDetail(err))
    }
  }

  const owe = (): void => {
    compactionOwed = true
    if (cancelCompaction == null && !stopped) cancelCompaction = schedule(COMPACT_DELAY_MS, () => { cancelCompaction = undefined; void compact() })
  }

  const arm = (at: number): void => {
    if (stopped || at >= armedFor) return
    cancel?.()
    armedFor = at
    cancel = schedule(Math.max(0, at - ctx.now()), () => {
      cancel = undefined
      armedFor = Infinity
      void sweep()
    })
  }

  async function announce (deleted: ExpiredMessage[]): Promise<void> {
    const byConversation = new Map<string, string[]>()
    for (const { id, conversationId } of deleted) byConversation.set(conversationId, [...(byConversation.get(conversationId) ?? []), id])
    for (const [conversationId, ids] of byConversation) {
      ctx.emitter.emit('messages-expired', { conversationId, ids })
      await changed(conversationId)
    }
  }

  async function sweepOnce (): Promise<void> {
    const deleted = await ctx.store.messages.deleteExpired(ctx.now(), SWEEP_BATCH)
    if (deleted.length > 0) owe()
    // a sealed copy still waiting in the outbox would only be refused by the node now (and retried for ever)
    for (const { id } of deleted) if (await ctx.store.outbox.get(id) != null) await ctx.store.outbox.complete(id)
    await announce(deleted)
    // a full batch: more may be due, go again at once (on the next tick, so other work interleaves)
    const next = deleted.length === SWEEP_BATCH ? ctx.now() : await ctx.store.messages.nextExpiry()
    // nothing expires: no timer at all (a message stored later with an expiry arms one)
    if (next != null) arm(Math.min(next, ctx.now() + SWEEP_MAX_WAIT_MS))
  }

  async function sweep (): Promise<void> {
    if (stopped) return
    if (running != null) return await running
    running = sweepOnce().catch((err: unknown) => {
      if (!stopped) ctx.emitter.emit('error', errorDetail(err))
      arm(ctx.now() + SWEEP_MAX_WAIT_MS)
    }).finally(() => { running = undefined })
    await running
  }

  return {
    start: sweep,
    expiresAt: arm,
    async stop () {
      stopped = true
      cancel?.()
      await running
      await compact()
    }
  }
}
