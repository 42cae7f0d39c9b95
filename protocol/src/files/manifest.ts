import { utf8 } from '../bytes.js'
import { decodeBounded } from '../codec.js'
import { FileTooLargeError, InvalidArgumentError, MalformedInputError } from '../errors.js'
import { FileManifest as WireManifestCodec, type FileManifest as WireManifest } from '../wire/generated/content.js'
import {
  CHUNK_HASH_BYTES, DEFAULT_MAX_FILE_BYTES, FILE_CHUNK_BYTES, FILE_KEY_BYTES, MAX_DURATION_MS, MAX_FILE_CHUNK_BYTES, MAX_FILE_CHUNKS,
  MAX_FILE_MANIFEST_BYTES, MAX_FILE_NAME_BYTES, MAX_MEDIA_TYPE_BYTES, MAX_THUMBNAIL_BYTES, PROTOCOL_MAX_FILE_BYTES
} from './limits.js'

/**
 * What a member needs to fetch, check and open one file (docs/files.md). It
 * travels inside the MLS application message as content of kind 'file'.
 */
export interface FileManifest {
  name: string
  mediaType: string
  /** Plaintext bytes. */
  size: number
  /** Plaintext bytes per chunk: a power of two from FILE_CHUNK_BYTES to MAX_FILE_CHUNK_BYTES (chunkSizeFor). */
  chunkSize: number
  /** SHA-256 of each ciphertext chunk, in order: what every chunk is checked against before it is kept. */
  chunkHashes: Uint8Array[]
  /** This file's ChaCha20-Poly1305 key. */
  key: Uint8Array
  /** A small preview image, shown before any download. */
  thumbnail?: Uint8Array
  /** A voice note's length. */
  durationMs?: number
}

/** Chunks of a file of `size` bytes in chunks of `chunkSize`: an empty file is one empty chunk. */
export function chunkCount (size: number, chunkSize: number): number {
  return Math.max(1, Math.ceil(size / chunkSize))
}

/** The chunk size a sender uses: 64 KiB, doubled until the file fits MAX_FILE_CHUNKS chunks. */
export function chunkSizeFor (size: number): number {
  let chunkSize = FILE_CHUNK_BYTES
  while (chunkCount(size, chunkSize) > MAX_FILE_CHUNKS && chunkSize < MAX_FILE_CHUNK_BYTES) chunkSize *= 2
  return chunkSize
}

/** Plaintext bytes of chunk `index`. */
export function chunkPlainLength (manifest: Pick<FileManifest, 'size' | 'chunkSize'>, index: number): number {
  return Math.max(0, Math.min(manifest.chunkSize, manifest.size - index * manifest.chunkSize))
}

/** Refuse a size over `maxBytes` (the configured limit) or over what the protocol can describe. */
export function checkFileSize (size: number, maxBytes: number = DEFAULT_MAX_FILE_BYTES): void {
  if (!Number.isSafeInteger(size) || size < 0) throw new InvalidArgumentError('a file size is a non-negative integer')
  const limit = Math.min(maxBytes, PROTOCOL_MAX_FILE_BYTES)
  if (size > limit) throw new FileTooLargeError(`a file of ${size} bytes is over the limit of ${limit} bytes`)
}

const CONTROL = /[\u0000-\u001f\u007f]/
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/

/** A name to show and to save under: no path separators, no control characters, well-formed Unicode. */
export function checkFileName (name: string): void {
  if (typeof name !== 'string' || name.length === 0) throw new InvalidArgumentError('a file name is needed')
  if (utf8(name).length > MAX_FILE_NAME_BYTES) throw new InvalidArgumentError(`a file name is at most ${MAX_FILE_NAME_BYTES} bytes`)
  if (CONTROL.test(name) || LONE_SURROGATE.test(name)) throw new InvalidArgumentError('a file name may not hold control characters or broken Unicode')
  if (name.includes('/') || name.includes('\\') || name === '.' || name === '..') throw new InvalidArgumentError('a file name may not be a path')
}

/** type/subtype with optional parameters, printable ASCII. */
const MEDIA_TYPE = /^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*\/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*(\s*;\s*[\x21-\x7e]+(\s*[\x21-\x7e]+)*)?$/

