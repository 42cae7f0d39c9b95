import { InvalidArgumentError } from '@dak/protocol'
import { bytesField, decodeRecord, encodeRecord } from './codec.js'
import { joinKey, keyPart, prefixRange, splitKey } from './keys.js'
import type { RepositoryContext, Sections } from './layout.js'
import type { WriteTransaction } from './transaction.js'

/**
 * Attachments on this device (docs/files.md): one record per file, with its
 * manifest (the file's key included) as the MLS message carried it, and the
 * file's ciphertext chunks as they were sealed (sent files) or fetched and
 * checked (received ones). Sealed at rest like every other section, so a
 * copied disk shows neither the key nor the chunks' own ciphertext.
 *
 *   files        <fileId>               → StoredFile
 *   file-chunks  <fileId>!<index>       → ciphertext chunk, checked against the manifest
 */
export interface StoredFile {
  /** Hex file id. */
  fileId: string
  conversationId: string
  /** Encoded FileManifest (content.proto), exactly as it travelled. */
  manifest: Uint8Array
  fromMe: boolean
  createdAt: number
  /** Department nodes (peer ids) that hold every chunk: a sent file needs uploading to none again. */
  uploadedTo: string[]
  /** Its message's expiry (disappearing messages): the file goes with the message, here and at the node. */
  expiresAt?: number
}

export type FileOp =
  | { type: 'file-put', file: StoredFile }
  | { type: 'file-chunks', fileId: string, first: number, chunks: Uint8Array[] }
  | { type: 'file-remove', fileId: string }

export interface FileRepository {
  get: (fileId: string) => Promise<StoredFile | undefined>
  put: (file: StoredFile) => Promise<void>
  /** Files not yet uploaded to `departmentId`, that this device sent. */
  sentNotUploaded: (departmentId: string) => Promise<StoredFile[]>
  /** Keep checked chunks from `first`, in one write. */
  putChunks: (fileId: string, first: number, chunks: Uint8Array[]) => Promise<void>
  /** Chunks from `first` in a row, as many as held up to `count`. */
  chunksFrom: (fileId: string, first: number, count: number) => Promise<Uint8Array[]>
  /** Indexes of the chunks held, ascending. */
  heldChunks: (fileId: string) => Promise<number[]>
  /** Indexes below `total` held, ascending, found by key without reading a chunk (HELD answers, a download's start). */
  heldAmong: (fileId: string, total: number) => Promise<number[]>
}

const INDEX_DIGITS = 6

function chunkKey (fileId: string, index: number): string {
  if (!Number.isInteger(index) || index < 0 || index >= 10 ** INDEX_DIGITS) throw new InvalidArgumentError(`chunk index ${index} is out of range`)
  return joinKey(keyPart('file id', fileId), index.toString().padStart(INDEX_DIGITS, '0'))
}

function encodeFile (file: StoredFile): Uint8Array {
  return encodeRecord({ ...file, manifest: bytesField(file.manifest) })
}

function decodeFile (key: string, bytes: Uint8Array): StoredFile {
  return decodeRecord(bytes, `files/${key}`, (r) => ({
    fileId: r.string('fileId'),
    conversationId: r.string('conversationId'),
    manifest: r.bytes('manifest'),
    fromMe: r.boolean('fromMe'),
    createdAt: r.count('createdAt'),
    uploadedTo: r.strings('uploadedTo'),
    ...((at) => at !== undefined ? { expiresAt: at } : {})(r.optionalCount('expiresAt'))
  }))
}

/** A file's record and every chunk of it (its message went: expired or deleted for everyone). */
export async function removeFile (tx: WriteTransaction, sections: Sections, fileId: string): Promise<void> {
  tx.del(sections.files, keyPart('file id', fileId))
  for (const [key] of await tx.entries(sections['file-chunks'], prefixRange(keyPart('file id', fileId)))) tx.del(sections['file-chunks'], key)
}

export async function applyFileOp (tx: WriteTransaction, sections: Sections, op: FileOp): Promise<void> {
  if (op.type === 'file-remove') {
    await removeFile(tx, sections, op.fileId)
    return
  }
  if (op.type === 'file-put') {
    tx.put(sections.files, keyPart('file id', op.file.fileId), encodeFile(op.file))
    return
  }
  op.chunks.forEach((chunk, i) => { tx.put(sections['file-chunks'], chunkKey(op.fileId, op.first + i), chunk) })
}

export function createFileRepository ({ sections, transact }: RepositoryContext): FileRepository {
  const commit = async (op: FileOp): Promise<void> => { await transact(async (tx) => { await applyFileOp(tx, sections, op) }) }
  return {
    async get (fileId) {
      const bytes = await sections.files.get(keyPart('file id', fileId))
      return bytes === undefined ? undefined : decodeFile(fileId, bytes)
    },
    put: async (file) => { await commit({ type: 'file-put', file }) },
    async sentNotUploaded (departmentId) {
      return (await sections.files.entries({})).map(([key, value]) => decodeFile(key, value)).filter(f => f.fromMe && !f.uploadedTo.includes(departmentId))
    },
    putChunks: async (fileId, first, chunks) => { await commit({ type: 'file-chunks', fileId, first, chunks }) },
    async chunksFrom (fileId, first, count) {
      const values = await sections['file-chunks'].getMany(Array.from({ length: count }, (_, i) => chunkKey(fileId, first + i)))
      const out: Uint8Array[] = []
      for (const value of values) {
        if (value === undefined) break
        out.push(value)
      }
      return out
    },
    async heldChunks (fileId) {
      const keys = await sections['file-chunks'].entries(prefixRange(keyPart('file id', fileId)))
      return keys.map(([key]) => Number(splitKey(key, 2, 'file-chunks')[1])).sort((a, b) => a - b)
    },
    async heldAmong (fileId, total) {
      const present = await sections['file-chunks'].hasMany(Array.from({ length: total }, (_, i) => chunkKey(fileId, i)))
      const held: number[] = []
      present.forEach((has, i) => { if (has) held.push(i) })
      return held
    }
  }
}
