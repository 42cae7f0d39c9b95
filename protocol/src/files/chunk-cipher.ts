import { openChunkBytes, sealChunkBytes, sha256Bytes } from '#chunk-crypto'
import { bytesEqual, concatBytes, utf8 } from '../bytes.js'
import { ChunkIntegrityError, InvalidArgumentError } from '../errors.js'
import { CHUNK_HASH_BYTES, CHUNK_TAG_BYTES, FILE_KEY_BYTES } from './limits.js'
import { checkFileName, checkFileSize, checkManifest, checkMediaType, chunkCount, chunkPlainLength, chunkSizeFor, type FileManifest } from './manifest.js'

/**
 * Encrypting a file into chunks and back (docs/files.md, "Chunks and keys").
 *
 * Each file has its own random 256-bit key. Chunk i is sealed with
 * ChaCha20-Poly1305 under that key, with the 12-byte nonce "i as a
 * big-endian u32, then zeros" — never reused, because the key is used for
 * this one file and each index once — and with associated data binding the
 * index and the number of chunks, so chunks cannot be reordered, and a file
 * cannot be cut short or padded out, without the tag failing.
 *
 * The AD cannot hold the file id, because the file id is made from the
 * ciphertexts: it is SHA-256 over a domain tag and every chunk's ciphertext
 * hash. What binding a file id would give, the per-file key already gives: a
 * chunk of any other file never opens under this key. The hashes let anyone
 * (the department node, a member passing chunks on) check a chunk against
 * the file id without the key, and let a receiver refuse a bad chunk before
 * keeping it.
 */

const CHUNK_DOMAIN = utf8('dak/v1/file-chunk')
const FILE_ID_DOMAIN = utf8('dak/v1/file-id')

function nonceOf (index: number): Uint8Array {
  const nonce = new Uint8Array(12)
  new DataView(nonce.buffer).setUint32(0, index)
  return nonce
}

function adOf (index: number, count: number): Uint8Array {
  const ad = new Uint8Array(CHUNK_DOMAIN.length + 8)
  ad.set(CHUNK_DOMAIN, 0)
  const view = new DataView(ad.buffer)
  view.setUint32(CHUNK_DOMAIN.length, index)
  view.setUint32(CHUNK_DOMAIN.length + 4, count)
  return ad
}

/** SHA-256 of one ciphertext chunk. */
export function chunkHash (ciphertext: Uint8Array): Uint8Array {
  return sha256Bytes(ciphertext)
}

/** The file id: SHA-256 over a domain tag and the chunk hashes, in order. */
export function fileIdOf (chunkHashes: Uint8Array[]): Uint8Array {
  if (chunkHashes.length === 0 || chunkHashes.some(h => h.length !== CHUNK_HASH_BYTES)) throw new InvalidArgumentError(`a file id is made from one or more ${CHUNK_HASH_BYTES}-byte chunk hashes`)
  return sha256Bytes(FILE_ID_DOMAIN, ...chunkHashes)
}

export function sealChunk (key: Uint8Array, index: number, count: number, plaintext: Uint8Array): Uint8Array {
  if (key.length !== FILE_KEY_BYTES) throw new InvalidArgumentError(`a file key is ${FILE_KEY_BYTES} bytes`)
  if (!Number.isInteger(index) || index < 0 || index >= count) throw new InvalidArgumentError(`chunk index ${index} is outside 0..${count - 1}`)
  return sealChunkBytes(key, nonceOf(index), adOf(index, count), plaintext)
}

/** Refuse chunk `index` unless its ciphertext hashes to the manifest's: before it is kept or passed on. */
export function checkChunk (chunkHashes: Uint8Array[], index: number, ciphertext: Uint8Array): void {
  const expected = chunkHashes[index]
  if (expected == null) throw new ChunkIntegrityError(`the file has no chunk ${index}`)
  if (!bytesEqual(chunkHash(ciphertext), expected)) throw new ChunkIntegrityError(`chunk ${index} does not match the file's manifest`)
}

