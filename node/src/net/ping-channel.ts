import { ConnectionLostError } from './errors.js'
import type { Connection, Stream } from '@libp2p/interface'

/**
 * The pinging side of the libp2p ping protocol, on one stream kept open from
 * ping to ping. The protocol allows it (the answering side echoes every 32
 * bytes until the stream closes), and on 2G it is most of a keep-alive's
 * cost saved: a new stream per ping is a yamux open, multistream-select and a
 * close — some twenty frames, each two TCP segments — around 32 bytes
 * (docs/field.md, section 6). A failed or closed stream is dropped and the
 * next ping opens a fresh one.
 */

export const PING_PROTOCOL = '/ipfs/ping/1.0.0'
export const PING_BYTES = 32

interface Waiting {
  data: Uint8Array
  echo: Uint8Array
  received: number
  resolve: () => void
  reject: (err: Error) => void
}

export class PingChannel {
  private stream?: Stream
  private waiting?: Waiting
  /** Streams this channel opened: one for as long as pings keep succeeding. */
  opened = 0

  constructor (private readonly connection: Connection) {}

  /** One ping; resolves with the round trip in ms, rejects (and drops the stream) when no right answer came before `signal`. */
  async ping (signal: AbortSignal): Promise<number> {
    if (this.waiting !== undefined) throw new ConnectionLostError('a ping is already under way on this connection')
    const stream = this.stream ?? await this.open(signal)
    const data = crypto.getRandomValues(new Uint8Array(PING_BYTES))
    const started = Date.now()
    const onAbort = (): void => { this.drop(new ConnectionLostError('no ping answer within the deadline')) }
    try {
      await new Promise<void>((resolve, reject) => {
        this.waiting = { data, echo: new Uint8Array(PING_BYTES), received: 0, resolve, reject }
        signal.addEventListener('abort', onAbort)
        if (signal.aborted) onAbort()
        else stream.send(data)
      })
      return Date.now() - started
    } finally {
      signal.removeEventListener('abort', onAbort)
      this.waiting = undefined
    }
  }

  /** Close the stream (the connection is going, or the service stops). */
  close (): void {
    this.drop(new ConnectionLostError('ping channel closed'))
  }

  private async open (signal: AbortSignal): Promise<Stream> {
    const stream = await this.connection.newStream(PING_PROTOCOL, { signal, runOnLimitedConnection: true })
    this.opened++
    stream.addEventListener('message', (evt) => { this.onData(evt.data instanceof Uint8Array ? evt.data : evt.data.subarray()) })
    stream.addEventListener('close', () => { if (this.stream === stream) this.drop(new ConnectionLostError('ping stream closed before the answer')) })
    this.stream = stream
    return stream
  }

  private onData (chunk: Uint8Array): void {
    const waiting = this.waiting
    if (waiting === undefined) {
      this.drop(new ConnectionLostError('ping answer nobody asked for'))
      return
    }
    const take = Math.min(chunk.length, PING_BYTES - waiting.received)
    waiting.echo.set(chunk.subarray(0, take), waiting.received)
    waiting.received += take
    if (chunk.length > take) {
      this.drop(new ConnectionLostError('ping answer longer than the ping'))
      return
    }
    if (waiting.received < PING_BYTES) return
    if (waiting.echo.every((b, i) => b === waiting.data[i])) waiting.resolve()
    else this.drop(new ConnectionLostError('wrong ping answer'))
  }

  private drop (err: ConnectionLostError): void {
    const stream = this.stream
    this.stream = undefined
    this.waiting?.reject(err)
    stream?.abort(err)
  }
}
