import {
  ChunkIntegrityError, ChunkOp, ChunkRequest, ChunkResponse, CHUNK_HASH_BYTES, CHUNK_TAG_BYTES, decodeBounded, FILE_ID_BYTES, InvalidArgumentError,
  MalformedInputError, MAX_FILE_CHUNK_BYTES, MAX_FILE_CHUNKS
} from '@dak/protocol'
import type { ProtocolRate } from './peer-limits.js'
import type { RequestContext, RequestHandler, Rpc } from './rpc.js'
import type { Connection, DialTarget } from '@libp2p/interface'

/**
 * /dak/chunks/1.0.0 (docs/files.md): encrypted file chunks by (file id,
 * index), one request and one answer per stream over the rpc layer (so the
 * certificate gate, the rate limits and the bounded frames apply). Devices
 * answer GET and HELD from what they hold; the department node takes PUT from
 * its own devices too. Nothing here knows a key: chunks are ciphertext, and
 * whoever receives them checks each against the manifest's hash.
 */
export const CHUNK_PROTOCOL = '/dak/chunks/1.0.0'

/**
 * Bytes of chunks one answer or upload carries: sixteen 64 KiB chunks. Large
 * enough that the per-request round trip is a small part of the time on a
 * LAN, small enough that a dropped link loses at most a second of a 10 Mbit/s
 * transfer. A single chunk larger than this (files over 128 MiB) goes alone.
 */
export const CHUNK_BATCH_BYTES = 1024 * 1024

/**
 * Bytes per send of chunk answers and uploads: one Noise frame each (its
 * limit is 64 KiB). The rpc default of 4 KiB costs a cipher set-up per 4 KiB
 * and held attachment transfer to a fraction of the link. A slice this size
 * takes 8 s at 64 kbit/s, so the requester allows CHUNK_IDLE_MS of silence.
 */
export const CHUNK_SLICE_BYTES = 60 * 1024
export const CHUNK_IDLE_MS = 30_000

/** The chunk field's limit in files.proto: no batch holds more. */
export const MAX_CHUNKS_PER_MESSAGE = 32

/** Largest frame either way: a batch (or one largest chunk), the full hash list, tags and ids. */
export const MAX_CHUNK_FRAME_BYTES = Math.max(CHUNK_BATCH_BYTES, MAX_FILE_CHUNK_BYTES + CHUNK_TAG_BYTES) + MAX_CHUNKS_PER_MESSAGE * 8 + MAX_FILE_CHUNKS * (CHUNK_HASH_BYTES + 3) + 1024

/**
 * Requests per peer: a download keeps a few batches in flight, a megabyte
 * each, so a hundred a second is a gigabyte a second; a burst of 200 covers
 * a resumed download that asks several peers at once.
 */
export const CHUNK_RATE: ProtocolRate = {
  perPeer: { capacity: 200, refillPerSecond: 100 },
  global: { capacity: 2_000, refillPerSecond: 1_000 }
}

/** What a peer holds of one file. */
export interface HeldChunks {
  /** Chunks the file has, as far as the peer knows (0: it knows nothing of the file). */
  total: number
  /** Indexes held. */
  held: number[]
}

/** What serves chunks: a device's store, or the department node's. */
export interface ChunkHolder {
  /** Chunks from `first`, in a row, as many as held up to `count` and `maxBytes` (always at least one if `first` is held). */
  get: (fileId: Uint8Array, first: number, count: number, maxBytes: number) => Promise<Uint8Array[]>
  held: (fileId: Uint8Array) => Promise<HeldChunks>
  /** Take an upload; absent where uploads are refused (devices). Resolves with the chunks now held. */
  put?: (upload: ChunkUpload, context: RequestContext) => Promise<number>
}

