import { MAX_DENIED_PEERS } from './constants.js'
import type { PeerId } from '@libp2p/interface'

/**
 * Peers refused for a while after failing the certificate gate. Bounded
 * (peer ids cost nothing to make) and clocked by an injected `now`.
 */
export class DenyList {
  /** peer id string → ms until which it is denied; Map order = insertion order, oldest first. */
  private readonly until = new Map<string, number>()

  constructor (private readonly now: () => number = Date.now, private readonly maxEntries = MAX_DENIED_PEERS) {}

  deny (peer: PeerId, ms: number): void {
    const key = peer.toString()
    this.until.delete(key)
    this.until.set(key, this.now() + ms)
    while (this.until.size > this.maxEntries) {
      const oldest = this.until.keys().next().value
      if (oldest === undefined) break
      this.until.delete(oldest)
    }
  }

  isDenied (peer: PeerId): boolean {
    return this.isDeniedId(peer.toString())
  }

  /** By peer id string, for gossipsub's score function which only has that. */
  isDeniedId (key: string): boolean {
    const until = this.until.get(key)
    if (until === undefined) return false
    if (until > this.now()) return true
    this.until.delete(key)
    return false
  }

  /** Forget a peer, e.g. after an administrator re-enrolled it. */
  allow (peer: PeerId): void {
    this.until.delete(peer.toString())
  }

  get size (): number {
    return this.until.size
  }
}
