import { multiaddr, type Multiaddr } from '@multiformats/multiaddr'
import type { DakLibp2p } from '../net/index.js'
import { UsageError } from './errors.js'

/** One peer to dial, with every address given for it. */
export interface DialTarget {
  /** The peer id from the addresses' /p2p/ suffix, when they have one. */
  peer?: string
  addrs: Multiaddr[]
}

/** Addresses grouped by the peer they name, so each peer is dialled once with all its addresses. */
export function dialTargets (addresses: string[]): DialTarget[] {
  const byPeer = new Map<string, DialTarget>()
  for (const text of addresses) {
    let addr: Multiaddr
    try {
      addr = multiaddr(text)
    } catch {
      throw new UsageError(`not a multiaddr: ${text}`)
    }
    const peer = /\/p2p\/([^/]+)$/.exec(text)?.[1]
    const key = peer ?? text
    const target = byPeer.get(key) ?? { ...(peer != null ? { peer } : {}), addrs: [] }
    target.addrs.push(addr)
    byPeer.set(key, target)
  }
  return [...byPeer.values()]
}

/** First retry after a lost connection; doubled after each failed dial up to the maximum. */
const RETRY_MIN_MS = 1_000
/** A department node down for maintenance is tried once a minute, not hammered. */
const RETRY_MAX_MS = 60_000

/**
 * For `dak listen`: dial each target again whenever its connection drops (a
 * department node restarting, a LAN peer's laptop waking up), with backoff.
 * libp2p's bootstrap service dials only once at start, so nothing else does.
 * Returns the function that stops it.
 */
export function keepDialling (libp2p: DakLibp2p, targets: DialTarget[], signal: AbortSignal): () => void {
  const timers = new Map<string, ReturnType<typeof setTimeout>>()
  const delays = new Map<string, number>()
  let stopped = false

  const schedule = (target: DialTarget & { peer: string }, delay: number): void => {
    if (stopped || timers.has(target.peer)) return
    timers.set(target.peer, setTimeout(() => {
      timers.delete(target.peer)
      if (libp2p.getConnections().some(c => c.remotePeer.toString() === target.peer)) return
      libp2p.dial(target.addrs, { signal }).then(() => {
        delays.delete(target.peer)
      }, () => {
        const next = Math.min(RETRY_MAX_MS, (delays.get(target.peer) ?? RETRY_MIN_MS) * 2)
        delays.set(target.peer, next)
        schedule(target, next)
      })
    }, delay))
  }

  const named = targets.filter((t): t is DialTarget & { peer: string } => t.peer != null)
  const onDisconnect = (event: CustomEvent<{ toString: () => string }>): void => {
    const target = named.find(t => t.peer === event.detail.toString())
    if (target != null) schedule(target, delays.get(target.peer) ?? RETRY_MIN_MS)
  }
  libp2p.addEventListener('peer:disconnect', onDisconnect)
  // targets not reached at start are retried too
  for (const target of named) schedule(target, RETRY_MIN_MS)
  return () => {
    stopped = true
    libp2p.removeEventListener('peer:disconnect', onDisconnect)
    for (const timer of timers.values()) clearTimeout(timer)
    timers.clear()
  }
}
