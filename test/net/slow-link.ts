import { createServer, connect, type Server, type Socket } from 'node:net'

/**
 * A TCP proxy on 127.0.0.1 that makes a connection behave like a slow or
 * broken link, for in-process tests of timeouts: every chunk is held `delayMs`
 * in each direction (order kept), optionally throttled to a rate, and `stall()` holds everything until
 * `resume()` (a link that went quiet: TCP stays up, nothing arrives).
 * The field harness (test/field/) does the same to real packets.
 */
export class SlowLink {
  private server?: Server
  private readonly sockets = new Set<Socket>()
  private stalled = false
  private readonly held: Array<() => void> = []
  port = 0

  /** `bytesPerSecond`: a serial line of that rate in each direction (a chunk leaves once the ones before it have). */
  constructor (private readonly target: { host: string, port: number }, private readonly delayMs: number, private readonly bytesPerSecond = Infinity) {}

  async start (): Promise<void> {
    this.server = createServer((inbound) => {
      const outbound = connect(this.target.port, this.target.host)
      this.sockets.add(inbound); this.sockets.add(outbound)
      this.pipe(inbound, outbound)
      this.pipe(outbound, inbound)
      const close = (): void => { inbound.destroy(); outbound.destroy(); this.sockets.delete(inbound); this.sockets.delete(outbound) }
      inbound.on('close', close); outbound.on('close', close)
      inbound.on('error', close); outbound.on('error', close)
    })
    await new Promise<void>((resolve) => { this.server!.listen(0, '127.0.0.1', resolve) })
    const address = this.server.address()
    this.port = typeof address === 'object' && address != null ? address.port : 0
  }

  /** From now on nothing gets through until resume(). */
  stall (): void { this.stalled = true }

  resume (): void {
    this.stalled = false
    for (const release of this.held.splice(0)) release()
  }

  async stop (): Promise<void> {
    for (const socket of this.sockets) socket.destroy()
    this.sockets.clear()
    await new Promise<void>((resolve) => { this.server?.close(() => { resolve() }) ?? resolve() })
  }

  private pipe (from: Socket, to: Socket): void {
    // chunks leave in order, each no earlier than delayMs after it came; a
    // throttled link passes them in packet-sized slices, as a serial line would
    let lastExit = 0
    const slice = Number.isFinite(this.bytesPerSecond) ? 1_400 : Infinity
    from.on('data', (data: Buffer) => {
      for (let offset = 0; offset < data.length; offset += slice) {
        const chunk = data.subarray(offset, offset + slice)
        const exitAt = Math.max(Date.now() + this.delayMs, lastExit) + chunk.length * 1000 / this.bytesPerSecond
        lastExit = exitAt
        const write = (): void => { if (this.stalled) this.held.push(write); else if (!to.destroyed) to.write(chunk) }
        setTimeout(write, exitAt - Date.now())
      }
    })
  }
}
