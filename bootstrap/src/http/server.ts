import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http'
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https'
import { createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net'
import { readStaticFile } from './static-files.js'
import { redirectToHttps } from './redirect.js'
import { timeoutOptions, DEFAULT_HTTP_LIMITS, requestAdmission, type AdmitRequest, type HttpLimits } from './limits.js'

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
  /**
   * Serve HTTPS with this certificate. Plain HTTP on the same port then gets
   * only a redirect to https://<publicHost>:<port>/ (never the app, the API or enrolment).
   */
  tls?: { cert: string, key: string, publicHost: string }
  /**
   * Behind a TLS-terminating reverse proxy: a request the proxy marks
   * `X-Forwarded-Proto: http` is redirected to this https:// address.
   */
  proxiedHttpsUrl?: string
  /** Where a failing request handler is reported. */
  onError?: (err: unknown) => void
  /** Rates and time limits; DEFAULT_HTTP_LIMITS where absent. */
  limits?: Partial<HttpLimits>
  now?: () => number
}

export interface HttpServer {
  server: Server | HttpsServer
  url: string
  /** Use a new certificate for new connections; open ones keep theirs. */
  setCertificate: (pem: { cert: string, key: string }) => void
  close: () => Promise<void>
}

async function readBody (request: IncomingMessage, maxBytes: number): Promise<Uint8Array | undefined> {
  // a declared length over the limit is refused before a byte of it is read
  if (Number(request.headers['content-length'] ?? 0) > maxBytes) return undefined
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of request) {
    size += (chunk as Buffer).length
    if (size > maxBytes) return undefined
    chunks.push(chunk as Buffer)
  }
  return new Uint8Array(Buffer.concat(chunks))
}

/** A content-hashed build file may be kept for good; everything else is asked for again each time. */
const IMMUTABLE = 'public, max-age=31536000, immutable'

function send (response: ServerResponse, status: number, contentType: string, body: Uint8Array | string, secure: boolean, cacheControl = 'no-store'): void {
  response.writeHead(status, {
    'content-type': contentType,
    'cache-control': cacheControl,
    'x-content-type-options': 'nosniff',
    // once a browser has seen the node over HTTPS it never tries plain HTTP on this name again
    ...(secure ? { 'strict-transport-security': 'max-age=31536000' } : {})
  })
  response.end(body)
}

function appHandler (options: HttpServerOptions, secure: boolean, admit: AdmitRequest): RequestListener {
  return (request, response) => {
    void (async () => {
      if (!admit(request)) {
        response.setHeader('retry-after', '1')
        send(response, 429, 'application/json', JSON.stringify({ name: 'RateLimitedError', message: 'too many requests; wait a moment' }), secure)
        return
      }
      if (options.proxiedHttpsUrl != null && request.headers['x-forwarded-proto'] === 'http') {
        redirectToHttps(request, response, options.proxiedHttpsUrl)
        return
      }
      const path = (request.url ?? '/').split('?')[0] ?? '/'
      const route = options.routes[`${request.method ?? 'GET'} ${path}`]
      if (route != null) {
        const body = await readBody(request, options.maxBodyBytes)
        if (body == null) {
          send(response, 413, 'application/json', JSON.stringify({ name: 'TooLargeError', message: `request body over ${options.maxBodyBytes} bytes` }), secure)
          return
        }
        const answer = await route(body, request)
        send(response, answer.status, answer.contentType, answer.body, secure)
        return
      }
      if (request.method !== 'GET' || options.webRoot == null) {
        send(response, 404, 'text/plain', 'not found', secure)
        return
      }
      const file = await readStaticFile(options.webRoot, path)
      if (file == null) send(response, 404, 'text/plain', 'not found', secure)
      else send(response, 200, file.contentType, file.body, secure, file.immutable ? IMMUTABLE : 'no-store')
    })().catch((err: unknown) => {
      // A handler bug must not take the node down: answer 500 and carry on.
      options.onError?.(err)
      if (!response.headersSent) send(response, 500, 'application/json', JSON.stringify({ name: 'InternalError', message: err instanceof Error ? err.message : String(err) }), secure)
      else response.destroy()
    })
  }
}

