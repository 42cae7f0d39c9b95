import { createServer, connect, type Server, type Socket } from 'node:net'

/**
 * A TCP man-in-the-middle on loopback: forwards to a target and keeps every
 * byte it saw in both directions, as a network attacker or a relay would.
 */
export interface CaptureProxy {
  port: number
  captured: () => Buffer
  close: () => Promise<void>
}

export async function startCaptureProxy (targetPort: number): Promise<CaptureProxy> {
  const chunks: Buffer[] = []
  const sockets = new Set<Socket>()
  const server: Server = createServer((client) => {
    const upstream = connect(targetPort, '127.0.0.1')
    for (const s of [client, upstream]) { sockets.add(s); s.on('close', () => sockets.delete(s)); s.on('error', () => { client.destroy(); upstream.destroy() }) }
    client.on('data', (d: Buffer) => { chunks.push(Buffer.from(d)); upstream.write(d) })
    upstream.on('data', (d: Buffer) => { chunks.push(Buffer.from(d)); client.write(d) })
    client.on('end', () => upstream.end())
    upstream.on('end', () => client.end())
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  if (typeof address !== 'object' || address == null) throw new Error('proxy has no port')
  return {
    port: address.port,
    captured: () => Buffer.concat(chunks),
    close: async () => {
      for (const s of sockets) s.destroy()
      await new Promise<void>((resolve) => server.close(() => { resolve() }))
    }
  }
}
