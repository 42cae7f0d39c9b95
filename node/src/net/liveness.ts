import { LIVENESS_FAILURES, LIVENESS_INTERVAL_MS, LIVENESS_TIMEOUT_MS } from './constants.js'
import { ConnectionLostError } from './errors.js'
import { handleKeepAlive, KEEPALIVE_PROTOCOL, KeepAliveStream } from './keepalive-stream.js'
import type { Connection, Libp2pEvents, Startable, StreamHandler, TypedEventTarget } from '@libp2p/interface'
import type { ConnectionManager, Registrar } from '@libp2p/interface-internal'

/**
 * A patient keep-alive: every open connection is pinged (the libp2p ping
 * protocol, answered by the ping service) once per interval, and aborted only
 * after `failures` pings in a row failed. Replaces libp2p's connection
 * monitor, which gave up after one (constants.ts, LIVENESS_*, says why).
 *
 * With `acceptedWhenQuiet` (Node.js: devices and department nodes) one end
 * keeps a connection alive, not both (docs/field.md, section 6: idle bytes on
 * 2G): the dialler pings every interval; the end that accepted the connection
 * pings only when no ping has come from the other end for QUIET_INTERVALS
 * intervals — a dialler that stopped pinging, or one that is gone. It hears
 * those pings through `pingHeard` (libp2p-common.ts wraps the ping service's
 * handler; the ping service still answers them). The dialler sends its pings
 * on one stream kept open per connection (keepalive-stream.ts), not a new
 * stream each; a remote that does not speak that protocol is pinged the old
 * way. That stream is opened, with a first ping, as soon as the connection
 * opens, among the set-up's own traffic, so an idle connection carries only
 * the one-byte pings. Browsers do the same since their connection monitor
 * went (websocket-reset.ts): a first attempt beside the monitor broke
 * browser-to-browser WebRTC, and the cause was not found (docs/field.md, section 10).
 */

const PING_PROTOCOL = '/ipfs/ping/1.0.0'
const PING_BYTES = 32

export interface LivenessInit {
  intervalMs?: number
  timeoutMs?: number
  failures?: number
  /** Ping an accepted connection only when its dialler has not pinged for a while (see above). */
  acceptedWhenQuiet?: boolean
  /** Told about each connection given up, for logs and tests. */
  onLost?: (connection: Connection, error: ConnectionLostError) => void
}

export interface LivenessComponents {
  connectionManager: ConnectionManager
  registrar: Registrar
  events: TypedEventTarget<Libp2pEvents>
}

/** An accepted connection is pinged by us only after this many intervals without a ping from the other end. */
export const QUIET_INTERVALS = 2

/**
 * The registrar as the ping service should see it: its handler, wrapped so
 * that `heard` learns of every ping stream the other end opens before the
 * service answers it as always.
 */
export function pingHeard (registrar: Registrar, heard: (connection: Connection) => void): Registrar {
  return Object.create(registrar, {
    handle: {
      value: async (protocol: string, handler: StreamHandler, options?: Parameters<Registrar['handle']>[2]) => {
        const wrapped: StreamHandler = (stream, connection) => {
          heard(connection)
          return handler(stream, connection)
        }
        await registrar.handle(protocol, wrapped, options)
      }
    }
  }) as Registrar
}

/** One ping on its own stream; resolves with the round trip in ms. */
export async function pingConnection (connection: Connection, signal: AbortSignal): Promise<number> {
  const stream = await connection.newStream(PING_PROTOCOL, { signal, runOnLimitedConnection: true })
  const data = crypto.getRandomValues(new Uint8Array(PING_BYTES))
  const started = Date.now()
  try {
    await new Promise<void>((resolve, reject) => {
      let received = 0
      const echo = new Uint8Array(PING_BYTES)
      const onMessage = (evt: { data: Uint8Array | { subarray: () => Uint8Array } }): void => {
        const chunk = evt.data instanceof Uint8Array ? evt.data : evt.data.subarray()
        echo.set(chunk.subarray(0, PING_BYTES - received), received)
        received += Math.min(chunk.length, PING_BYTES - received)
        if (received < PING_BYTES) return
        done()
        if (echo.every((b, i) => b === data[i])) resolve()
        else reject(new ConnectionLostError('wrong ping answer'))
      }
      const onClose = (): void => { done(); reject(new ConnectionLostError('ping stream closed before the answer')) }
      const onAbort = (): void => { done(); reject(new ConnectionLostError(`no ping answer within the deadline`)) }
      const done = (): void => {
        stream.removeEventListener('message', onMessage)
        stream.removeEventListener('close', onClose)
        signal.removeEventListener('abort', onAbort)
      }
      stream.addEventListener('message', onMessage)
      stream.addEventListener('close', onClose)
      signal.addEventListener('abort', onAbort)
      stream.send(data)
    })
    return Date.now() - started
  } finally {
    await stream.close({ signal }).catch(() => { stream.abort(new ConnectionLostError('ping stream not closed in time')) })
  }
}