/** A client that opens a connection and sends nothing is let go after this long. */
const FIRST_BYTE_TIMEOUT_MS = 10_000
/** The first byte of every TLS connection: a handshake record. */
const TLS_HANDSHAKE = 0x16

/**
 * One port for HTTPS and the redirect: the first byte tells a TLS
 * handshake from a plain HTTP request (someone typed http://, or no scheme),
 * and the socket is handed to the server that speaks it.
 */
function portSharing (secure: HttpsServer, plain: Server, onError?: (err: unknown) => void): { listener: NetServer, sockets: Set<Socket> } {
  const sockets = new Set<Socket>()
  const listener = createNetServer({ pauseOnConnect: true }, (socket) => {
    sockets.add(socket)
    socket.once('close', () => { sockets.delete(socket) })
    socket.on('error', (err) => { socket.destroy(); if ((err as NodeJS.ErrnoException).code !== 'ECONNRESET') onError?.(err) })
    socket.setTimeout(FIRST_BYTE_TIMEOUT_MS, () => { socket.destroy() })
    const handOver = (): void => {
      const first = socket.read(1) as Buffer | null
      if (first == null) { socket.once('readable', handOver); return }
      socket.setTimeout(0)
      socket.unshift(first)
      ;(first[0] === TLS_HANDSHAKE ? secure : plain).emit('connection', socket)
    }
    handOver()
  })
  return { listener, sockets }
}

async function listen (server: NetServer, port: number, host: string): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => { server.off('error', reject); resolve() })
  })
  const address = server.address()
  return typeof address === 'object' && address != null ? address.port : port
}

const bracketed = (host: string): string => host.includes(':') ? `[${host}]` : host

/** The department node's web face: the web client, enrolment, info, health and metrics; HTTPS when given a certificate. */
export async function startHttpServer (options: HttpServerOptions): Promise<HttpServer> {
  const host = bracketed(options.host)
  const limits = { ...DEFAULT_HTTP_LIMITS, ...options.limits }
  const admit = requestAdmission(limits, options.now ?? Date.now)
  if (options.tls == null) {
    const server = createServer(timeoutOptions(limits), appHandler(options, false, admit))
    server.maxConnections = limits.maxConnections
    const port = await listen(server, options.port, options.host)
    return {
      server,
      url: `http://${host}:${port}/`,
      setCertificate: () => { throw new Error('this server has no TLS') },
      close: async () => {
        server.closeAllConnections()
        await new Promise<void>((resolve) => server.close(() => { resolve() }))
      }
    }
  }
  const tls = options.tls
  const secure = createHttpsServer({ cert: tls.cert, key: tls.key, ...timeoutOptions(limits) }, appHandler(options, true, admit))
  // a failed handshake (a browser that does not trust the CA yet) is the client's business, not an error of the node
  secure.on('tlsClientError', (_err, socket) => { socket.destroy() })
  let httpsUrl = ''
  const plain = createServer(timeoutOptions(limits), (request, response) => { redirectToHttps(request, response, httpsUrl) })
  const { listener, sockets } = portSharing(secure, plain, options.onError)
  listener.maxConnections = limits.maxConnections
  const port = await listen(listener, options.port, options.host)
  httpsUrl = `https://${bracketed(tls.publicHost)}:${port}/`
  return {
    server: secure,
    url: `https://${host}:${port}/`,
    setCertificate: (pem) => { secure.setSecureContext({ cert: pem.cert, key: pem.key }) },
    close: async () => {
      const closed = new Promise<void>((resolve) => listener.close(() => { resolve() }))
      secure.closeAllConnections()
      plain.closeAllConnections()
      for (const socket of sockets) socket.destroy()
      await closed
    }
  }
}
