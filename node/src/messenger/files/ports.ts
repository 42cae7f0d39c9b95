import type { ChunkHolder, ChunkUpload, HeldChunks } from '../../net/chunks.js'

/**
 * What the attachments engine needs from the network (docs/files.md), and
 * nothing more: whom it can ask for chunks now, the three chunk requests, and
 * a way to serve its own. device/chunk-network.ts implements it over libp2p.
 */
export interface ChunkPeer {
  /** Libp2p peer id. */
  id: string
  kind: 'department' | 'device'
  /** Hex device key, for devices: the sender of a file is asked first. */
  deviceKey?: string
}

export interface ChunkNetwork {
  /** Department nodes and verified devices connected now. */
  peers: () => ChunkPeer[]
  onPeersChanged: (handler: () => void) => () => void
  get: (peer: ChunkPeer, fileId: Uint8Array, first: number, count: number, options?: { signal?: AbortSignal }) => Promise<Uint8Array[]>
  held: (peer: ChunkPeer, fileId: Uint8Array, options?: { signal?: AbortSignal }) => Promise<HeldChunks>
  put: (peer: ChunkPeer, upload: ChunkUpload, options?: { signal?: AbortSignal }) => Promise<number>
  serve: (holder: ChunkHolder) => Promise<void>
}

/** No network for chunks (an engine in a test with a mesh of its own): files are kept and sent, fetched from nobody. */
export const noChunkNetwork: ChunkNetwork = {
  peers: () => [],
  onPeersChanged: () => () => {},
  get: async () => [],
  held: async () => ({ total: 0, held: [] }),
  put: async () => 0,
  serve: async () => {}
}
