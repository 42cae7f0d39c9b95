import { toHex, type TrustStore } from '@dak/protocol'
import { chunkClient, serveChunks } from '../net/chunks.js'
import { createRpc } from '../net/rpc.js'
import type { DakLibp2p } from '../net/libp2p-common.js'
import { isDepartmentNode } from '@dak/protocol/department'
import type { ChunkNetwork, ChunkPeer } from '../messenger/files/ports.js'
import type { PeerId } from '@libp2p/interface'

/**
 * The attachments engine's ChunkNetwork over a Dak libp2p node: every
 * verified peer connected now (department nodes and devices) can be asked
 * for chunks over /dak/chunks/1.0.0, and this device serves its own.
 */
export function libp2pChunkNetwork (libp2p: DakLibp2p, trust: () => TrustStore): ChunkNetwork {
  const directory = libp2p.services.directory
  const rpc = createRpc(libp2p, directory)
  const client = chunkClient(rpc)
  const ids = new Map<string, PeerId>()
  const peerOf = (peer: ChunkPeer): PeerId => {
    const id = ids.get(peer.id)
    if (id == null) throw new Error(`peer ${peer.id} is not connected`)
    return id
  }
  return {
    peers () {
      return directory.peers().map(({ peer, certificate }) => {
        ids.set(peer.toString(), peer)
        const department = isDepartmentNode(certificate, trust())
        return { id: peer.toString(), kind: department ? 'department' : 'device', ...(department ? {} : { deviceKey: toHex(certificate.devicePublicKey) }) }
      })
    },
    onPeersChanged (handler) {
      const notify = (): void => { handler() }
      directory.addEventListener('peer:verified', notify)
      libp2p.addEventListener('peer:disconnect', notify)
      return () => {
        directory.removeEventListener('peer:verified', notify)
        libp2p.removeEventListener('peer:disconnect', notify)
      }
    },
    get: async (peer, fileId, first, count, options) => await client.get(peerOf(peer), fileId, first, count, options),
    held: async (peer, fileId, options) => await client.held(peerOf(peer), fileId, options),
    put: async (peer, upload, options) => await client.put(peerOf(peer), upload, options),
    serve: async (holder) => { await serveChunks(rpc, holder) }
  }
}
