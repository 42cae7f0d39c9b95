import type { LinkShape } from './profiles.js'

/**
 * One direction of a shaped link: loss (seeded), a serial line of `rateBps`
 * with a bounded queue, delay ± jitter, and an up/down switch. Packets leave
 * in the order they came (a 2G bearer does not reorder), so jitter stretches
 * gaps rather than swapping packets. Pure logic: the forwarder gives it
 * packets and a clock and gets back when (or whether) each one leaves.
 */

/** mulberry32: small, fast, and the same sequence for the same seed on every machine. */
export function seededRandom (seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6D2B79F5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export interface DirectionCounters {
  /** Packets and IP bytes offered to the link. */
  packets: number
  bytes: number
  /** Packets and bytes that left the far end. */
  deliveredPackets: number
  deliveredBytes: number
  lost: number
  queueDropped: number
  downDropped: number
}

export class ShapedDirection {
  readonly counters: DirectionCounters = { packets: 0, bytes: 0, deliveredPackets: 0, deliveredBytes: 0, lost: 0, queueDropped: 0, downDropped: 0 }
  private shape: LinkShape
  private up = true
  private readonly random: () => number
  /** When the serial line finishes sending what is queued (ms, forwarder clock). */
  private lineFreeAt = 0
  /** When the last packet left the far end: nothing may leave before it. */
  private lastExitAt = 0

  constructor (shape: LinkShape, seed: number) {
    this.shape = shape
    this.random = seededRandom(seed)
  }

  setShape (shape: LinkShape): void { this.shape = shape }
  setUp (up: boolean): void { this.up = up }

  /** When a packet of `bytes` offered at `now` leaves the far end, or undefined when it is dropped. */
  offer (bytes: number, now: number): number | undefined {
    const c = this.counters
    c.packets++
    c.bytes += bytes
    if (!this.up) { c.downDropped++; return undefined }
    // the draw happens for every packet on an up link, so one profile's sequence does not depend on rate or queue
    if (this.random() < this.shape.loss) { c.lost++; return undefined }
    let sentAt = now
    if (this.shape.rateBps > 0) {
      const start = Math.max(now, this.lineFreeAt)
      const queuedBytes = (start - now) * this.shape.rateBps / 8_000
      if (queuedBytes + bytes > this.shape.queueBytes) { c.queueDropped++; return undefined }
      sentAt = start + bytes * 8_000 / this.shape.rateBps
      this.lineFreeAt = sentAt
    }
    const jitter = this.shape.jitterMs === 0 ? 0 : (this.random() * 2 - 1) * this.shape.jitterMs
    const exitAt = Math.max(sentAt + Math.max(0, this.shape.delayMs + jitter), this.lastExitAt)
    this.lastExitAt = exitAt
    c.deliveredPackets++
    c.deliveredBytes += bytes
    return exitAt
  }
}