/** Check chunk `index` against the manifest and decrypt it; ChunkIntegrityError if either fails. */
export function openChunk (manifest: FileManifest, index: number, ciphertext: Uint8Array): Uint8Array {
  checkChunk(manifest.chunkHashes, index, ciphertext)
  return openCheckedChunk(manifest, index, ciphertext)
}

/**
 * Decrypt chunk `index` whose ciphertext the caller has just passed through
 * checkChunk (a download checks each chunk before keeping it, and opens it
 * then, so it is not hashed twice). The length and the AEAD tag are still
 * checked: ChunkIntegrityError if either fails, which, after a good hash,
 * means the manifest itself is wrong.
 */
export function openCheckedChunk (manifest: FileManifest, index: number, ciphertext: Uint8Array): Uint8Array {
  if (!Number.isInteger(index) || index < 0 || index >= manifest.chunkHashes.length) throw new ChunkIntegrityError(`the file has no chunk ${index}`)
  const expected = chunkPlainLength(manifest, index)
  if (ciphertext.length !== expected + CHUNK_TAG_BYTES) throw new ChunkIntegrityError(`chunk ${index} is ${ciphertext.length} bytes, not ${expected + CHUNK_TAG_BYTES}`)
  try {
    return openChunkBytes(manifest.key, nonceOf(index), adOf(index, manifest.chunkHashes.length), ciphertext)
  } catch {
    throw new ChunkIntegrityError(`chunk ${index} does not decrypt under the file's key`)
  }
}

export interface FileDescription {
  name: string
  mediaType: string
  thumbnail?: Uint8Array
  durationMs?: number
}

export interface SealedFile {
  manifest: FileManifest
  fileId: Uint8Array
  /** Ciphertext chunks, in order: what peers and the department node hold. */
  chunks: Uint8Array[]
}

/**
 * Encrypt a whole file under a fresh key from `randomBytes`. Refuses a file
 * over `maxBytes` (FileTooLargeError) and a bad name, type or thumbnail
 * (InvalidArgumentError) before any work.
 */
export function sealFile (bytes: Uint8Array, description: FileDescription, randomBytes: (n: number) => Uint8Array, maxBytes?: number): SealedFile {
  if (!(bytes instanceof Uint8Array)) throw new InvalidArgumentError('a file is bytes')
  checkFileSize(bytes.length, maxBytes)
  checkFileName(description.name)
  checkMediaType(description.mediaType)
  const key = randomBytes(FILE_KEY_BYTES)
  const chunkSize = chunkSizeFor(bytes.length)
  const count = chunkCount(bytes.length, chunkSize)
  const chunks: Uint8Array[] = []
  for (let i = 0; i < count; i++) chunks.push(sealChunk(key, i, count, bytes.subarray(i * chunkSize, (i + 1) * chunkSize)))
  const chunkHashes = chunks.map(chunkHash)
  const manifest: FileManifest = {
    name: description.name,
    mediaType: description.mediaType,
    size: bytes.length,
    chunkSize,
    chunkHashes,
    key,
    ...(description.thumbnail != null ? { thumbnail: description.thumbnail } : {}),
    ...(description.durationMs != null ? { durationMs: description.durationMs } : {})
  }
  checkManifest(manifest)
  return { manifest, fileId: fileIdOf(chunkHashes), chunks }
}

/** Check and decrypt every chunk, in order, into the file; ChunkIntegrityError names the first bad one. */
export function openFile (manifest: FileManifest, chunks: Uint8Array[]): Uint8Array {
  if (chunks.length !== manifest.chunkHashes.length) throw new ChunkIntegrityError(`the file has ${manifest.chunkHashes.length} chunks, not ${chunks.length}`)
  const out = new Uint8Array(manifest.size)
  chunks.forEach((chunk, i) => { out.set(openChunk(manifest, i, chunk), i * manifest.chunkSize) })
  return out
}