export class Liveness implements Startable {
  readonly [Symbol.toStringTag] = 'dak/liveness'
  /** Connection id → pings failed in a row. */
  private readonly failed = new Map<string, number>()
  private readonly inFlight = new Set<string>()
  /** Connection id → when the other end last pinged us. */
  private readonly lastHeard = new Map<string, number>()
  /** Connection id → its long-lived keep-alive stream (dialled Node.js connections). */
  private readonly streams = new Map<string, KeepAliveStream>()
  /** Connections whose remote refused KEEPALIVE_PROTOCOL: pinged a stream at a time. */
  private readonly oldStyle = new Set<string>()
  private timer?: ReturnType<typeof setInterval>
  private controller = new AbortController()
  /** Pings this service sent, and pings the other ends sent it (for tests and the field harness). */
  readonly counts = { sent: 0, heard: 0 }

  constructor (private readonly components: LivenessComponents, private readonly init: LivenessInit = {}) {}

  async start (): Promise<void> {
    this.controller = new AbortController()
    if (this.init.acceptedWhenQuiet === true) {
      await handleKeepAlive(this.components.registrar, (connection) => { this.heard(connection) })
      this.components.events.addEventListener('connection:open', this.onOpen)
    }
    this.timer = setInterval(() => { this.round() }, this.interval)
  }

  async stop (): Promise<void> {
    clearInterval(this.timer)
    this.components.events.removeEventListener('connection:open', this.onOpen)
    this.controller.abort()
    for (const stream of this.streams.values()) stream.reset(new ConnectionLostError('keep-alive stopped'))
    this.streams.clear()
    this.oldStyle.clear()
    this.failed.clear()
    this.lastHeard.clear()
    if (this.init.acceptedWhenQuiet === true) await this.components.registrar.unhandle(KEEPALIVE_PROTOCOL)
  }

  /** A connection we dialled: open its keep-alive stream now, with the set-up's traffic, not in the first idle interval. */
  private readonly onOpen = (evt: CustomEvent<Connection>): void => {
    const connection = evt.detail
    if (connection.direction !== 'outbound' || this.inFlight.has(connection.id)) return
    this.inFlight.add(connection.id)
    void this.check(connection).finally(() => { this.inFlight.delete(connection.id) })
  }

  /** The other end of `connection` pinged us (the ping service answers it). */
  heard (connection: Connection): void {
    this.counts.heard++
    this.lastHeard.set(connection.id, Date.now())
  }

  private get interval (): number {
    return this.init.intervalMs ?? LIVENESS_INTERVAL_MS
  }

  private round (): void {
    const open = new Set<string>()
    const now = Date.now()
    for (const connection of this.components.connectionManager.getConnections()) {
      open.add(connection.id)
      if (connection.status !== 'open' || this.inFlight.has(connection.id)) continue
      if (this.init.acceptedWhenQuiet === true && connection.direction === 'inbound') {
        // the dialler keeps it alive; we check only a connection it has left quiet
        const since = this.lastHeard.get(connection.id) ?? connection.timeline.open
        if (now - since < QUIET_INTERVALS * this.interval) continue
      }
      this.inFlight.add(connection.id)
      void this.check(connection).finally(() => { this.inFlight.delete(connection.id) })
    }
    for (const id of this.failed.keys()) if (!open.has(id)) this.failed.delete(id)
    for (const id of this.lastHeard.keys()) if (!open.has(id)) this.lastHeard.delete(id)
    for (const id of this.oldStyle) if (!open.has(id)) this.oldStyle.delete(id)
    for (const [id, stream] of this.streams) {
      if (!open.has(id)) { stream.reset(new ConnectionLostError('connection closed')); this.streams.delete(id) }
    }
  }

  /** One ping: on the connection's keep-alive stream where it has one, else on a stream of its own. */
  private async ping (connection: Connection, signal: AbortSignal): Promise<number> {
    const longLived = this.init.acceptedWhenQuiet === true && connection.direction === 'outbound' && !this.oldStyle.has(connection.id)
    if (!longLived) return pingConnection(connection, signal)
    let stream = this.streams.get(connection.id)
    if (stream === undefined) {
      stream = new KeepAliveStream(connection)
      this.streams.set(connection.id, stream)
    }
    try {
      return await stream.ping(signal)
    } catch (err) {
      if ((err as Error).name !== 'UnsupportedProtocolError') throw err
      // a browser or an older node: the ping protocol everyone speaks, from now on
      this.streams.delete(connection.id)
      this.oldStyle.add(connection.id)
      return pingConnection(connection, signal)
    }
  }

  private async check (connection: Connection): Promise<void> {
    const signal = AbortSignal.any([this.controller.signal, AbortSignal.timeout(this.init.timeoutMs ?? LIVENESS_TIMEOUT_MS)])
    try {
      this.counts.sent++
      await this.ping(connection, signal)
      this.failed.delete(connection.id)
    } catch (err) {
      if (this.controller.signal.aborted || connection.status !== 'open') return
      const count = (this.failed.get(connection.id) ?? 0) + 1
      this.failed.set(connection.id, count)
      const allowed = this.init.failures ?? LIVENESS_FAILURES
      if (count < allowed) return
      this.failed.delete(connection.id)
      const error = new ConnectionLostError(`${count} keep-alive pings in a row failed (last: ${(err as Error).message})`)
      this.init.onLost?.(connection, error)
      connection.abort(error)
    }
  }
}

export function liveness (init: LivenessInit = {}): (components: LivenessComponents) => Liveness {
  return (components) => new Liveness(components, init)
}
