import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { readStaticFile } from './static-files.js'

/** A handler answers one API route; it gets the (bounded) request body. */
export type ApiHandler = (body: Uint8Array, request: IncomingMessage) => Promise<{ status: number, contentType: string, body: Uint8Array | string }>

export interface HttpServerOptions {
  host: string
  port: number
  /** Built web client; absent or missing files give 404 for the page. */
  webRoot?: string
  /** Exact-path routes, e.g. { 'GET /health': ..., 'POST /api/enrol': ... }. */
  routes: Record<string, ApiHandler>
  /** Request bodies above this are refused with 413 before they are read in full. */
  maxBodyBytes: number
}

export interface HttpServer {
  server: Server
  url: string
  close: () => Promise<void>
}

async function readBody (request: IncomingMessage, maxBytes: number): Promise<Uint8Array | undefined> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of request) {
    size += (chunk as Buffer).length
    if (size > maxBytes) return undefined
    chunks.push(chunk as Buffer)
  }
  return new Uint8Array(Buffer.concat(chunks))
}

function send (response: ServerResponse, status: number, contentType: string, body: Uint8Array | string): void {
  response.writeHead(status, { 'content-type': contentType, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' })
  response.end(body)
}

/** The department node's HTTP face: the web client, health, metrics and a few API routes. */
export async function startHttpServer (options: HttpServerOptions): Promise<HttpServer> {
  const server = createServer((request, response) => {
    void (async () => {
      const path = (request.url ?? '/').split('?')[0] ?? '/'
      const route = options.routes[`${request.method ?? 'GET'} ${path}`]
      if (route != null) {
        const body = await readBody(request, options.maxBodyBytes)
        if (body == null) {
          send(response, 413, 'application/json', JSON.stringify({ name: 'TooLargeError', message: `request body over ${options.maxBodyBytes} bytes` }))
          return
        }
        const answer = await route(body, request)
        send(response, answer.status, answer.contentType, answer.body)
        return
      }
      if (request.method !== 'GET' || options.webRoot == null) {
        send(response, 404, 'text/plain', 'not found')
        return
      }
      const file = await readStaticFile(options.webRoot, path)
      if (file == null) send(response, 404, 'text/plain', 'not found')
      else send(response, 200, file.contentType, file.body)
    })().catch((err: unknown) => {
      // A handler bug must not take the node down: answer 500 and carry on.
      if (!response.headersSent) send(response, 500, 'application/json', JSON.stringify({ name: 'InternalError', message: err instanceof Error ? err.message : String(err) }))
      else response.destroy()
    })
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port, options.host, () => { server.off('error', reject); resolve() })
  })
  const address = server.address()
  const port = typeof address === 'object' && address != null ? address.port : options.port
  const host = options.host.includes(':') ? `[${options.host}]` : options.host
  return {
    server,
    url: `http://${host}:${port}/`,
    close: async () => {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => { resolve() }))
    }
  }
}
