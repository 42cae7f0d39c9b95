import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { bytesEqual } from '../bytes.js'
import { ChunkIntegrityError, FileTooLargeError, InvalidArgumentError } from '../errors.js'
import { seededRandom } from '../identity/test-fixtures.js'
import { checkChunk, chunkHash, fileIdOf, openCheckedChunk, openChunk, openFile, sealChunk, sealFile } from './chunk-cipher.js'
import * as nodeCrypto from './chunk-crypto.node.js'
import * as nobleCrypto from './chunk-crypto.noble.js'
import { CHUNK_TAG_BYTES, DEFAULT_MAX_FILE_BYTES, FILE_CHUNK_BYTES, MAX_FILE_CHUNK_BYTES, MAX_FILE_CHUNKS, PROTOCOL_MAX_FILE_BYTES } from './limits.js'
import { chunkCount, chunkSizeFor } from './manifest.js'

const random = seededRandom('file chunks')
const pdf = { name: 'circular 12-2024.pdf', mediaType: 'application/pdf' }

function bytesOf (n: number, seed = 7): Uint8Array {
  const out = new Uint8Array(n)
  for (let i = 0; i < n; i++) out[i] = (i * 31 + seed) & 0xff
  return out
}

describe('file chunk encryption', () => {
  it('round-trips files of every awkward size: empty, one byte, a chunk exactly, a chunk and a byte', () => {
    for (const size of [0, 1, FILE_CHUNK_BYTES - 1, FILE_CHUNK_BYTES, FILE_CHUNK_BYTES + 1, 3 * FILE_CHUNK_BYTES + 5]) {
      const bytes = bytesOf(size)
      const sealed = sealFile(bytes, pdf, random)
      expect(sealed.chunks).toHaveLength(Math.max(1, Math.ceil(size / FILE_CHUNK_BYTES)))
      expect(sealed.chunks.reduce((sum, c) => sum + c.length, 0)).toBe(size + sealed.chunks.length * CHUNK_TAG_BYTES)
      expect(bytesEqual(openFile(sealed.manifest, sealed.chunks), bytes)).toBe(true)
      expect(bytesEqual(sealed.fileId, fileIdOf(sealed.manifest.chunkHashes))).toBe(true)
    }
  })

  it('node:crypto and @noble give the same ciphertext and refuse the same forgeries', () => {
    fc.assert(fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.uint8Array({ maxLength: 2000 }), fc.integer({ min: 0, max: 2 ** 32 - 1 }), (key, plain, n) => {
      const nonce = new Uint8Array(12)
      new DataView(nonce.buffer).setUint32(0, n)
      const ad = new Uint8Array([1, 2, 3])
      const a = nodeCrypto.sealChunkBytes(key, nonce, ad, plain)
      const b = nobleCrypto.sealChunkBytes(key, nonce, ad, plain)
      expect(bytesEqual(a, b)).toBe(true)
      expect(bytesEqual(nodeCrypto.openChunkBytes(key, nonce, ad, b), plain)).toBe(true)
      expect(bytesEqual(nobleCrypto.openChunkBytes(key, nonce, ad, a), plain)).toBe(true)
      const flipped = a.slice()
      flipped[n % flipped.length] = flipped[n % flipped.length]! ^ 0x80
      expect(() => nodeCrypto.openChunkBytes(key, nonce, ad, flipped)).toThrow()
      expect(() => nobleCrypto.openChunkBytes(key, nonce, ad, flipped)).toThrow()
      expect(bytesEqual(nodeCrypto.sha256Bytes(plain, ad), nobleCrypto.sha256Bytes(plain, ad))).toBe(true)
    }), { numRuns: 200 })
  })

  it('node:crypto imports a key once, and again when its bytes were changed in place', () => {
    const key = new Uint8Array(32).fill(1)
    const nonce = new Uint8Array(12)
    const plain = new Uint8Array([1, 2, 3])
    const first = nodeCrypto.sealChunkBytes(key, nonce, new Uint8Array(0), plain)
    expect(bytesEqual(nodeCrypto.sealChunkBytes(key, nonce, new Uint8Array(0), plain), first)).toBe(true)
    key[0] = 2
    const second = nodeCrypto.sealChunkBytes(key, nonce, new Uint8Array(0), plain)
    expect(bytesEqual(second, first)).toBe(false)
    expect(bytesEqual(second, nobleCrypto.sealChunkBytes(key, nonce, new Uint8Array(0), plain))).toBe(true)
  })

  it('refuses any flipped bit of any chunk, by hash before any decryption', () => {
    const sealed = sealFile(bytesOf(3 * FILE_CHUNK_BYTES), pdf, random)
    fc.assert(fc.property(fc.integer({ min: 0, max: 2 }), fc.nat(), fc.integer({ min: 0, max: 7 }), (index, at, bit) => {
      const chunk = sealed.chunks[index]!.slice()
      chunk[at % chunk.length] = chunk[at % chunk.length]! ^ (1 << bit)
      expect(() => checkChunk(sealed.manifest.chunkHashes, index, chunk)).toThrow(ChunkIntegrityError)
      expect(() => openChunk(sealed.manifest, index, chunk)).toThrow(ChunkIntegrityError)
    }), { numRuns: 300 })
  })

  it('refuses chunks swapped, truncated, or taken from another file with the same hashes claimed', () => {
    const sealed = sealFile(bytesOf(2 * FILE_CHUNK_BYTES + 10), pdf, random)
    expect(() => openChunk(sealed.manifest, 0, sealed.chunks[1]!)).toThrow(ChunkIntegrityError)
    expect(() => openFile(sealed.manifest, sealed.chunks.slice(0, 2))).toThrow(ChunkIntegrityError)
    // a member who knows the key re-seals chunk 1 as chunk 0 and lies in the manifest: the AD (index) still refuses it
    const moved = sealChunk(sealed.manifest.key, 1, 3, bytesOf(FILE_CHUNK_BYTES))
    const lying = { ...sealed.manifest, chunkHashes: [chunkHash(moved), ...sealed.manifest.chunkHashes.slice(1)] }
    expect(() => openChunk(lying, 0, moved)).toThrow(ChunkIntegrityError)
    // the same bytes under another file's key never open
    const other = sealFile(bytesOf(2 * FILE_CHUNK_BYTES + 10), pdf, random)
    const wrongKey = { ...sealed.manifest, key: other.manifest.key }
    expect(() => openChunk(wrongKey, 0, sealed.chunks[0]!)).toThrow(ChunkIntegrityError)
  })

  it('opening a chunk already hash-checked still refuses a wrong tag, length, index or key', () => {
    const sealed = sealFile(bytesOf(2 * FILE_CHUNK_BYTES + 10), pdf, random)
    expect(bytesEqual(openCheckedChunk(sealed.manifest, 2, sealed.chunks[2]!), bytesOf(2 * FILE_CHUNK_BYTES + 10).subarray(2 * FILE_CHUNK_BYTES))).toBe(true)
    // the hash is skipped, the AEAD is not: any flipped bit is refused by the tag
    fc.assert(fc.property(fc.integer({ min: 0, max: 2 }), fc.nat(), fc.integer({ min: 0, max: 7 }), (index, at, bit) => {
      const chunk = sealed.chunks[index]!.slice()
      chunk[at % chunk.length] = chunk[at % chunk.length]! ^ (1 << bit)
      expect(() => openCheckedChunk(sealed.manifest, index, chunk)).toThrow(ChunkIntegrityError)
    }), { numRuns: 100 })
    expect(() => openCheckedChunk(sealed.manifest, 0, sealed.chunks[1]!)).toThrow(ChunkIntegrityError)
    expect(() => openCheckedChunk(sealed.manifest, 2, sealed.chunks[2]!.subarray(1))).toThrow(ChunkIntegrityError)
    expect(() => openCheckedChunk(sealed.manifest, 3, sealed.chunks[2]!)).toThrow(ChunkIntegrityError)
    expect(() => openCheckedChunk(sealed.manifest, -1, sealed.chunks[0]!)).toThrow(ChunkIntegrityError)
    const other = sealFile(bytesOf(10), pdf, random)
    expect(() => openCheckedChunk({ ...sealed.manifest, key: other.manifest.key }, 0, sealed.chunks[0]!)).toThrow(ChunkIntegrityError)
  })

  it('gives every file a fresh key, so the same bytes sent twice share no ciphertext and no file id', () => {
    const bytes = bytesOf(1000)
    const a = sealFile(bytes, pdf, random)
    const b = sealFile(bytes, pdf, random)
    expect(bytesEqual(a.manifest.key, b.manifest.key)).toBe(false)
    expect(bytesEqual(a.fileId, b.fileId)).toBe(false)
  })

  it('refuses a file over the configured limit, and over the default of 100 MiB', () => {
    expect(() => sealFile(bytesOf(2001), pdf, random, 2000)).toThrow(FileTooLargeError)
    expect(() => sealFile(bytesOf(2000), pdf, random, 2000)).not.toThrow()
    expect(DEFAULT_MAX_FILE_BYTES).toBe(100 * 1024 * 1024)
    // no allocation needed to see that the default refuses one byte more
    expect(() => sealFile({ length: DEFAULT_MAX_FILE_BYTES + 1, subarray: () => new Uint8Array(0) } as unknown as Uint8Array, pdf, random)).toThrow(InvalidArgumentError)
  })

  it('refuses bad names and media types with a typed error', () => {
    for (const name of ['', '../etc/passwd', 'a/b', 'a\\b', '..', 'bell\u0007', 'x'.repeat(256), 'half \ud83d']) {
      expect(() => sealFile(bytesOf(3), { name, mediaType: 'text/plain' }, random), JSON.stringify(name)).toThrow(InvalidArgumentError)
    }
    for (const mediaType of ['', 'pdf', 'text/', '/plain', 'text/plain\n', 'a/' + 'b'.repeat(200)]) {
      expect(() => sealFile(bytesOf(3), { name: 'a.txt', mediaType }, random), JSON.stringify(mediaType)).toThrow(InvalidArgumentError)
    }
    expect(() => sealFile(bytesOf(3), { name: 'note.webm', mediaType: 'audio/webm;codecs=opus' }, random)).not.toThrow()
  })
})

describe('chunk sizes', () => {
  it('are 64 KiB up to 128 MiB, then double, and never need more than MAX_FILE_CHUNKS chunks', () => {
    expect(chunkSizeFor(DEFAULT_MAX_FILE_BYTES)).toBe(FILE_CHUNK_BYTES)
    expect(chunkSizeFor(MAX_FILE_CHUNKS * FILE_CHUNK_BYTES)).toBe(FILE_CHUNK_BYTES)
    expect(chunkSizeFor(MAX_FILE_CHUNKS * FILE_CHUNK_BYTES + 1)).toBe(2 * FILE_CHUNK_BYTES)
    fc.assert(fc.property(fc.integer({ min: 0, max: PROTOCOL_MAX_FILE_BYTES }), (size) => {
      const chunkSize = chunkSizeFor(size)
      expect(chunkSize).toBeGreaterThanOrEqual(FILE_CHUNK_BYTES)
      expect(chunkSize).toBeLessThanOrEqual(MAX_FILE_CHUNK_BYTES)
      expect(chunkCount(size, chunkSize)).toBeLessThanOrEqual(MAX_FILE_CHUNKS)
    }))
  })
})
