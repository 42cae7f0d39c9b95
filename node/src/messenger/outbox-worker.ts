import type { OutboxEntry } from '../storage/index.js'
import type { EngineContext } from './context.js'
import { deliverSealed, NotDeliveredYetError } from './delivery.js'
import { OUTBOX, sealEntry } from './outgoing.js'
import { componentLogger } from '../log.js'
import { laneRank } from './precedence-lanes.js'

const log = componentLogger('messenger:outbox')

/** Entries handled per pass: bounds one pass's time; the next pass starts right after. */
const BATCH = 64
/**
 * Failures that say the network did not carry the attempt (nothing reached, no answer in
 * time, the connection went): after one, the next sign of the network makes the backed-off
 * entries due at once (heardFromNetwork). A refusal or a rule (waiting for members) is not one.
 */
/**
 * At most one heardFromNetwork retry in this long: on a LAN with no department node a text
 * waits for a member's receipt and fails each attempt, and a busy conversation must not
 * make every envelope that arrives send all of them again.
 */
export const HEARD_RETRY_MIN_MS = 10_000
const NETWORK_FAILURES = new Set(['SequencerUnreachableError', 'TimeoutError', 'AbortError', 'RequestTimeoutError', 'ConnectionLostError', 'StreamResetError'])

/** A text published to members but not yet acknowledged is waiting, not failing: the link is fine. */
function isNetworkFailure (err: unknown): boolean {
  if (err instanceof NotDeliveredYetError) return err.quietLink
  return NETWORK_FAILURES.has((err as { name?: string }).name ?? '')
}

export interface OutboxWorker {
  /** Run a pass soon (coalesced): new work, or a path to the network that was open before. */
  kick: () => void
  /**
   * A new path to the network (a department session caught up): what backed off while there
   * was none is due now (its backoff may have grown to minutes), and a pass runs.
   */
  pathOpened: () => void
  /**
   * Something arrived over the network: if an attempt failed since the last such sign (the
   * link went quiet and came back, with the connection kept), as pathOpened.
   */
  heardFromNetwork: () => void
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
  /** An attempt failed since the network was last heard from. */
  let failedSinceHeard = false
  let lastHeardRetry = Number.NEGATIVE_INFINITY

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
          if (isNetworkFailure(err)) failedSinceHeard = true
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

  function pathOpened (): void {
    if (stopped) return
    failedSinceHeard = false
    ctx.store.outbox.retryNow(ctx.now())
      .then((moved) => { if (moved > 0) log('a path to the network: %d backed-off entries due now', moved) })
      .catch((err: unknown) => { log.error('making backed-off entries due failed (their timers still run): %e', err) })
      .finally(kick)
  }

  return {
    kick,
    pathOpened,
    heardFromNetwork () {
      if (!failedSinceHeard || ctx.now() - lastHeardRetry < HEARD_RETRY_MIN_MS) return
      lastHeardRetry = ctx.now()
      pathOpened()
    },
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
