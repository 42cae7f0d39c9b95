import type { PeerDiscovery, PeerInfo } from '@libp2p/interface'
import type { ConnectionManager } from '@libp2p/interface-internal'

/**
 * libp2p 3 only records what discovery finds; it does not dial. On a LAN with
 * no department node, mDNS is how officers find each other, so every peer it
 * reports is dialled once (the certificate gate then decides). Denied peers
 * are refused by the connection gater before any handshake.
 */
export function dialDiscovered<C extends { connectionManager: ConnectionManager }> (
  discovery: (components: C) => PeerDiscovery
): (components: C) => PeerDiscovery {
  return (components) => {
    const service = discovery(components)
    const dialling = new Set<string>()
    service.addEventListener('peer', (evt: CustomEvent<PeerInfo>) => {
      const { id, multiaddrs } = evt.detail
      const key = id.toString()
      if (dialling.has(key) || components.connectionManager.getConnections(id).length > 0) return
      // name the peer in each address, so the Noise handshake must prove it is them
      const addrs = multiaddrs.map((ma) => ma.getComponents().some((c) => c.name === 'p2p') ? ma : ma.encapsulate(`/p2p/${key}`))
      if (addrs.length === 0) return
      dialling.add(key)
      components.connectionManager.openConnection(addrs)
        .catch(() => {
          // unreachable or refused: mDNS reports the peer again on its next round
        })
        .finally(() => { dialling.delete(key) })
    })
    return service
  }
}
