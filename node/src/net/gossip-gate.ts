import { PeerNotVerifiedError } from './errors.js'
import { componentLogger } from '../log.js'
import type { VerifiedPeers } from './rpc.js'
import type { Connection, PeerId, StreamHandler, Topology } from '@libp2p/interface'
import type { Registrar } from '@libp2p/interface-internal'

const log = componentLogger('net:gossip-gate')

/**
 * Keeps gossipsub from ever seeing a peer that has not passed the certificate
 * gate. Gossipsub learns about peers in exactly two ways, both through the
 * registrar it is given: its topology's onConnect (after identify) and its
 * inbound stream handler. This registrar holds both back until the peer is
 * verified and drops them if it is rejected, so an unverified peer is never in
 * gossipsub's peer table: no subscriptions are sent to it (they would tell an
 * outsider which conversations we are in), no mesh or fanout slot, no IHAVE,
 * and none of its RPCs is read, let alone parsed.
 *
 * Why not only peer scores: a graylisted peer's RPCs are dropped whole,
 * subscriptions included, so a peer that verified a moment after its first
 * RPC would stay invisible for ever; and gossipsub would still announce our
 * topics to it. Why not libp2p stream middleware: in libp2p 3.3.11 an inbound
 * stream appends the handler to the registered middleware array, so handlers
 * pile up across streams (libp2p/js-libp2p#3534).
 */
/**
 * What the gate may touch of gossipsub's own per-peer state (public fields of
 * @libp2p/gossipsub's GossipSub): to move its outbound stream to a peer's
 * newest connection without forgetting the peer, and to notice a peer it lost
 * while a connection to it is still open.
 */
export interface GossipPeerState extends EventTarget {
  readonly peers: Map<string, PeerId>
  readonly streamsOutbound: Map<string, OutboundGossipStream>
  readonly streamsInbound: Map<string, { close: () => Promise<void> }>
  /** Topic → ids of the peers subscribed to it, as they announced. */
  readonly topics: Map<string, Set<string>>
}

interface OutboundGossipStream {
  close: () => Promise<void>
  rawStream?: { status: string, remoteWriteStatus: string }
}

/**
 * An outbound gossip stream the peer has given up on: gossip streams carry
 * one way, so the peer closes its end only when it dropped the stream (it
 * forgot us, or took a newer stream from us as the one to read).
 */
function abandoned (stream: OutboundGossipStream | undefined): boolean {
  const raw = stream?.rawStream
  return raw != null && (raw.status !== 'open' || raw.remoteWriteStatus === 'closed')
}

/**
 * The class behind @libp2p/gossipsub's GossipSub interface has these fields
 * (17.x); checked at run time, so a version without them falls back to
 * forgetting and re-adding the peer (test/net/reconnect.test.ts then fails).
 */
export function gossipPeerState (pubsub: unknown): GossipPeerState | undefined {
  const candidate = pubsub as Partial<GossipPeerState> | undefined
  return candidate?.peers instanceof Map && candidate.streamsOutbound instanceof Map && candidate.streamsInbound instanceof Map && candidate.topics instanceof Map && typeof candidate.addEventListener === 'function' ? candidate as GossipPeerState : undefined
}

/**
 * Gossipsub forgets a peer whole (its topics, mesh links and both streams)
 * when reading any inbound stream from it fails, also one it has already
 * replaced by the peer's newer stream. A reloaded page, or a device back
 * before its old connection timed out, opens its new stream first; when the
 * old connection then dies with an error, the peer's fresh subscriptions and
 * GRAFTs go with it, and for seconds (until the repair below) nothing is
 * relayed to it: a text in that window reached only the store
 * (test/web/reload-live.test.ts lost 2 of 8). So a read error forgets the
 * peer only when the stream gossipsub reads from it now is not open either.
 */
export function forgetPeerOnlyWhenItsStreamFails (pubsub: unknown): void {
  const target = pubsub as { handlePeerReadStreamError?: (err: unknown, peerId: PeerId) => void, streamsInbound?: Map<string, { rawStream?: { status: string } }> }
  const original = target.handlePeerReadStreamError
  const inbound = target.streamsInbound
  if (typeof original !== 'function' || !(inbound instanceof Map)) return
  target.handlePeerReadStreamError = function (this: unknown, err: unknown, peerId: PeerId) {
    if (inbound.get(peerId.toString())?.rawStream?.status === 'open') {
      log('an old gossip stream from %p failed (%s); its current one is open: the peer stays', peerId, err instanceof Error ? err.message : String(err))
      return
    }
    original.call(this, err, peerId)
  }
}

