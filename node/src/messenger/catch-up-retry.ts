import { errorDetail } from './events.js'
import type { Schedule } from './context.js'
import type { MessengerEmitter } from './events.js'

/**
 * Waits before the catch-up from a department node is tried again after it
 * was cut short while the node is still connected. Before, a cut catch-up
 * (RequestTimeoutError on a lossy link) waited for the next connection event,
 * which on a link that stays up never came (docs/field.md). Each attempt
 * resumes from the cursor of the last page committed (catch-up.ts), so a retry
 * fetches only what is still missing.
 */
export const CATCH_UP_RETRY_MS = [2_000, 5_000, 15_000, 30_000, 60_000]

export interface CatchUpRetryInit {
  schedule: Schedule
  emitter: MessengerEmitter
  /** Whether the department node is still connected: a retry on a gone one waits for the next connection instead. */
  stillConnected: () => boolean
  /** Aborts at engine stop: a pending retry gives up at once. */
  stopping: AbortSignal
}

export async function withCatchUpRetries<T> (init: CatchUpRetryInit, attempt: () => Promise<T>): Promise<T> {
  for (let tries = 0; ; tries++) {
    try {
      return await attempt()
    } catch (err) {
      const delay = CATCH_UP_RETRY_MS[tries]
      if (delay === undefined || init.stopping.aborted || !init.stillConnected()) throw err
      // each cut is reported; the last one is thrown to the caller
      init.emitter.emit('error', errorDetail(err))
      await new Promise<void>((resolve) => {
        const cancel = init.schedule(delay, resolve)
        init.stopping.addEventListener('abort', () => { cancel(); resolve() }, { once: true })
      })
      if (init.stopping.aborted) throw err
    }
  }
}
