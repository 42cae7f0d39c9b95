import { MalformedInputError, TooLargeError } from '@dak/protocol'
import { RequestTimeoutError, StreamEndedError } from './errors.js'
import type { AbortOptions, Stream, StreamCloseEvent, StreamMessageEvent } from '@libp2p/interface'

/**
 * One varint-length-prefixed frame per direction, read with its limit checked
 * the moment the length prefix arrives.
 *
 * Why not lpStream from @libp2p/utils: its byte buffer takes in everything the
 * peer sends (up to `maxBufferSize`) before the length is looked at, and resets
 * the stream when that buffer overflows. An oversized request would then get a
 * reset instead of the TooLargeError the protocol promises, and the buffer is
 * sized by the peer rather than by us. Here the declared length is judged as
 * soon as it is known, nothing past the limit is kept, and bytes after the
 * frame are dropped instead of queued (each direction carries one frame).
 */

/** A varint of 5 bytes covers 2^35; no Dak frame comes near 2^32. */
const MAX_VARINT_BYTES = 5

/** The frame of `data`, or of its parts joined: one allocation either way (an rpc answer is its status byte and the body). */
export function encodeFrame (data: Uint8Array | readonly Uint8Array[]): Uint8Array {
  const parts = data instanceof Uint8Array ? [data] : data
  const prefix: number[] = []
  let n = parts.reduce((sum, part) => sum + part.length, 0)
  const length = n
  while (n >= 0x80) {
    prefix.push((n & 0x7f) | 0x80)
    n = Math.floor(n / 128)
  }
  prefix.push(n)
  const out = new Uint8Array(prefix.length + length)
  out.set(prefix, 0)
  let offset = prefix.length
  for (const part of parts) {
    out.set(part, offset)
    offset += part.length
  }
  return out
}

/**
 * Bytes per stream.send: each becomes its own muxer frame, which the reader
 * receives as one chunk. A long answer sent whole arrived as a single chunk at
 * the very end, so a reader on a slow link could not tell a link that is
 * moving from one that is silent (progress-deadline.ts). 4 KiB is half a
 * second at 64 kbit/s; the muxer header (12 bytes) costs 0.3%.
 */
export const FRAME_SLICE_BYTES = 4 * 1024

export interface WriteFrameOptions extends AbortOptions {
  /** Called after each slice has been handed on (the stream took it or drained). */
  onProgress?: () => void
  /** Bytes per send (default FRAME_SLICE_BYTES): a bulk protocol (file chunks) sends larger slices, each one Noise frame. */
  sliceBytes?: number
}

/**
 * Write one frame in slices, waiting for 'drain' when the stream asks us to:
 * nothing more than one slice waits in the stream's buffer, so slices are not
 * merged back into one large muxer frame there.
 */
export async function writeFrame (stream: Stream, data: Uint8Array | readonly Uint8Array[], options?: WriteFrameOptions): Promise<void> {
  const frame = encodeFrame(data)
  const slice = options?.sliceBytes ?? FRAME_SLICE_BYTES
  for (let offset = 0; offset < frame.length; offset += slice) {
    if (!stream.send(frame.subarray(offset, offset + slice))) await stream.onDrain(options)
    options?.onProgress?.()
  }
}

/** Length of the frame once its prefix is complete; undefined while more prefix bytes are needed. */
function frameLength (prefix: Uint8Array): number | undefined {
  let value = 0
  for (let i = 0; i < prefix.length; i++) {
    const byte = prefix[i] ?? 0
    value += (byte & 0x7f) * 2 ** (7 * i)
    if ((byte & 0x80) === 0) return value
  }
  if (prefix.length >= MAX_VARINT_BYTES) throw new MalformedInputError('frame length prefix is too long')
  return undefined
}

/**
 * Read exactly one frame of at most `maxBytes`. Rejects with TooLargeError as
 * soon as a larger length is declared, MalformedInputError for a bad prefix,
 * StreamEndedError if the stream ends first, and
 * RequestTimeoutError when `options.signal` aborts. After it settles, anything
 * else the peer sends is dropped, not buffered.
 */
export async function readFrame (stream: Stream, maxBytes: number, options?: AbortOptions): Promise<Uint8Array> {
  return new Promise<Uint8Array>((resolve, reject) => {
    let settled = false
    let prefix = new Uint8Array(0)
    let length: number | undefined
    let body: Uint8Array | undefined
    let received = 0

    const settle = (err: Error | undefined, frame?: Uint8Array): void => {
      if (settled) return
      settled = true
      // the 'message' listener stays, as a sink: without a listener libp2p
      // queues unread bytes (up to 4 MiB) instead of dropping them
      stream.removeEventListener('close', onClose)
      stream.removeEventListener('end', onEnd)
      options?.signal?.removeEventListener('abort', onAbort)
      if (err != null) reject(err)
      else if (frame != null) resolve(frame)
    }

    const take = (chunk: Uint8Array): void => {
      let offset = 0
      if (length === undefined) {
        const need = Math.min(chunk.length, MAX_VARINT_BYTES - prefix.length)
        const joined = new Uint8Array(prefix.length + need)
        joined.set(prefix, 0)
        joined.set(chunk.subarray(0, need), prefix.length)
        length = frameLength(joined)
        if (length === undefined) {
          prefix = joined
          return
        }
        // bytes of this chunk that belonged to the prefix
        offset = varintSize(joined) - prefix.length
        if (length > maxBytes) throw new TooLargeError(`frame of ${length} bytes is over the limit of ${maxBytes}`)
        body = new Uint8Array(length)
      }
      if (body == null) return
      // bytes past the frame are dropped like any that come later: one frame per direction
      const rest = chunk.subarray(offset, offset + body.length - received)
      body.set(rest, received)
      received += rest.length
      if (received === body.length) settle(undefined, body)
    }

    function onMessage (evt: StreamMessageEvent): void {
      if (settled) return
      try {
        // a list is taken part by part: subarray() would join its parts into a copy, and take() copies them into the frame anyway
        if (evt.data instanceof Uint8Array) take(evt.data)
        else for (const part of evt.data) if (!settled) take(part)
      } catch (err) {
        settle(err as Error)
      }
    }
    function onClose (evt: StreamCloseEvent): void {
      settle(new StreamEndedError(`stream closed before a whole frame arrived${evt.error != null ? `: ${evt.error.message}` : ''}`))
    }
    // 'end' comes once every byte the peer sent has been dispatched to us
    function onEnd (): void {
      settle(new StreamEndedError('stream ended before a whole frame arrived'))
    }
    function onAbort (): void {
      settle(new RequestTimeoutError('no whole frame arrived in time'))
    }

    if (options?.signal?.aborted === true) {
      onAbort()
      return
    }
    stream.addEventListener('message', onMessage)
    stream.addEventListener('close', onClose)
    stream.addEventListener('end', onEnd)
    options?.signal?.addEventListener('abort', onAbort)
    // 'end' fires once only: a stream that already ended will never deliver a frame
    if (stream.readableEnded && stream.readBufferLength === 0) onEnd()
  })
}

/** Bytes used by the (complete) varint at the start of `bytes`. */
function varintSize (bytes: Uint8Array): number {
  let i = 0
  while (i < bytes.length && ((bytes[i] ?? 0) & 0x80) !== 0) i++
  return i + 1
}
