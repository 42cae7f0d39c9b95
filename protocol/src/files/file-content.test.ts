import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { decodeAppContent, encodeAppContent, type FileContent } from '../content/app-content.js'
import { CLIENT_ID_BYTES, MAX_APP_CONTENT_BYTES } from '../content/limits.js'
import { DakError, InvalidArgumentError, MalformedInputError } from '../errors.js'
import { seededRandom } from '../identity/test-fixtures.js'
import { AppContent, ContentKind } from '../wire/generated/content.js'
import { CHUNK_HASH_BYTES, FILE_CHUNK_BYTES, FILE_KEY_BYTES, MAX_FILE_CHUNKS, MAX_MEDIA_TYPE_BYTES, MAX_THUMBNAIL_BYTES } from './limits.js'
import { chunkCount, chunkSizeFor, manifestToWire, type FileManifest } from './manifest.js'

/** Content of kind 'file': the manifest inside the MLS application message. */

const random = seededRandom('file content')
const clientId = random(CLIENT_ID_BYTES)

function manifestOf (size: number, extra: Partial<FileManifest> = {}): FileManifest {
  const chunkSize = chunkSizeFor(size)
  return { name: 'site photo.jpg', mediaType: 'image/jpeg', size, chunkSize, chunkHashes: Array.from({ length: chunkCount(size, chunkSize) }, () => random(CHUNK_HASH_BYTES)), key: random(FILE_KEY_BYTES), ...extra }
}

const arbitraryManifest: fc.Arbitrary<FileManifest> = fc.record({
  size: fc.integer({ min: 0, max: MAX_FILE_CHUNKS * FILE_CHUNK_BYTES }),
  name: fc.string({ minLength: 1, maxLength: 60 }).filter(s => !/[\u0000-\u001f\u007f/\\]/.test(s) && s !== '.' && s !== '..'),
  mediaType: fc.constantFrom('application/pdf', 'image/png', 'audio/webm;codecs=opus', 'text/plain; charset=utf-8'),
  thumbnail: fc.option(fc.uint8Array({ minLength: 1, maxLength: 64 }), { nil: undefined }),
  durationMs: fc.option(fc.integer({ min: 1, max: 3_600_000 }), { nil: undefined }),
  key: fc.uint8Array({ minLength: FILE_KEY_BYTES, maxLength: FILE_KEY_BYTES })
}).map(({ size, name, mediaType, thumbnail, durationMs, key }) => {
  const chunkSize = chunkSizeFor(size)
  const hashes = Array.from({ length: chunkCount(size, chunkSize) }, (_, i) => new Uint8Array(CHUNK_HASH_BYTES).fill(i & 0xff))
  return { name, mediaType, size, chunkSize, chunkHashes: hashes, key, ...(thumbnail != null ? { thumbnail } : {}), ...(durationMs != null ? { durationMs } : {}) }
})

describe('file content', () => {
  it('round-trips any well-formed manifest', () => {
    fc.assert(fc.property(arbitraryManifest, (file) => {
      const content: FileContent = { kind: 'file', file, clientId }
      expect(decodeAppContent(encodeAppContent(content))).toEqual(content)
    }), { numRuns: 200 })
  })

  it('fits the largest manifest (2,048 hashes, the largest thumbnail, the longest names) in the content limit', () => {
    const largest = manifestOf(MAX_FILE_CHUNKS * FILE_CHUNK_BYTES, { name: 'n'.repeat(255), mediaType: 'a/' + 'b'.repeat(MAX_MEDIA_TYPE_BYTES - 2), thumbnail: random(MAX_THUMBNAIL_BYTES), durationMs: 86_400_000 })
    const bytes = encodeAppContent({ kind: 'file', file: largest, clientId })
    expect(bytes.length).toBeLessThanOrEqual(MAX_APP_CONTENT_BYTES)
    expect(decodeAppContent(bytes)).toMatchObject({ kind: 'file', file: { size: largest.size } })
  })

  it('refuses to encode a manifest that does not describe its file', () => {
    const good = manifestOf(3 * FILE_CHUNK_BYTES)
    const bad: Array<Partial<FileManifest>> = [
      { chunkHashes: good.chunkHashes.slice(1) },
      { chunkHashes: [...good.chunkHashes, random(32)] },
      { chunkHashes: [random(31), ...good.chunkHashes.slice(1)] },
      { chunkSize: 1000 },
      { chunkSize: FILE_CHUNK_BYTES / 2 },
      { key: random(16) },
      { size: -1 },
      { size: 1.5 },
      { thumbnail: random(MAX_THUMBNAIL_BYTES + 1) },
      { thumbnail: new Uint8Array(0) },
      { durationMs: 0 },
      { name: 'a/b' },
      { mediaType: 'pdf' }
    ]
    for (const change of bad) expect(() => encodeAppContent({ kind: 'file', file: { ...good, ...change }, clientId }), JSON.stringify(Object.keys(change))).toThrow(InvalidArgumentError)
  })

  it('refuses file content with fields of another kind, or a manifest that lies about its chunk count', () => {
    const file = manifestToWire(manifestOf(10))
    const mixed = [
      { version: 1, kind: ContentKind.FILE, clientId, file, text: 'hi' },
      { version: 1, kind: ContentKind.FILE, clientId },
      { version: 1, kind: ContentKind.FILE, clientId, file, replyTo: random(32) },
      { version: 1, kind: ContentKind.TEXT, clientId, file, text: 'hi' },
      { version: 1, kind: ContentKind.FILE, clientId, file: { ...file, chunkHashes: [] } },
      { version: 1, kind: ContentKind.FILE, clientId, file: { ...file, size: 2 * FILE_CHUNK_BYTES } }
    ]
    for (const wire of mixed) expect(() => decodeAppContent(AppContent.encode(wire))).toThrow(MalformedInputError)
  })

  it('refuses more chunk hashes than the limit before building them all', () => {
    const wire = AppContent.encode({ version: 1, kind: ContentKind.FILE, clientId, file: { ...manifestToWire(manifestOf(10)), chunkHashes: new Array(MAX_FILE_CHUNKS + 1).fill(new Uint8Array(0)) } })
    expect(() => decodeAppContent(wire)).toThrow(MalformedInputError)
  })

  it('turns every mutation of a valid encoding into a typed error or a valid manifest', () => {
    const valid = encodeAppContent({ kind: 'file', file: manifestOf(2 * FILE_CHUNK_BYTES + 1, { thumbnail: random(40), durationMs: 1200 }), clientId })
    fc.assert(fc.property(fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }), fc.nat(), (edits, cut) => {
      const bytes = valid.slice(0, valid.length - (cut % 4 === 0 ? cut % valid.length : 0))
      for (const [at, value] of edits) if (bytes.length > 0) bytes[at % bytes.length] = value
      try {
        const content = decodeAppContent(bytes)
        expect(['text', 'receipt', 'directive', 'info', 'file']).toContain(content.kind)
      } catch (err) {
        expect(err).toBeInstanceOf(DakError)
      }
    }), { numRuns: 2000 })
  })
})
