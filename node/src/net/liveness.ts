import { LIVENESS_FAILURES, LIVENESS_INTERVAL_MS, LIVENESS_TIMEOUT_MS } from './constants.js'
import { ConnectionLostError } from './errors.js'
import { PING_PROTOCOL, PingChannel } from './ping-channel.js'
import type { Connection, Startable, Stream } from '@libp2p/interface'
import type { ConnectionManager, Registrar } from '@libp2p/interface-internal'

/**
 * A patient keep-alive: connections are pinged (the libp2p ping protocol) once
 * per interval, and aborted only after `failures` pings in a row failed.
 * Replaces libp2p's connection monitor, which gave up after one
 * (constants.ts, LIVENESS_*, says why).
 *
 * One end pings, not both (docs/field.md, section 6: idle bytes on 2G): the
 * dialler pings every interval; the end that accepted the connection answers
 * those pings itself (this service is the ping responder, in place of
 * @libp2p/ping) and pings only when none has come for two intervals — a
 * dialler that stopped pinging, or one that is gone. A browser's libp2p
 * connection monitor pings with the same protocol, and counts too.
 */

export interface LivenessInit {
  intervalMs?: number
  timeoutMs?: number
  failures?: number
  /** Told about each connection given up, for logs and tests. */
  onLost?: (connection: Connection, error: ConnectionLostError) => void
}

export interface LivenessComponents {
  connectionManager: ConnectionManager
  registrar: Registrar
}

/**
 * Pings answered on one stream within PING_WINDOW_MS before it is closed: a
 * keep-alive pings every half minute and libp2p's connection monitor (the
 * browser's) every ten seconds; a peer echoing faster is only costing us bytes.
 */
const MAX_PINGS_PER_WINDOW = 10
const PING_WINDOW_MS = 10_000
/** Ping streams a connection may have open at once: our long-lived one, and a monitor's short ones overlapping. */
const MAX_PING_STREAMS = 4
/** An accepted connection is pinged by us only after this many intervals without a ping from its dialler. */
const QUIET_INTERVALS = 2

export class Liveness implements Startable {
  readonly [Symbol.toStringTag] = 'dak/liveness'
  /** Connection id → pings failed in a row. */
  private readonly failed = new Map<string, number>()
  private readonly inFlight = new Set<string>()
  /** Connection id → when the other end last pinged us. */
  private readonly heard = new Map<string, number>()
  /** Connection id → the stream we ping it on, kept open between pings. */
  private readonly channels = new Map<string, PingChannel>()
  private timer?: ReturnType<typeof setInterval>
  private controller = new AbortController()
  /** Pings this service sent and answered, for tests and the field harness. */
  readonly counts = { sent: 0, answered: 0 }

  /** Ping streams this service opened, all connections together: one per connection while pings succeed. */
  get streamsOpened (): number {
    return [...this.channels.values()].reduce((sum, c) => sum + c.opened, 0)
  }

  constructor (private readonly components: LivenessComponents, private readonly init: LivenessInit = {}) {}

  async start (): Promise<void> {
    this.controller = new AbortController()
    await this.components.registrar.handle(PING_PROTOCOL, (stream, connection) => { void this.answer(stream, connection) }, {
      maxInboundStreams: MAX_PING_STREAMS,
      maxOutboundStreams: MAX_PING_STREAMS,
      runOnLimitedConnection: true
    })
    this.timer = setInterval(() => { this.round() }, this.interval)
  }

  async stop (): Promise<void> {
    clearInterval(this.timer)
    this.controller.abort()
    this.failed.clear()
    this.heard.clear()
    for (const channel of this.channels.values()) channel.close()
    this.channels.clear()
    await this.components.registrar.unhandle(PING_PROTOCOL)
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
      // the dialler keeps the connection alive; an accepting end checks only a quiet one
      const lastHeard = this.heard.get(connection.id) ?? connection.timeline.open
      if (connection.direction === 'inbound' && now - lastHeard < QUIET_INTERVALS * this.interval) continue
      this.inFlight.add(connection.id)
      void this.check(connection).finally(() => { this.inFlight.delete(connection.id) })
    }
    for (const id of this.failed.keys()) if (!open.has(id)) this.failed.delete(id)
    for (const id of this.heard.keys()) if (!open.has(id)) this.heard.delete(id)
    for (const [id, channel] of this.channels) if (!open.has(id)) { channel.close(); this.channels.delete(id) }
  }

  /**
   * The ping protocol's answer: what arrives is echoed, for as long as the
   * stream stays open (a keep-alive keeps one open), at a bounded rate. The
   * other end's ping counts as hearing from it.
   */
  private async answer (stream: Stream, connection: Connection): Promise<void> {
    const onStop = (): void => { stream.abort(new ConnectionLostError('keep-alive stopped')) }
    this.controller.signal.addEventListener('abort', onStop)
    try {
      let windowStart = Date.now()
      let inWindow = 0
      for await (const chunk of stream) {
        if (stream.status !== 'open') break
        const now = Date.now()
        if (now - windowStart > PING_WINDOW_MS) { windowStart = now; inWindow = 0 }
        if (++inWindow > MAX_PINGS_PER_WINDOW) break
        this.heard.set(connection.id, now)
        this.counts.answered++
        stream.send(chunk)
      }
      await stream.close({ signal: AbortSignal.timeout(this.init.timeoutMs ?? LIVENESS_TIMEOUT_MS) })
    } catch (err) {
      stream.abort(err as Error)
    } finally {
      this.controller.signal.removeEventListener('abort', onStop)
    }
  }

  private async check (connection: Connection): Promise<void> {
    const signal = AbortSignal.any([this.controller.signal, AbortSignal.timeout(this.init.timeoutMs ?? LIVENESS_TIMEOUT_MS)])
    try {
      this.counts.sent++
      let channel = this.channels.get(connection.id)
      if (channel === undefined) this.channels.set(connection.id, channel = new PingChannel(connection))
      await channel.ping(signal)
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