export interface ChunkUpload {
  fileId: Uint8Array
  first: number
  chunks: Uint8Array[]
  /** With the first upload of a file: the manifest's chunk hashes (they hash to the file id). */
  chunkHashes?: Uint8Array[]
  /** With the hashes: when the message carrying the file disappears (ms since epoch); the node deletes the file then. */
  expiresAt?: number
}

export type ChunkQuery =
  | { op: 'get', fileId: Uint8Array, first: number, count: number }
  | { op: 'held', fileId: Uint8Array }
  | ({ op: 'put' } & ChunkUpload)

function checkIndex (first: number, what: string): void {
  if (!Number.isInteger(first) || first < 0 || first >= MAX_FILE_CHUNKS) throw new InvalidArgumentError(`${what} must be a chunk index below ${MAX_FILE_CHUNKS}`)
}

/** Decode a request from a peer: bounded, and every field checked for its op. */
export function decodeChunkQuery (bytes: Uint8Array): ChunkQuery {
  const wire = decodeBounded(ChunkRequest, bytes, MAX_CHUNK_FRAME_BYTES, 'chunk request', { limits: { chunks: MAX_CHUNKS_PER_MESSAGE, chunkHashes: MAX_FILE_CHUNKS } })
  try {
    if (wire.fileId.length !== FILE_ID_BYTES) throw new InvalidArgumentError(`a file id is ${FILE_ID_BYTES} bytes`)
    switch (wire.op) {
      case ChunkOp.GET:
        checkIndex(wire.first, 'first')
        if (wire.count < 1 || wire.count > MAX_FILE_CHUNKS) throw new InvalidArgumentError(`a GET asks for 1 to ${MAX_FILE_CHUNKS} chunks`)
        return { op: 'get', fileId: wire.fileId, first: wire.first, count: wire.count }
      case ChunkOp.HELD:
        return { op: 'held', fileId: wire.fileId }
      case ChunkOp.PUT:
        checkIndex(wire.first, 'first')
        if (wire.chunks.length === 0 || wire.first + wire.chunks.length > MAX_FILE_CHUNKS) throw new InvalidArgumentError('a PUT carries 1 or more chunks of the file')
        if (wire.chunkHashes.some(h => h.length !== CHUNK_HASH_BYTES)) throw new InvalidArgumentError(`chunk hashes are ${CHUNK_HASH_BYTES} bytes`)
        if (wire.expiresAt > BigInt(Number.MAX_SAFE_INTEGER)) throw new InvalidArgumentError('expires_at is past any date')
        if (wire.expiresAt !== 0n && wire.chunkHashes.length === 0) throw new InvalidArgumentError('expires_at comes with the chunk hashes, in the first upload of a file')
        return {
          op: 'put',
          fileId: wire.fileId,
          first: wire.first,
          chunks: wire.chunks,
          ...(wire.chunkHashes.length > 0 ? { chunkHashes: wire.chunkHashes } : {}),
          ...(wire.expiresAt !== 0n ? { expiresAt: Number(wire.expiresAt) } : {})
        }
      default:
        throw new InvalidArgumentError('unknown chunk operation')
    }
  } catch (err) {
    throw new MalformedInputError(`chunk request: ${(err as Error).message}`)
  }
}

/** Bit i (least significant first) of byte i/8 set for each held index. */
export function heldBitmap (held: number[], total: number): Uint8Array {
  const bitmap = new Uint8Array(Math.ceil(total / 8))
  for (const i of held) if (i < total) bitmap[i >> 3] = (bitmap[i >> 3] ?? 0) | (1 << (i & 7))
  return bitmap
}

function heldIndexes (bitmap: Uint8Array, total: number): number[] {
  if (total > MAX_FILE_CHUNKS || bitmap.length > Math.ceil(total / 8)) throw new MalformedInputError('a held-chunks answer larger than its file')
  const held: number[] = []
  for (let i = 0; i < total; i++) if (((bitmap[i >> 3] ?? 0) & (1 << (i & 7))) !== 0) held.push(i)
  return held
}

