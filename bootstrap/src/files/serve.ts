import { bytesEqual, toHex, type Certificate } from '@dak/protocol'
import { PeerNotVerifiedError, serveChunks, type Rpc } from '@dak/node/net'
import type { PeerId } from '@libp2p/interface'
import { NotThisDepartmentError } from '../protocols/errors.js'
import type { ChunkStore } from './chunk-store.js'

export interface ServeFileChunksDeps {
  chunks: ChunkStore
  department: string
  authorityPublicKey: Uint8Array
  certificateOf: (peer: PeerId) => Certificate | undefined
  now: () => number
}

/**
 * /dak/chunks/1.0.0 at the department node: any verified peer may fetch
 * chunks by file id (they are ciphertext, and a file id is a hash nobody
 * guesses); only this department's own devices may upload, each under its
 * own quota.
 */
export async function serveFileChunks (rpc: Rpc, deps: ServeFileChunksDeps): Promise<() => Promise<void>> {
  await serveChunks(rpc, {
    get: async (fileId, first, count, maxBytes) => await deps.chunks.get(fileId, first, count, maxBytes),
    held: async (fileId) => await deps.chunks.held(fileId),
    put: async (upload, context) => {
      const certificate = deps.certificateOf(context.peer)
      if (certificate == null) throw new PeerNotVerifiedError('this protocol is for peers with a valid certificate')
      if (certificate.department !== deps.department || !bytesEqual(certificate.authorityPublicKey, deps.authorityPublicKey)) {
        throw new NotThisDepartmentError(`this node keeps the files of ${deps.department} devices only`)
      }
      return await deps.chunks.put(upload, toHex(certificate.devicePublicKey), deps.now())
    }
  })
  return async () => { await rpc.unhandle('/dak/chunks/1.0.0') }
}
