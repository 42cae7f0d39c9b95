import type { OutboxEntry } from '../storage/index.js'
import type { EngineContext } from './context.js'
import { deliverSealed } from './delivery.js'
import { OUTBOX, sealEntry } from './outgoing.js'
import { componentLogger } from '../log.js'

const log = componentLogger('messenger:outbox')

/** Entries handled per pass: bounds one pass's time; the next pass starts right after. */
const BATCH = 64

export interface OutboxWorker {
  /** Run a pass soon (coalesced): new work or a new path to the network. */
  kick: () => void
  /** Resolves when the current pass (if any) and any kicked pass have finished. */
  idle: () => Promise<void>
  stop: () => void
}

/**
 * Drains the outbox: seals plaintext entries, delivers sealed ones, runs
 * membership changes. A failure only reschedules that entry with backoff;
 * nothing is ever dropped here. One timer is armed for the earliest due entry.
 */
export function startOutboxWorker (ctx: EngineContext, handlers: { membership: (entry: OutboxEntry) => Promise<void>, afterPass: () => void }): OutboxWorker {
  let running: Promise<void> | undefined
  let again = false
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
      const due = await ctx.store.outbox.due(ctx.now(), { limit: BATCH })
      for (const entry of due) {
        if (stopped) return
        try {
          await handle(entry)
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
      return
    }
    running = pass().catch((err) => { log.error('outbox pass failed (the next kick retries): %e', err) }).finally(() => { running = undefined })
  }

  return {
    kick,
    idle: async () => {
      while (running != null) await running
    },
    stop: () => {
      stopped = true
      if (timer != null) clearTimeout(timer)
    }
  }
}
