import type { DenyList } from './deny-list.js'
import type { VerifiedPeers } from './rpc.js'
import type { ConnectionGater, PeerId } from '@libp2p/interface'

/**
 * The connection gater of a Dak node. Peers on the deny list get no dial, no
 * connection past the Noise handshake (the first point their id is known) and
 * nothing through a relay. A relay reservation, or a circuit relayed by us, is
 * only for peers that have passed the certificate gate: THREATS.md wants an
 * outsider refused "before any relay reservation". A reservation that races
 * the certificate exchange waits for its verdict (bounded by `waitMs`,
 * constants.ts `verdictWaitMs`: as long as the directory may take to give it).
 *
 * `peers` is a getter because the gater is configured before libp2p creates
 * the directory service that answers it.
 */
export function dakGater (denyList: DenyList, peers: () => VerifiedPeers | undefined, waitMs: number): ConnectionGater {
  const verified = async (peer: PeerId): Promise<boolean> => {
    const directory = peers()
    if (directory == null || denyList.isDenied(peer)) return false
    return directory.isVerified(peer) || directory.whenVerified(peer, { signal: AbortSignal.timeout(waitMs) })
  }
  return {
    denyDialPeer: (peer) => denyList.isDenied(peer),
    denyInboundEncryptedConnection: (peer) => denyList.isDenied(peer),
    denyOutboundEncryptedConnection: (peer) => denyList.isDenied(peer),
    denyInboundRelayedConnection: (relay, remote) => denyList.isDenied(relay) || denyList.isDenied(remote),
    denyInboundRelayReservation: async (source) => !(await verified(source)),
    denyOutboundRelayedConnection: async (source, destination) => !(await verified(source)) || !(await verified(destination))
  }
}
