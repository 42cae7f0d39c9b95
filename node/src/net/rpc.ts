import { decodeBounded, MalformedInputError, rpc as rpcWire, TooLargeError } from '@dak/protocol'
import { isConnection } from '@libp2p/interface'
import { DEFAULT_MAX_REQUEST_BYTES, DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_RPC_MAX_MS, DEFAULT_RPC_TIMEOUT_MS, MAX_ERROR_MESSAGE_CHARS, MAX_ERROR_NAME_CHARS } from './constants.js'
import { errorFromWire, errorToWire, ConnectionLostError, PeerNotVerifiedError, RequestTimeoutError } from './errors.js'
import { readFrame, writeFrame } from './frames.js'
import { FloodingError, RateLimitedError } from './limit-errors.js'
import { DEFAULT_PROTOCOL_RATE, limitsFor, type ProtocolRate } from './peer-limits.js'
import { progressDeadline } from './progress-deadline.js'
import type { DakError } from '@dak/protocol'
import type { AbortOptions, Connection, DialTarget, Libp2p, PeerId, Stream } from '@libp2p/interface'

/**
 * Request/response for Dak protocols: one stream carries one length-prefixed
 * request and one length-prefixed response, both bounded. The response starts
 * with a status byte: OK then the handler's bytes, or ERROR then an encoded
 * ErrorResponse {name, message} (protocol/src/wire/rpc.proto). A bad request
 * gets a typed error back, never a crash, and the stream is closed.
 */

/** A throttled request is answered only if it arrives at once: we do not wait long on a peer that is over its limit. */
const THROTTLED_TIMEOUT_MS = 1_000

/** Requests of one protocol served at once per connection, unless the protocol says otherwise. */
const DEFAULT_MAX_CONCURRENT = 8
/** libp2p's own stream limit, as a multiple of ours: room for the streams we refuse. */
const STREAM_HEADROOM = 8

const throttled: RequestHandler = () => { throw new RateLimitedError('too many requests; wait a moment and try again') }

const STATUS_OK = 0
const STATUS_ERROR = 1
/** Time to hand over an answer once the request's own time is up. */
const ANSWER_GRACE_MS = 1_000
/** An encoded ErrorResponse of the longest allowed name and message (4 bytes per char worst case) plus tags. */
const MAX_ERROR_RESPONSE_BYTES = 4 * (MAX_ERROR_NAME_CHARS + MAX_ERROR_MESSAGE_CHARS) + 16

export interface RequestContext {
  /** The authenticated peer (Noise), never a claim from the request. */
  peer: PeerId
  connection: Connection
  /** Aborts when the request's time is up. */
  signal: AbortSignal
}

export type RequestHandler = (request: Uint8Array, context: RequestContext) => Uint8Array | Promise<Uint8Array>

export interface Limits {
  maxRequestBytes?: number
  maxResponseBytes?: number
  /** For the whole exchange: reading the request, handling it, writing the answer. */
  timeoutMs?: number
  /** Bytes per send of the answer (frames.ts); larger for bulk answers (file chunks). */
  sliceBytes?: number
}

/** Who may use a protocol: the certificate gate answers this (PeerDirectory implements it). */
export interface VerifiedPeers {
  isVerified: (peer: PeerId) => boolean
  /** Resolves true once the peer is verified, false if it is rejected, leaves, or the signal aborts. */
  whenVerified: (peer: PeerId, options?: AbortOptions) => Promise<boolean>
  /** Hang up on a peer and deny it for a while (PeerDirectory: the gate's deny list); used for a peer that floods. */
  reject?: (peer: PeerId, error: DakError) => void
}

export interface HandleOptions extends Limits {
  /**
   * Serve peers that have not shown a valid certificate. Only for the
   * certificate exchange and enrolment; everything else is for verified peers.
   */
  open?: boolean
  runOnLimitedConnection?: boolean
  /** Concurrent requests per connection for this protocol; more are refused (RateLimitedError) and count against the peer. */
  maxInboundStreams?: number
  /** Requests per peer and for everyone together (token buckets); DEFAULT_PROTOCOL_RATE if absent. */
  rate?: ProtocolRate
}

export interface RequestOptions extends AbortOptions {
  maxResponseBytes?: number
  /** Opening the stream, and then the longest silence while the answer arrives (progress-deadline.ts). */
  timeoutMs?: number
  /** The whole exchange, however steadily the answer arrives. */
  maxMs?: number
  runOnLimitedConnection?: boolean
  /** Bytes per send of the request (frames.ts); larger for bulk uploads (file chunks). */
  sliceBytes?: number
}

