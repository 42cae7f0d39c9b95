import { CHUNK_TAG_BYTES, fromHex, decodeManifest } from '@dak/protocol'
import { CHUNK_BATCH_BYTES, MAX_CHUNKS_PER_MESSAGE } from '../../net/chunks.js'
import type { FileRepository, StoredFile } from '../../storage/files.js'
import type { ChunkNetwork, ChunkPeer } from './ports.js'

/**
 * Sent files go to each department node in reach (docs/files.md, "Where
 * chunks live"), so members can fetch them while the sender is offline. The
 * node is asked what it holds first, so an upload cut off by a dropped link
 * or a restart goes on where it stopped. Only ciphertext and the hash list
 * leave the device, never the manifest or its key.
 */
export async function uploadFile (network: ChunkNetwork, files: FileRepository, department: ChunkPeer, file: StoredFile, signal?: AbortSignal): Promise<void> {
  const manifest = decodeManifest(file.manifest)
  const id = fromHex(file.fileId)
  const total = manifest.chunkHashes.length
  const { held } = await network.held(department, id, signal != null ? { signal } : {})
  const there = new Set(held)
  const perBatch = Math.max(1, Math.min(MAX_CHUNKS_PER_MESSAGE, Math.floor(CHUNK_BATCH_BYTES / (manifest.chunkSize + CHUNK_TAG_BYTES))))
  // the first upload of a file carries the hash list; the node keeps it with the first chunks
  let withHashes = there.size === 0
  for (let first = 0; first < total;) {
    if (there.has(first)) {
      first++
      continue
    }
    let count = 1
    while (count < perBatch && first + count < total && !there.has(first + count)) count++
    const chunks = await files.chunksFrom(file.fileId, first, count)
    if (chunks.length === 0) return // this device no longer holds the file: nothing to upload
    await network.put(department, { fileId: id, first, chunks, ...(withHashes ? { chunkHashes: manifest.chunkHashes, ...(file.expiresAt != null ? { expiresAt: file.expiresAt } : {}) } : {}) }, signal != null ? { signal } : {})
    withHashes = false
    first += chunks.length
  }
  await files.put({ ...file, uploadedTo: [...file.uploadedTo, department.id] })
}
