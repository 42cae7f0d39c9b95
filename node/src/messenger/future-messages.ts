import type { OpenedEnvelope } from '@dak/protocol'

/** Envelopes held in memory at most: a flood of undecryptable ones cannot grow the heap. */
const MAX_HELD = 2_000

/**
 * Envelopes that cannot be read yet: for an epoch the group has not reached,
 * or for a conversation whose Welcome has not arrived. Retried after every
 * envelope that changed something; the oldest are dropped past the bound
 * (a department node still has them for the next catch-up).
 */
export class FutureMessages {
  private held: OpenedEnvelope[] = []

  hold (envelope: OpenedEnvelope): void {
    if (this.held.some(e => e.id.length === envelope.id.length && e.id.every((b, i) => b === envelope.id[i]))) return
    this.held.push(envelope)
    if (this.held.length > MAX_HELD) this.held.shift()
  }

  /** Everything held, oldest first; the caller holds again what still cannot be read. */
  releaseAll (): OpenedEnvelope[] {
    const released = this.held
    this.held = []
    return released
  }

  get size (): number {
    return this.held.length
  }
}
