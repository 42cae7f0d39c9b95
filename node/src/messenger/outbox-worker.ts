import type { OutboxEntry } from '../storage/index.js'
import type { EngineContext } from './context.js'
import { deliverSealed } from './delivery.js'
import { OUTBOX, sealEntry } from './outgoing.js'
import { componentLogger } from '../log.js'
import { laneRank } from './precedence-lanes.js'

const log = componentLogger('messenger:outbox')

/** Entries handled per pass: bounds one pass's time; the next pass starts right after. */
const BATCH = 64

export interface OutboxWorker {
  /** Run a pass soon (coalesced): new work or a new path to the network. */
  kick: () => void
  /** Resolves when the current pass (if any) and any kicked pass have finished. */
  idle: () => Promise<void>
  /** Resolves when idle, or after `maxMs` (a busy outbox must not hold back the caller forever). */
  settled: (maxMs: number) => Promise<void>
  stop: () => void
}

/**
 * Drains the outbox: seals plaintext entries, delivers sealed ones, runs
 * membership changes. A failure only reschedules that entry with backoff;
 * nothing is ever dropped here. One timer is armed for the earliest due entry.
 *
 * Order (issue 11 part 4): the store hands out due entries lane by lane
 * (precedence-lanes.ts), so a flash message comes before any routine or bulk
 * entry. A pass never makes new work wait for the rest of its batch: a kick
 * during a pass (something new was queued) ends the batch after the entry in
 * hand when the first due entry now ranks ahead of the next one, and a message sealed in a higher
 * lane than the next entry is delivered before that entry. So a flash queued
 * behind a thousand routine entries waits for at most the one in hand.
 */
export function startOutboxWorker (ctx: EngineContext, handlers: { membership: (entry: OutboxEntry) => Promise<void>, afterPass: () => void }): OutboxWorker {
  let running: Promise<void> | undefined
  let again = false
  /** Set by a kick during a pass: read the due entries again before the next one. */
  let fresh = false
  let stopped = false
  let timer: ReturnType<typeof setTimeout> | undefined

  async function handle (entry: OutboxEntry): Promise<void> {
    switch (entry.kind) {
      case OUTBOX.text:
      case OUTBOX.control:
      case OUTBOX.receipt:
        await sealEntry(ctx, entry)
        again = true // the sealed entry it became is due now
        return
      case OUTBOX.sealedMessage:
      case OUTBOX.sealedOther:
      case OUTBOX.sealedReceipt:
        await deliverSealed(ctx, entry)
        return
      case OUTBOX.membership:
        await handlers.membership(entry)
        return
      default:
        // An entry kind this version does not know (written by a newer one): leave it be.
        await ctx.store.outbox.recordAttempt(entry.id, ctx.now(), `unknown outbox kind ${entry.kind}`)
    }
  }

  async function pass (): Promise<void> {
    do {
      again = false
      fresh = false
      const due = await ctx.store.outbox.due(ctx.now(), { limit: BATCH })
      for (const [i, entry] of due.entries()) {
        if (stopped) return
        if (fresh) {
          // something was queued meanwhile: one cheap read says whether it ranks ahead of the rest of this batch
          fresh = false
          const [first] = await ctx.store.outbox.due(ctx.now(), { limit: 1 })
          if (first !== undefined && laneRank(first.lane) < laneRank(entry.lane)) {
            again = true
            break
          }
        }
        try {
          await handle(entry)
          const next = due[i + 1]
          const sealed = entry.kind === OUTBOX.text || entry.kind === OUTBOX.control
          if (sealed && next !== undefined && laneRank(entry.lane) < laneRank(next.lane)) {
            again = true // its sealed envelope is due now and ranks ahead of the rest of this batch
            break
          }
        } catch (err) {
          if (stopped) return
          try {
            await ctx.store.outbox.recordAttempt(entry.id, ctx.now(), err instanceof Error ? `${err.name}: ${err.message}` : String(err))
          } catch {
            // the entry was completed meanwhile (a receipt arrived): nothing to reschedule
          }
        }
      }
      if (due.length === BATCH) again = true
    } while (again && !stopped)
    await arm()
    handlers.afterPass()
  }

  async function arm (): Promise<void> {
    if (timer != null) clearTimeout(timer)
    timer = undefined
    if (stopped) return
    const next = await ctx.store.outbox.nextDueAt()
    if (next == null) return
    timer = setTimeout(kick, Math.max(0, next - ctx.now()))
    ;(timer as { unref?: () => void }).unref?.()
  }

  function kick (): void {
    if (stopped) return
    if (running != null) {
      again = true
      fresh = true
      return
    }
    running = pass().catch((err) => { log.error('outbox pass failed (the next kick retries): %e', err) }).finally(() => { running = undefined })
  }

  return {
    kick,
    idle: async () => {
      while (running != null) await running
    },
    settled: async (maxMs) => {
      let timeout: ReturnType<typeof setTimeout> | undefined
      const bound = new Promise<void>((resolve) => { timeout = setTimeout(resolve, maxMs) })
      try {
        await Promise.race([(async () => { while (running != null) await running })(), bound])
      } finally {
        clearTimeout(timeout)
      }
    },
    stop: () => {
      stopped = true
      if (timer != null) clearTimeout(timer)
    }
  }
}
