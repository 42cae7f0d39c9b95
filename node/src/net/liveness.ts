import { LIVENESS_FAILURES, LIVENESS_INTERVAL_MS, LIVENESS_TIMEOUT_MS } from './constants.js'
import { ConnectionLostError } from './errors.js'
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

const PING_PROTOCOL = '/ipfs/ping/1.0.0'
const PING_BYTES = 32

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

/** Pings answered per stream before it is closed: libp2p's ping sends one; a few more do no harm. */
const MAX_PINGS_PER_STREAM = 16
/** Streams of the ping protocol a connection may have open at once (libp2p's ping service allows 2). */
const MAX_PING_STREAMS = 2
/** An accepted connection is pinged by us only after this many intervals without a ping from its dialler. */
const QUIET_INTERVALS = 2

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
  private readonly heard = new Map<string, number>()
  private timer?: ReturnType<typeof setInterval>
  private controller = new AbortController()
  /** Pings this service sent and answered, for tests and the field harness. */
  readonly counts = { sent: 0, answered: 0 }

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
  }

  /** The ping protocol's answer: each 32 bytes echoed; the other end's ping counts as hearing from it. */
  private async answer (stream: Stream, connection: Connection): Promise<void> {
    const signal = AbortSignal.any([this.controller.signal, AbortSignal.timeout(this.init.timeoutMs ?? LIVENESS_TIMEOUT_MS)])
    const onAbort = (): void => { stream.abort(new ConnectionLostError('ping not finished in time')) }
    signal.addEventListener('abort', onAbort)
    try {
      let pings = 0
      for await (const chunk of stream) {
        if (stream.status !== 'open' || ++pings > MAX_PINGS_PER_STREAM) break
        this.heard.set(connection.id, Date.now())
        this.counts.answered++
        stream.send(chunk)
      }
      await stream.close({ signal })
    } catch (err) {
      stream.abort(err as Error)
    } finally {
      signal.removeEventListener('abort', onAbort)
    }
  }

  private async check (connection: Connection): Promise<void> {
    const signal = AbortSignal.any([this.controller.signal, AbortSignal.timeout(this.init.timeoutMs ?? LIVENESS_TIMEOUT_MS)])
    try {
      this.counts.sent++
      await pingConnection(connection, signal)
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
