import { INITIAL_QUALITY, nextQuality, type LinkQuality, type LinkSample } from './link-quality.js'
import type { PeerLink } from './peer-link.js'

/**
 * The poor-link fallback of one call (docs/calls.md, *Poor links*): video
 * off while any peer link is poor, back on when all are good again, judged
 * per link by link-quality.ts from periodic samples.
 */
export class VideoFallback {
  private readonly quality = new Map<string, LinkQuality>()
  paused = false

  constructor (private readonly reportError: (err: unknown) => void) {}

  /** Samples every connected link; true when `paused` changed (video must go off, or come back). */
  async sample (links: ReadonlyMap<string, PeerLink>, linkSample: (pc: RTCPeerConnection) => Promise<LinkSample>): Promise<boolean> {
    for (const [key, link] of links) {
      if (link.pc.connectionState !== 'connected') continue
      const sample = await linkSample(link.pc).catch((err: unknown) => {
        // a link closing under the sample is no news; any other failure is
        if (link.pc.connectionState === 'connected') this.reportError(err)
        return undefined
      })
      if (sample !== undefined) this.quality.set(key, nextQuality(this.quality.get(key) ?? INITIAL_QUALITY, sample))
    }
    const paused = [...this.quality.values()].some(q => q.poor)
    if (paused === this.paused) return false
    this.paused = paused
    return true
  }
}
