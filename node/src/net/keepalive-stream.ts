import { ConnectionLostError } from './errors.js'
import type { Connection, Stream } from '@libp2p/interface'
import type { Registrar } from '@libp2p/interface-internal'

/**
 * Keep-alive pings on one stream kept open per connection (Node.js to
 * Node.js; docs/field.md, section 6c). A libp2p ping opens a yamux stream,
 * negotiates `/ipfs/ping/1.0.0` with multistream-select, sends 32 bytes and
 * closes the stream: some twenty packets each way for 32 bytes, every 30 s,
 * most of a device's idle bytes on 2G. Here the dialler opens
 * KEEPALIVE_PROTOCOL once and sends each ping on it; the other end echoes
 * what it reads for as long as the stream is open. `@libp2p/ping`'s handler
 * cannot serve this: it aborts every stream after 10 s.
 *
 * A ping is one byte, a counter, not 32 random bytes: the stream is the
 * authenticated, encrypted connection's, a failed ping resets it, so an echo
 * on it can only answer the ping in flight; the counter checks that it does.
 * Yamux and Noise frame a ping alike whatever its length, so 32 bytes would
 * only add 62 to every ping and its echo.
 *
 * Only Node.js registers the protocol. A remote that does not speak it (a
 * browser, an older node) refuses it in negotiation, and the caller falls back
 * to a ping per stream for that connection.
 */

export const KEEPALIVE_PROTOCOL = '/dak/keepalive/1.0.0'
/** One ping, one byte (above). */
export const KEEPALIVE_PING_BYTES = 1
/** One stream per connection; room for a replacement while a failed one is being reset. */
const STREAM_LIMIT = 2

function bytesOf (data: Uint8Array | { subarray: () => Uint8Array }): Uint8Array {
  return data instanceof Uint8Array ? data : data.subarray()
}

/**
 * Answer keep-alive streams: echo every byte back; `heard` learns of each
 * whole ping (the accepting end's liveness service counts them as the
 * dialler's pings).
 */
export async function handleKeepAlive (registrar: Registrar, heard: (connection: Connection) => void): Promise<void> {
  await registrar.handle(KEEPALIVE_PROTOCOL, (stream, connection) => {
    let partial = 0
    stream.addEventListener('message', (evt) => {
      const chunk = bytesOf(evt.data)
      // whole pings only, whatever the chunking
      partial += chunk.length
      while (partial >= KEEPALIVE_PING_BYTES) {
        partial -= KEEPALIVE_PING_BYTES
        heard(connection)
      }
      // yamux buffers what the window does not take; a byte per interval never fills it
      if (stream.writeStatus === 'writable') stream.send(chunk)
    })
    // the dialler ended it (a new connection, or it stopped): end ours too
    stream.addEventListener('remoteCloseWrite', () => {
      stream.close().catch((err: Error) => { stream.abort(err) })
    })
  }, { maxInboundStreams: STREAM_LIMIT, maxOutboundStreams: STREAM_LIMIT, runOnLimitedConnection: true })
}

/**
 * The dialler's end: one long-lived stream on one connection. `ping` sends
 * the next counter byte and waits for it back. Any failure resets the stream (a
 * late echo must not be taken for the next ping's), and the next ping opens
 * a new one.
 */
export class KeepAliveStream {
  private stream?: Stream
  private counter = 0

  constructor (private readonly connection: Connection) {}

  /** Resolves with the round trip in ms. Throws UnsupportedProtocolError (libp2p's) if the remote does not speak the protocol. */
  async ping (signal: AbortSignal): Promise<number> {
    const stream = this.stream ?? await this.open(signal)
    this.counter = this.counter % 255 + 1
    const data = Uint8Array.of(this.counter)
    const started = Date.now()
    try {
      await echoOf(stream, data, signal)
      return Date.now() - started
    } catch (err) {
      this.reset(err as Error)
      throw err
    }
  }

  /** Give the stream up (the connection closed or the service stopped). */
  reset (reason: Error): void {
    const stream = this.stream
    this.stream = undefined
    if (stream !== undefined && stream.status === 'open') stream.abort(reason)
  }

  private async open (signal: AbortSignal): Promise<Stream> {
    const stream = await this.connection.newStream(KEEPALIVE_PROTOCOL, { signal, runOnLimitedConnection: true })
    // the other end closing or resetting it is a failed ping now or a new stream next time
    stream.addEventListener('close', () => { if (this.stream === stream) this.stream = undefined })
    this.stream = stream
    return stream
  }
}

function echoOf (stream: Stream, data: Uint8Array, signal: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let received = 0
    const echo = new Uint8Array(data.length)
    const onMessage = (evt: { data: Uint8Array | { subarray: () => Uint8Array } }): void => {
      const chunk = bytesOf(evt.data)
      const take = Math.min(chunk.length, data.length - received)
      echo.set(chunk.subarray(0, take), received)
      received += take
      if (received < data.length) return
      done()
      if (take === chunk.length && echo.every((b, i) => b === data[i])) resolve()
      else reject(new ConnectionLostError('wrong keep-alive answer'))
    }
    const onClose = (): void => { done(); reject(new ConnectionLostError('keep-alive stream closed before the answer')) }
    const onAbort = (): void => { done(); reject(new ConnectionLostError('no keep-alive answer within the deadline')) }
    const done = (): void => {
      stream.removeEventListener('message', onMessage)
      stream.removeEventListener('close', onClose)
      signal.removeEventListener('abort', onAbort)
    }
    if (signal.aborted) { onAbort(); return }
    stream.addEventListener('message', onMessage)
    stream.addEventListener('close', onClose)
    signal.addEventListener('abort', onAbort)
    stream.send(data)
  })
}
