import { DEFAULT_DENY_MS, MAX_DENIED_PEERS } from './constants.js'
import { TokenBuckets, type Rate } from './token-buckets.js'

/**
 * Bounded work per peer (THREATS.md, "Flooding or Sybil peer"). Every request
 * protocol and gossip charge a token bucket per (peer, protocol) and one per
 * protocol for everyone together. A request over the limit is refused
 * (RateLimitedError: throttled) and costs the peer a token of "patience"; a
 * peer whose patience runs out is cut off: the caller disconnects and denies
 * it, and its gossipsub score drops below the graylist threshold for as long
 * as it is denied. Patience refills, so an honest burst that hits the limit
 * now and then is only ever throttled.
 *
 * One instance per libp2p node, shared by every Rpc made on it and by gossip
 * (limitsFor), so a peer cannot multiply its allowance across protocols'
 * callers. Every map is bounded: peer ids are free to make.
 */

export interface ProtocolRate {
  /** What one peer may send. */
  perPeer: Rate
  /** What everyone together may send; past it even honest peers wait, but the node keeps serving. */
  global: Rate
}

export interface PeerLimitsOptions {
  /** Refusals a peer may collect before it is cut off, and how fast they are forgiven. */
  patience: Rate
  /** How long a cut-off peer stays denied and scored down. */
  cutOffMs: number
  /** Most peers (and peer × protocol pairs) tracked at once. */
  maxPeers: number
  now: () => number
}

/**
 * Default for a request protocol with no rate of its own: above what an honest
 * device sends one request after another (an outbox flushing a few hundred
 * envelopes after a day offline, a catch-up paging through a busy
 * conversation: both wait for each answer, ~100 a second on a LAN), far below
 * a flood of requests sent without waiting.
 */
export const DEFAULT_PROTOCOL_RATE: ProtocolRate = {
  perPeer: { capacity: 300, refillPerSecond: 100 },
  global: { capacity: 5_000, refillPerSecond: 2_000 }
}

/**
 * Gossip messages validated per forwarding peer. A department node forwards
 * every conversation of a device, so this is generous; a flood of fresh
 * envelopes (each one costs a signature check) is not.
 */
export const DEFAULT_GOSSIP_RATE: ProtocolRate = {
  perPeer: { capacity: 400, refillPerSecond: 200 },
  global: { capacity: 4_000, refillPerSecond: 2_000 }
}

export const DEFAULT_PEER_LIMITS: Omit<PeerLimitsOptions, 'now'> = {
  // 100 refusals in a row, or a sustained overrun of more than 5 a second
  patience: { capacity: 100, refillPerSecond: 5 },
  cutOffMs: DEFAULT_DENY_MS,
  maxPeers: MAX_DENIED_PEERS
}

/** The gossipsub score of a cut-off peer: below the default graylist threshold (-80), so its RPCs are ignored. */
export const CUT_OFF_SCORE = -1_000
/** Score lost per refusal not yet forgiven: a peer that is being throttled is preferred less in meshes. */
const SCORE_PER_REFUSAL = 0.5

export type Verdict = 'ok' | 'throttled' | 'cut-off'

export class PeerLimits {
  private readonly perPeer = new Map<string, TokenBuckets>()
  private readonly global = new Map<string, TokenBuckets>()
  private readonly patience: TokenBuckets
  /** peer → ms until which it is cut off; oldest first. */
  private readonly cutOff = new Map<string, number>()
  /** Refusals and cut-offs since start, for metrics and tests. */
  readonly counts = { refused: 0, cutOff: 0 }

  constructor (private readonly options: PeerLimitsOptions) {
    this.patience = new TokenBuckets({ ...options.patience, maxKeys: options.maxPeers, now: options.now })
  }

  /**
   * Charge one request (or gossip message) of `peer` on `protocol`. 'cut-off'
   * is returned once, when the peer's patience runs out; the caller hangs up.
   */
  admit (peer: string, protocol: string, rate: ProtocolRate): Verdict {
    if (this.isCutOff(peer)) return 'throttled'
    const own = this.bucketsOf(this.perPeer, protocol, rate.perPeer, this.options.maxPeers)
    if (own.take(peer)) {
      if (this.bucketsOf(this.global, protocol, rate.global, 1).take('')) return 'ok'
      // everyone together is over: refuse, but it is not this peer's fault
      this.counts.refused++
      return 'throttled'
    }
    return this.strike(peer)
  }

  /** Refuse one request of `peer` for a reason of its own making (over its rate, too many at once): it loses patience. */
  strike (peer: string): Verdict {
    this.counts.refused++
    if (this.isCutOff(peer)) return 'throttled'
    if (this.patience.take(peer)) return 'throttled'
    this.cutOff.delete(peer)
    this.cutOff.set(peer, this.options.now() + this.options.cutOffMs)
    while (this.cutOff.size > this.options.maxPeers) {
      const oldest = this.cutOff.keys().next().value
      if (oldest === undefined) break
      this.cutOff.delete(oldest)
    }
    this.counts.cutOff++
    return 'cut-off'
  }

  isCutOff (peer: string): boolean {
    const until = this.cutOff.get(peer)
    if (until === undefined) return false
    if (until > this.options.now()) return true
    this.cutOff.delete(peer)
    this.patience.forget(peer)
    return false
  }

  /** The peer's application-specific gossipsub score: 0 for a well-behaved peer, lower the more it is refused. */
  score (peer: string): number {
    if (this.isCutOff(peer)) return CUT_OFF_SCORE
    const unforgiven = this.patience.capacity - this.patience.level(peer)
    return unforgiven > 0 ? -SCORE_PER_REFUSAL * unforgiven : 0
  }

  /** Peers and peer × protocol pairs tracked now (bounded by maxPeers per protocol). */
  get tracked (): number {
    let n = this.patience.size + this.cutOff.size
    for (const buckets of this.perPeer.values()) n += buckets.size
    return n
  }

  private bucketsOf (map: Map<string, TokenBuckets>, protocol: string, rate: Rate, maxKeys: number): TokenBuckets {
    let buckets = map.get(protocol)
    if (buckets == null) {
      // protocols are ours (registered handlers), not the peer's: this map stays small
      buckets = new TokenBuckets({ ...rate, maxKeys, now: this.options.now })
      map.set(protocol, buckets)
    }
    return buckets
  }
}

const shared = new WeakMap<object, PeerLimits>()

/**
 * The limits of the node `owner` stands for (its certificate directory, which
 * every Rpc and the gossip service of one libp2p node share). `options` apply
 * when the first caller creates them.
 */
export function limitsFor (owner: object, options: Partial<PeerLimitsOptions> = {}): PeerLimits {
  let limits = shared.get(owner)
  if (limits == null) {
    limits = new PeerLimits({ ...DEFAULT_PEER_LIMITS, now: Date.now, ...options })
    shared.set(owner, limits)
  }
  return limits
}