export function checkMediaType (mediaType: string): void {
  if (typeof mediaType !== 'string' || mediaType.length > MAX_MEDIA_TYPE_BYTES || !MEDIA_TYPE.test(mediaType)) {
    throw new InvalidArgumentError('a media type is type/subtype (e.g. application/pdf), at most 127 characters')
  }
}

/** Everything a well-formed manifest satisfies; throws InvalidArgumentError (FileTooLargeError for the size). */
export function checkManifest (manifest: FileManifest): void {
  checkFileName(manifest.name)
  checkMediaType(manifest.mediaType)
  checkFileSize(manifest.size, PROTOCOL_MAX_FILE_BYTES)
  const { chunkSize } = manifest
  if (!Number.isSafeInteger(chunkSize) || chunkSize < FILE_CHUNK_BYTES || chunkSize > MAX_FILE_CHUNK_BYTES || (chunkSize & (chunkSize - 1)) !== 0) {
    throw new InvalidArgumentError(`a chunk size is a power of two from ${FILE_CHUNK_BYTES} to ${MAX_FILE_CHUNK_BYTES}`)
  }
  const count = chunkCount(manifest.size, chunkSize)
  if (count > MAX_FILE_CHUNKS) throw new InvalidArgumentError(`a file has at most ${MAX_FILE_CHUNKS} chunks`)
  if (manifest.chunkHashes.length !== count) throw new InvalidArgumentError(`a file of ${manifest.size} bytes in chunks of ${chunkSize} has ${count} chunk hashes, not ${manifest.chunkHashes.length}`)
  if (manifest.chunkHashes.some(h => !(h instanceof Uint8Array) || h.length !== CHUNK_HASH_BYTES)) throw new InvalidArgumentError(`chunk hashes are ${CHUNK_HASH_BYTES} bytes`)
  if (!(manifest.key instanceof Uint8Array) || manifest.key.length !== FILE_KEY_BYTES) throw new InvalidArgumentError(`a file key is ${FILE_KEY_BYTES} bytes`)
  if (manifest.thumbnail != null && (!(manifest.thumbnail instanceof Uint8Array) || manifest.thumbnail.length === 0 || manifest.thumbnail.length > MAX_THUMBNAIL_BYTES)) {
    throw new InvalidArgumentError(`a thumbnail is 1 to ${MAX_THUMBNAIL_BYTES} bytes`)
  }
  if (manifest.durationMs != null && (!Number.isSafeInteger(manifest.durationMs) || manifest.durationMs <= 0 || manifest.durationMs > MAX_DURATION_MS)) {
    throw new InvalidArgumentError('a duration is a positive number of milliseconds, at most a day')
  }
}

export function manifestToWire (manifest: FileManifest): WireManifest {
  return {
    name: manifest.name,
    mediaType: manifest.mediaType,
    size: manifest.size,
    chunkSize: manifest.chunkSize,
    chunkHashes: manifest.chunkHashes,
    key: manifest.key,
    thumbnail: manifest.thumbnail ?? new Uint8Array(0),
    durationMs: manifest.durationMs ?? 0
  }
}

/** The wire form back to a manifest (not yet checked: checkManifest does that). */
export function manifestFromWire (wire: WireManifest): FileManifest {
  return {
    name: wire.name,
    mediaType: wire.mediaType,
    size: wire.size,
    chunkSize: wire.chunkSize,
    chunkHashes: wire.chunkHashes,
    key: wire.key,
    ...(wire.thumbnail.length > 0 ? { thumbnail: wire.thumbnail } : {}),
    ...(wire.durationMs > 0 ? { durationMs: wire.durationMs } : {})
  }
}

/** A manifest as bytes, for a device to keep with the file (the same encoding as inside the message). */
export function encodeManifest (manifest: FileManifest): Uint8Array {
  checkManifest(manifest)
  return WireManifestCodec.encode(manifestToWire(manifest))
}

/** Bytes from encodeManifest back to a checked manifest; MalformedInputError when they are not one. */
export function decodeManifest (bytes: Uint8Array): FileManifest {
  const wire = decodeBounded(WireManifestCodec, bytes, MAX_FILE_MANIFEST_BYTES, 'file manifest', { limits: { chunkHashes: MAX_FILE_CHUNKS } })
  const manifest = manifestFromWire(wire)
  try {
    checkManifest(manifest)
  } catch (err) {
    throw new MalformedInputError(`file manifest: ${(err as Error).message}`)
  }
  return manifest
}