export interface Rpc {
  handle: (protocol: string, handler: RequestHandler, options?: HandleOptions) => Promise<void>
  unhandle: (protocol: string) => Promise<void>
  /** Send one request; resolves with the response bytes or rejects with the typed error the peer (or the transport) gave. */
  request: (target: DialTarget | Connection, protocol: string, body: Uint8Array, options?: RequestOptions) => Promise<Uint8Array>
}

export type RpcNode = Pick<Libp2p, 'handle' | 'unhandle' | 'dialProtocol'>

export function createRpc (node: RpcNode, peers: VerifiedPeers): Rpc {
  // shared by every Rpc on the same node (they share its directory): one allowance per peer
  const limits = limitsFor(peers)
  return {
    handle: async (protocol, handler, options = {}) => {
      const admitted: RequestHandler = options.open === true
        ? handler
        : async (request, context) => {
          // a request can race the end of the certificate exchange: wait for it, bounded by the request's time
          if (!peers.isVerified(context.peer) && !(await peers.whenVerified(context.peer, { signal: context.signal }))) {
            throw new PeerNotVerifiedError('this protocol is for peers with a valid certificate')
          }
          return handler(request, context)
        }
      const rate = options.rate ?? DEFAULT_PROTOCOL_RATE
      const maxConcurrent = options.maxInboundStreams ?? DEFAULT_MAX_CONCURRENT
      /** Requests being served per connection: an entry lives only while one is, so the map is bounded by open streams. */
      const serving = new Map<string, number>()
      await node.handle(protocol, async (stream, connection) => {
        // charged before the request is read: a flood costs us a bucket lookup, not a handler
        const peer = connection.remotePeer.toString()
        const busy = serving.get(connection.id) ?? 0
        const verdict = busy >= maxConcurrent ? limits.strike(peer) : limits.admit(peer, protocol, rate)
        if (verdict === 'ok') {
          serving.set(connection.id, busy + 1)
          try {
            await serveRequest(stream, connection, admitted, options)
          } finally {
            const left = (serving.get(connection.id) ?? 1) - 1
            if (left <= 0) serving.delete(connection.id)
            else serving.set(connection.id, left)
          }
          return
        }
        if (verdict === 'cut-off') {
          const error = new FloodingError(`too many requests over the limit on ${protocol}; disconnected`)
          if (peers.reject != null) peers.reject(connection.remotePeer, error)
          else connection.abort(error)
          stream.abort(error)
          return
        }
        await serveRequest(stream, connection, throttled, { ...options, timeoutMs: THROTTLED_TIMEOUT_MS })
      }, {
        runOnLimitedConnection: options.runOnLimitedConnection,
        // libp2p resets streams past its limit before we see them, unanswered and uncounted; we count
        // (and answer) past maxConcurrent ourselves, so its hard limit is well above ours
        maxInboundStreams: maxConcurrent * STREAM_HEADROOM
      })
    },
    unhandle: async (protocol) => { await node.unhandle(protocol) },
    request: async (target, protocol, body, options = {}) => {
      const opening = withTimeout(options.signal, options.timeoutMs ?? DEFAULT_RPC_TIMEOUT_MS)
      const streamOptions = { signal: opening, runOnLimitedConnection: options.runOnLimitedConnection }
      const stream = await (isConnection(target)
        ? target.newStream(protocol, streamOptions)
        : node.dialProtocol(target, protocol, streamOptions)
      ).catch((err: unknown) => { throw asError(err) })
      // the answer has its own, progress-counting deadline, not what is left of the opening's
      return requestOnStream(stream, body, options)
    }
  }
}

/**
 * What a failed dial or stream opening rejected with, as an Error: the
 * WebSocket transport rejects with the socket's `ErrorEvent` (a node that hangs
 * up on the connection), which would reach the officer as "[object Event]".
 */
function asError (err: unknown): Error {
  if (err instanceof Error) return err
  const detail = (err as { message?: unknown, type?: unknown } | null) ?? {}
  const why = typeof detail.message === 'string' && detail.message !== '' ? detail.message : typeof detail.type === 'string' ? `${detail.type} event` : String(err)
  return new ConnectionLostError(`could not open a connection to the peer: ${why}`)
}

/**
 * Serve one request on an incoming stream. Resolves (never rejects) with the
 * error that was sent back, if any, once the answer is on its way: callers such
 * as the certificate gate act on the outcome only after the peer has been told.
 */
