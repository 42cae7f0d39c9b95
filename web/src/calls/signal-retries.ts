import type { CallSignal } from '@dak/protocol'

/** Tries of a join, offer or answer, SIGNAL_RETRY_MS × try apart. */
export const SIGNAL_TRIES = 3
export const SIGNAL_RETRY_MS = 1_000
/**
 * Tries of a ring to a device added during the call: it refuses call signals
 * (NotACallMemberError) until its Welcome is in, which may come after the ring
 * (1 + 2 + … + 5 s apart: about 15 s).
 */
export const ADDED_RING_TRIES = 6

/**
 * Sends one call signal. A join, offer or answer is tried SIGNAL_TRIES times:
 * one lost on a loaded or poor link would otherwise leave that pair of the
 * mesh without media for the whole call (a four-person test on a loaded
 * machine lost an offer to a stream that ended). Repeats are safe: the
 * receiving session recognises an offer or answer it already handled.
 * Resolves with the last error when every try failed, undefined when sent.
 */
export async function sendWithRetries (send: () => Promise<void>, type: CallSignal['type'], stillWanted: () => boolean, tries = type === 'join' || type === 'offer' || type === 'answer' ? SIGNAL_TRIES : 1): Promise<{ error: unknown } | undefined> {
  for (let attempt = 1; ; attempt++) {
    try {
      await send()
      return undefined
    } catch (error) {
      if (attempt >= tries || !stillWanted()) return { error }
      await new Promise(resolve => setTimeout(resolve, SIGNAL_RETRY_MS * attempt))
    }
  }
}