/** Heartbeats a peer we read may announce no topic before we ask it for its subscriptions again (they are on their way at first). */
const SILENT_HEARTBEATS = 3
/** At most this often per peer (one that truly subscribes to nothing must not make us churn streams). */
const ASK_AGAIN_MS = 30_000

/**
 * `waitMs`: how long a peer gossipsub hears of may stay unverified before the
 * gate gives up on it for this connection. It must cover the directory's own
 * deadline for the connection (constants.ts `verdictWaitMs`), which grows with
 * a slow link: a peer verified after the gate gave up stays out of gossip for
 * as long as the connection lasts, on both ends when both gave up
 * (test/net/slow-link-gossip.test.ts; on 2G, every live text to one receiver lost).
 */
export function gatedRegistrar (registrar: Registrar, peers: VerifiedPeers, waitMs: number, gossip?: () => GossipPeerState | undefined): Registrar {
  const gateHandler = (handler: StreamHandler): StreamHandler => async (stream, connection) => {
    const peer = connection.remotePeer
    if (!peers.isVerified(peer)) {
      // hold the peer's bytes at the muxer while the certificate exchange runs
      stream.pause()
      if (!(await peers.whenVerified(peer, { signal: AbortSignal.timeout(waitMs) }))) {
        log('gossip stream from %p refused: not verified (waited up to %d ms; connection %s %s)', peer, waitMs, connection.id, connection.status)
        stream.abort(new PeerNotVerifiedError('gossip is for peers with a valid certificate'))
        return
      }
      if (stream.status !== 'open') return
      stream.resume()
    }
    await handler(stream, connection)
  }

  const gateTopology = (topology: Topology): Topology => {
    /** The connection each peer was last handed to the topology on, and its other verified connections. */
    const handedOn = new Map<string, string>()
    const open = new Map<string, Map<string, Connection>>()
    const peerIds = new Map<string, PeerId>()
    // A new connection from a peer we already had (a reloaded page, a device
    // back from an outage before the old connection timed out, a direct WebRTC
    // connection after a relayed one): gossipsub keeps its outbound stream on
    // the old connection and opens none on the new one, and when the old one
    // closes it is left unable to send to a peer that is still connected. So
    // the topology always holds the newest connection, and when that
    // connection closes while another is open, it is handed the other one.
    // Handing over moves only our outbound stream: forgetting the peer
    // (onDisconnect) would also close the stream the peer opened to us on the
    // new connection and drop its subscriptions, and it would not open it again.
    const connect = async (peer: PeerId, connection: Connection): Promise<void> => {
      const key = peer.toString()
      const previous = handedOn.get(key)
      if (previous === connection.id) return
      let connections = open.get(key)
      if (connections == null) open.set(key, connections = new Map())
      if (!connections.has(connection.id)) {
        connections.set(connection.id, connection)
        connection.addEventListener('close', () => { void closed(peer, connection) }, { once: true })
      }
      handedOn.set(key, connection.id)
      peerIds.set(key, peer)
      if (previous !== undefined) {
        const state = gossip?.()
        if (state == null) {
          await topology.onDisconnect?.(peer)
        } else {
          const stream = state.streamsOutbound.get(key)
          state.streamsOutbound.delete(key)
          void stream?.close().catch(() => {})
        }
      }
      await topology.onConnect?.(peer, connection)
    }
    const closed = async (peer: PeerId, connection: Connection): Promise<void> => {
      const key = peer.toString()
      const connections = open.get(key)
      connections?.delete(connection.id)
      if (handedOn.get(key) !== connection.id) return
      const other = [...(connections?.values() ?? [])].find(c => c.status === 'open')
      if (other != null) await connect(peer, other)
    }
    // Gossipsub also forgets a peer whole when one of its streams fails to
    // read (an old connection that died with an error, after a newer one was
    // handed over), and closes the peer's stream to us with it; neither side
    // opens them again while the connection stays up, and the peer keeps
    // writing into a stream nobody reads. So at each heartbeat, a peer handed
    // over on a connection still open that gossipsub has lost, or whose
    // outbound stream is missing or abandoned by the peer, at two heartbeats
    // running (a stream may be opening), is handed to it again: it adds the
    // peer, opens a new stream and sends our subscriptions on it. Each side
    // repairs its own half.
    //
    // The other half: a peer gossipsub reads from that has announced no topic
    // at all. Every Dak peer subscribes to something (a device to its inbox,
    // a node to its devices' topics), so its subscriptions were lost on the
    // way (seen in the browser reload test: the node read the reloaded tab's
    // stream, knew none of its topics, and relayed it nothing live). Only the
    // peer can send them again, and it does on a new stream: closing the one
    // we read makes its own repair (above, on its side) open one, which
    // starts with its full subscription list. At most once per peer a while.
    let missingBefore = new Set<string>()
    const silentFor = new Map<string, number>()
    const askedAgainAt = new Map<string, number>()
    const repair = (): void => {
      const state = gossip?.()
      if (state == null) return
      const announcing = new Set<string>()
      for (const subscribers of state.topics.values()) for (const id of subscribers) announcing.add(id)
      const missing = new Set<string>()
      for (const [key, connectionId] of handedOn) {
        const connection = open.get(key)?.get(connectionId)
        if (connection?.status !== 'open') continue
        const inbound = state.streamsInbound.get(key)
        const silent = inbound != null && state.peers.has(key) && !announcing.has(key)
        const heartbeats = silent ? (silentFor.get(key) ?? 0) + 1 : 0
        silentFor.set(key, heartbeats)
        if (inbound != null && heartbeats >= SILENT_HEARTBEATS && Date.now() - (askedAgainAt.get(key) ?? -Infinity) >= ASK_AGAIN_MS) {
          log('%s announced no topic on its gossip stream for %d heartbeats: closing it so the peer sends its subscriptions again', key, heartbeats)
          askedAgainAt.set(key, Date.now())
          silentFor.set(key, 0)
          state.streamsInbound.delete(key)
          void inbound.close().catch(() => {})
        }
        const stream = state.streamsOutbound.get(key)
        if (state.peers.has(key) && stream != null && !abandoned(stream)) continue
        missing.add(key)
        const peer = peerIds.get(key)
        if (!missingBefore.has(key) || peer == null) continue
        if (stream != null) {
          state.streamsOutbound.delete(key)
          void stream.close().catch(() => {})
        }
        void Promise.resolve(topology.onConnect?.(peer, connection)).catch(() => {})
      }
      missingBefore = missing
    }
    let listening: GossipPeerState | undefined
    const listen = (): void => {
      if (listening != null) return
      listening = gossip?.()
      listening?.addEventListener('gossipsub:heartbeat', repair)
    }
    return {
      filter: topology.filter,
      notifyOnLimitedConnection: topology.notifyOnLimitedConnection,
      onConnect: async (peer, connection) => {
        listen()
        if (peers.isVerified(peer)) {
          await connect(peer, connection)
          return
        }
        // not awaited: the registrar tells topologies one after another, and the
        // others (identify push, ...) need not wait for our verdict
        void peers.whenVerified(peer, { signal: AbortSignal.timeout(waitMs) }).then(async (ok) => {
          if (ok && connection.status === 'open') await connect(peer, connection)
          else log('gossip not started with %p: verified %s (waited up to %d ms), connection %s %s', peer, ok, waitMs, connection.id, connection.status)
        })
      },
      onDisconnect: async (peer) => {
        silentFor.delete(peer.toString())
        askedAgainAt.delete(peer.toString())
        handedOn.delete(peer.toString())
        open.delete(peer.toString())
        peerIds.delete(peer.toString())
        await topology.onDisconnect?.(peer)
      }
    }
  }

  return {
    getProtocols: () => registrar.getProtocols(),
    handle: async (protocol, handler, options) => { await registrar.handle(protocol, gateHandler(handler), options) },
    unhandle: async (protocol, options) => { await registrar.unhandle(protocol, options) },
    getHandler: (protocol) => registrar.getHandler(protocol),
    use: (protocol, middleware) => { registrar.use(protocol, middleware) },
    unuse: (protocol) => { registrar.unuse(protocol) },
    getMiddleware: (protocol) => registrar.getMiddleware(protocol),
    register: async (protocol, topology, options) => registrar.register(protocol, gateTopology(topology), options),
    unregister: (id) => { registrar.unregister(id) },
    getTopologies: (protocol) => registrar.getTopologies(protocol)
  }
}