export async function serveRequest (stream: Stream, connection: Connection, handler: RequestHandler, limits: Limits = {}): Promise<DakError | undefined> {
  const signal = AbortSignal.timeout(limits.timeoutMs ?? DEFAULT_RPC_TIMEOUT_MS)
  /** Status byte and body, joined only when the frame is made (a megabyte of chunks is not copied twice). */
  let response: Uint8Array[]
  let failure: DakError | undefined
  try {
    const request = await readFrame(stream, limits.maxRequestBytes ?? DEFAULT_MAX_REQUEST_BYTES, { signal })
    const body = await handler(request, { peer: connection.remotePeer, connection, signal })
    const maxResponseBytes = limits.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES
    if (body.length > maxResponseBytes) throw new TooLargeError(`response of ${body.length} bytes is over the limit of ${maxResponseBytes}`)
    response = [Uint8Array.of(STATUS_OK), body]
  } catch (err) {
    const wire = errorToWire(err)
    failure = errorFromWire(wire.name, wire.message)
    response = [Uint8Array.of(STATUS_ERROR), rpcWire.ErrorResponse.encode(wire)]
  }
  // past the deadline the answer still goes out (the peer may be waiting for
  // it, e.g. a PeerNotVerifiedError after waiting for the gate), but briefly
  // in time, a long answer on a slow link has as long as it keeps moving (progress-deadline.ts)
  const writing = signal.aborted ? undefined : progressDeadline(undefined, { idleMs: limits.timeoutMs ?? DEFAULT_RPC_TIMEOUT_MS, maxMs: DEFAULT_RPC_MAX_MS })
  const writeSignal = writing?.signal ?? AbortSignal.timeout(ANSWER_GRACE_MS)
  try {
    await writeFrame(stream, response, { signal: writeSignal, onProgress: writing?.touch, ...(limits.sliceBytes != null ? { sliceBytes: limits.sliceBytes } : {}) })
    await stream.close({ signal: writeSignal })
  } catch (err) {
    stream.abort(err as Error)
    return failure
  } finally {
    writing?.dispose()
  }
  // our half is closed; a peer that keeps its half open past the deadline is cut off
  if (signal.aborted) {
    if (stream.status !== 'closed') stream.abort(new RequestTimeoutError('request was not completed in time'))
  } else if (stream.status !== 'closed') {
    const cutOff = (): void => { stream.abort(new RequestTimeoutError('peer kept the stream open')) }
    signal.addEventListener('abort', cutOff, { once: true })
    stream.addEventListener('close', () => { signal.removeEventListener('abort', cutOff) }, { once: true })
  }
  return failure
}

/** The answer to one request: the handler's bytes, or the typed error the peer sent back. */
export type Answer = { ok: true, body: Uint8Array } | { ok: false, error: DakError }

/** Send one request on an open stream and read the answer. */
export async function requestOnStream (stream: Stream, body: Uint8Array, options: RequestOptions = {}): Promise<Uint8Array> {
  const answer = await exchangeOnStream(stream, body, options)
  if (!answer.ok) throw answer.error
  return answer.body
}

/**
 * Like requestOnStream, but an error response is returned rather than thrown,
 * so a caller can tell "the peer said no" from "the exchange failed" (which
 * still throws: timeout, stream ended, malformed answer).
 */
export async function exchangeOnStream (stream: Stream, body: Uint8Array, options: RequestOptions = {}): Promise<Answer> {
  // a slow link that keeps delivering keeps the request; one silent for timeoutMs loses it
  const deadline = progressDeadline(stream, { idleMs: options.timeoutMs ?? DEFAULT_RPC_TIMEOUT_MS, maxMs: options.maxMs ?? DEFAULT_RPC_MAX_MS, signal: options.signal })
  const signal = deadline.signal
  const maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES
  // listen before writing: a server that refuses early (too large) answers
  // and may reset while our write is still in flight; its answer decides
  const answer = readFrame(stream, 1 + Math.max(maxResponseBytes, MAX_ERROR_RESPONSE_BYTES), { signal })
  const sent = writeFrame(stream, body, { signal, ...(options.sliceBytes != null ? { sliceBytes: options.sliceBytes } : {}) }).then(async () => { await stream.close({ signal }) })
  const [read] = await Promise.allSettled([answer, sent]).finally(deadline.dispose)
  if (read.status === 'rejected') {
    stream.abort(read.reason as Error)
    throw read.reason
  }
  const frame = read.value
  if (frame[0] === STATUS_OK) {
    if (frame.length - 1 > maxResponseBytes) throw new TooLargeError(`response of ${frame.length - 1} bytes is over the limit of ${maxResponseBytes}`)
    return { ok: true, body: frame.subarray(1) }
  }
  if (frame[0] === STATUS_ERROR) {
    const wire = decodeBounded(rpcWire.ErrorResponse, frame.subarray(1), MAX_ERROR_RESPONSE_BYTES, 'error response')
    return { ok: false, error: errorFromWire(wire.name, wire.message) }
  }
  throw new MalformedInputError('response has an unknown status')
}

function withTimeout (signal: AbortSignal | undefined, timeoutMs: number): AbortSignal {
  const timeout = AbortSignal.timeout(timeoutMs)
  return signal == null ? timeout : AbortSignal.any([signal, timeout])
}
