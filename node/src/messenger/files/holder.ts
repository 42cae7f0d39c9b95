import { decodeManifest, toHex } from '@dak/protocol'
import type { ChunkHolder } from '../../net/chunks.js'
import type { FileRepository } from '../../storage/files.js'

/**
 * This device's chunks, served to verified peers that name the file id
 * (docs/files.md): a member who downloaded a file passes it on to the next.
 * Only ciphertext leaves; the device takes no uploads.
 */
export function deviceChunkHolder (files: FileRepository): ChunkHolder {
  return {
    async get (fileId, first, count, maxBytes) {
      const chunks = await files.chunksFrom(toHex(fileId), first, count)
      const out: Uint8Array[] = []
      let bytes = 0
      for (const chunk of chunks) {
        if (out.length > 0 && bytes + chunk.length > maxBytes) break
        out.push(chunk)
        bytes += chunk.length
      }
      return out
    },
    async held (fileId) {
      const hex = toHex(fileId)
      const file = await files.get(hex)
      if (file == null) return { total: 0, held: [] }
      const total = decodeManifest(file.manifest).chunkHashes.length
      // by key: a HELD answer reads no chunk (it read the whole file before)
      return { total, held: await files.heldAmong(hex, total) }
    }
  }
}
