import { DakError } from '@dak/protocol'
import { peerIdFromString } from '@libp2p/peer-id'
import { multiaddr, type Multiaddr } from '@multiformats/multiaddr'
import { DIAL_TIMEOUT_MS } from '../net/constants.js'
import { fallbackGateOf } from '../net/fallback-gate.js'
import type { DakLibp2p } from '../net/libp2p-common.js'
import type { PeerId } from '@libp2p/interface'

/** Why this device's connections were closed: the platform reported it went offline. */
export class BrowserOfflineError extends DakError { override name = 'BrowserOfflineError' }

/**
 * Keep a device connected to its department node, on every platform. libp2p
 * dials the bootstrap list once, a second after start, and never again (its
 * reconnect queue serves only KEEP_ALIVE peers and gives up after five tries),
 * so a laptop or field device whose network dropped for a minute would stay
 * cut off from its node, its store and its relay for good. This dials at
 * once at start (a page load should not wait out libp2p's bootstrap delay),
 * and redials whenever no department node is connected: at once when the
 * platform reports the network is back (`online`), else with a backoff.
 *
 * A node's addresses are tried in two steps. First those over TCP and
 * WebSockets, with the whole dial timeout: a node that is down refuses them at
 * once. Only when they fail, the rest (WebRTC-Direct, for a browser whose
 * WebSockets are blocked), and those only until the next retry is due: a
 * WebRTC-Direct dial to a node that is down gets no answer at all and would
 * hold the attempt for the whole dial timeout, so a node back after a few
 * seconds waited up to 30 s for its browsers (FIELD.md, `browser-node-kill`;
 * docs/field.md section 11). libp2p joins every dial to the same peer into
 * the one in flight, so the next attempt cannot start beside it.
 *
 * In the browser, when the network is reported gone (`offline`), every
 * connection is closed at once. They could carry nothing any more, but a WebSocket only
 * notices at libp2p's next ping and a WebRTC connection at its consent check,
 * tens of seconds later; until then the officer would see *Online* and
 * messages would be handed to dead connections instead of queueing.
 */

/** First retry after a failure; doubled up to MAX_RETRY_MS. */
const FIRST_RETRY_MS = 1_000
/** A node that is down for long is still tried twice a minute, so officers reconnect soon after it returns. */
const MAX_RETRY_MS = 30_000
/**
 * A dial on a LAN takes milliseconds, but on 2G at 30% loss a TCP, Noise and
 * yamux handshake can take well over 10 s: the network layer's dial timeout
 * (net/constants.ts) is used, so a slow dial is not cut and restarted.
 */

export interface DepartmentLinkInit {
  libp2p: DakLibp2p
  /** The department nodes' multiaddrs, each ending in /p2p/<peer id>. */
  bootstrap: string[]
  /** Where `online` and `offline` are announced: the window (or worker) global in a browser; none in Node.js. */
  network?: EventTarget
  /** True once this device knows its certificate is revoked: every node refuses it, so it stops dialling. */
  revoked?: () => boolean
  /** Addresses tried only after the others failed, until the next retry is due; WebRTC ones unless a test names its own. */
  isFallback?: (address: Multiaddr) => boolean
}

/** WebRTC-Direct (and WebRTC) addresses: a dial to a node that is down hears nothing until it times out. */
export function isWebRtcAddress (address: Multiaddr): boolean {
  return address.toString().includes('/webrtc')
}

/** Start keeping the link; returns the function that stops it. */
export function keepDepartmentLink (init: DepartmentLinkInit): () => void {
  const { libp2p } = init
  const network = init.network
  const nodes = byPeer(init.bootstrap)
  let retryMs = FIRST_RETRY_MS
  let timer: ReturnType<typeof setTimeout> | undefined
  let dialling = false
  let stopped = false

  const connected = (): boolean => nodes.size === 0 || [...nodes.values()].some(n => libp2p.getConnections(n.peer).some(c => c.status === 'open'))

  const isFallback = init.isFallback ?? isWebRtcAddress
  /** One node: its first-choice addresses with the whole timeout, then its fallbacks for `fallbackMs`. */
  const dialNode = async (node: { addresses: Multiaddr[] }, fallbackMs: number): Promise<void> => {
    const first = node.addresses.filter(a => !isFallback(a))
    const fallback = node.addresses.filter(a => isFallback(a))
    if (first.length > 0) {
      try {
        await libp2p.dial(first, { signal: AbortSignal.timeout(DIAL_TIMEOUT_MS) })
        return
      } catch (err) {
        if (fallback.length === 0) throw err
      }
    }
    const dialFallback = async (): Promise<void> => { await libp2p.dial(fallback, { signal: AbortSignal.timeout(first.length > 0 ? fallbackMs : DIAL_TIMEOUT_MS) }) }
    // in a browser only this step may use WebRTC-Direct (net/fallback-gate.ts)
    const gate = fallbackGateOf(libp2p)
    await (gate != null ? gate.during(dialFallback) : dialFallback())
  }

  const attempt = async (): Promise<void> => {
    timer = undefined
    if (stopped || dialling || connected() || init.revoked?.() === true) return
    dialling = true
    const started = Date.now()
    try {
      await Promise.any([...nodes.values()].map(async n => { await dialNode(n, retryMs) }))
      retryMs = FIRST_RETRY_MS
    } catch {
      // attempts start `retryMs` apart: time spent waiting on fallbacks counts towards it
      schedule(Math.max(0, retryMs - (Date.now() - started)))
      retryMs = Math.min(retryMs * 2, MAX_RETRY_MS)
    } finally {
      dialling = false
    }
  }
  const schedule = (ms: number): void => {
    if (stopped || timer != null) return
    timer = setTimeout(() => { void attempt() }, ms)
  }

  const onDisconnect = (evt: CustomEvent<PeerId>): void => {
    if (nodes.has(evt.detail.toString())) schedule(FIRST_RETRY_MS)
  }
  const onOnline = (): void => {
    clearTimeout(timer)
    timer = undefined
    retryMs = FIRST_RETRY_MS
    void attempt()
  }
  const onOffline = (): void => {
    for (const connection of libp2p.getConnections()) connection.abort(new BrowserOfflineError('the browser reports that it is offline'))
  }
  libp2p.addEventListener('peer:disconnect', onDisconnect)
  network?.addEventListener('online', onOnline)
  network?.addEventListener('offline', onOffline)
  void attempt()

  return () => {
    stopped = true
    clearTimeout(timer)
    libp2p.removeEventListener('peer:disconnect', onDisconnect)
    network?.removeEventListener('online', onOnline)
    network?.removeEventListener('offline', onOffline)
  }
}

function byPeer (addresses: string[]): Map<string, { peer: PeerId, addresses: Multiaddr[] }> {
  const nodes = new Map<string, { peer: PeerId, addresses: Multiaddr[] }>()
  for (const text of addresses) {
    const id = /\/p2p\/([^/]+)$/.exec(text)?.[1]
    if (id == null) continue
    const node = nodes.get(id) ?? { peer: peerIdFromString(id), addresses: [] }
    node.addresses.push(multiaddr(text))
    nodes.set(id, node)
  }
  return nodes
}
