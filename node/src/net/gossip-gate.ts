import { PeerNotVerifiedError } from './errors.js'
import type { VerifiedPeers } from './rpc.js'
import type { StreamHandler, Topology } from '@libp2p/interface'
import type { Registrar } from '@libp2p/interface-internal'

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
export function gatedRegistrar (registrar: Registrar, peers: VerifiedPeers, waitMs: number): Registrar {
  const gateHandler = (handler: StreamHandler): StreamHandler => async (stream, connection) => {
    const peer = connection.remotePeer
    if (!peers.isVerified(peer)) {
      // hold the peer's bytes at the muxer while the certificate exchange runs
      stream.pause()
      if (!(await peers.whenVerified(peer, { signal: AbortSignal.timeout(waitMs) }))) {
        stream.abort(new PeerNotVerifiedError('gossip is for peers with a valid certificate'))
        return
      }
      if (stream.status !== 'open') return
      stream.resume()
    }
    await handler(stream, connection)
  }

  const gateTopology = (topology: Topology): Topology => ({
    filter: topology.filter,
    notifyOnLimitedConnection: topology.notifyOnLimitedConnection,
    onConnect: (peer, connection) => {
      if (peers.isVerified(peer)) return topology.onConnect?.(peer, connection)
      // not awaited: the registrar tells topologies one after another, and the
      // others (identify push, ...) need not wait for our verdict
      void peers.whenVerified(peer, { signal: AbortSignal.timeout(waitMs) }).then(async (ok) => {
        if (ok && connection.status === 'open') await topology.onConnect?.(peer, connection)
      })
    },
    onDisconnect: async (peer) => { await topology.onDisconnect?.(peer) }
  })

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