/** The request handler for a holder: GET and HELD for everyone verified, PUT only where the holder takes uploads. */
export function chunkHandler (holder: ChunkHolder): RequestHandler {
  return async (bytes, context) => {
    const query = decodeChunkQuery(bytes)
    if (query.op === 'get') {
      const chunks = await holder.get(query.fileId, query.first, Math.min(query.count, MAX_CHUNKS_PER_MESSAGE), CHUNK_BATCH_BYTES)
      return ChunkResponse.encode({ chunks })
    }
    if (query.op === 'held') {
      const { total, held } = await holder.held(query.fileId)
      return ChunkResponse.encode({ total, held: heldBitmap(held, total) })
    }
    if (holder.put == null) throw new InvalidArgumentError('this peer does not take uploads')
    const stored = await holder.put(query, context)
    return ChunkResponse.encode({ total: stored })
  }
}

/** Serve `holder` on `rpc` for verified peers, with the chunk protocol's bounds and rate. */
export async function serveChunks (rpc: Rpc, holder: ChunkHolder): Promise<void> {
  await rpc.handle(CHUNK_PROTOCOL, chunkHandler(holder), { maxRequestBytes: MAX_CHUNK_FRAME_BYTES, maxResponseBytes: MAX_CHUNK_FRAME_BYTES, rate: CHUNK_RATE, maxInboundStreams: 16, sliceBytes: CHUNK_SLICE_BYTES, timeoutMs: CHUNK_IDLE_MS })
}

function decodeAnswer (bytes: Uint8Array): ChunkResponse {
  return decodeBounded(ChunkResponse, bytes, MAX_CHUNK_FRAME_BYTES, 'chunk response', { limits: { chunks: MAX_CHUNKS_PER_MESSAGE } })
}

/** The client side of /dak/chunks/1.0.0 over one rpc. */
export interface ChunkClient {
  /** Chunks from `first` as the peer holds them in a row (maybe none); unchecked: the caller checks each against the manifest. */
  get: (target: DialTarget | Connection, fileId: Uint8Array, first: number, count: number, options?: { signal?: AbortSignal }) => Promise<Uint8Array[]>
  held: (target: DialTarget | Connection, fileId: Uint8Array, options?: { signal?: AbortSignal }) => Promise<HeldChunks>
  put: (target: DialTarget | Connection, upload: ChunkUpload, options?: { signal?: AbortSignal }) => Promise<number>
}

export function chunkClient (rpc: Rpc): ChunkClient {
  const request = async (target: DialTarget | Connection, body: Partial<ChunkRequest>, signal?: AbortSignal): Promise<ChunkResponse> =>
    decodeAnswer(await rpc.request(target, CHUNK_PROTOCOL, ChunkRequest.encode(body), { maxResponseBytes: MAX_CHUNK_FRAME_BYTES, sliceBytes: CHUNK_SLICE_BYTES, timeoutMs: CHUNK_IDLE_MS, ...(signal != null ? { signal } : {}) }))
  return {
    async get (target, fileId, first, count, options) {
      const answer = await request(target, { op: ChunkOp.GET, fileId, first, count }, options?.signal)
      if (answer.chunks.length > count) throw new ChunkIntegrityError(`asked for ${count} chunks and got ${answer.chunks.length}`)
      return answer.chunks
    },
    async held (target, fileId, options) {
      const answer = await request(target, { op: ChunkOp.HELD, fileId }, options?.signal)
      return { total: answer.total, held: heldIndexes(answer.held, answer.total) }
    },
    async put (target, upload, options) {
      const answer = await request(target, { op: ChunkOp.PUT, fileId: upload.fileId, first: upload.first, chunks: upload.chunks, chunkHashes: upload.chunkHashes ?? [], expiresAt: BigInt(upload.expiresAt ?? 0) }, options?.signal)
      return answer.total
    }
  }
}
