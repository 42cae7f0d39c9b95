import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { rpc } from '@dak/protocol'
import { HTTP_ROUTES } from '@dak/protocol/department'

/**
 * A man-in-the-middle on the enrolment path: an HTTP server on loopback that
 * forwards every request to the department node and lets the attacker
 * rewrite the enrolment answer (trust bundle, certificate) on its way back.
 * It sees the request too, so it knows the new device's keys.
 */
export type EnrolmentTamper = (answer: rpc.EnrolResponse, request: rpc.EnrolRequest) => rpc.EnrolResponse
/** Rewrites the node's public info (JSON), e.g. to name the attacker's authority and peer. */
export type InfoTamper = (info: Record<string, unknown>) => Record<string, unknown>

export interface EnrolmentProxy {
  url: string
  /** Enrolment answers it rewrote. */
  tampered: () => number
  /** Enrolment requests that passed through it (each one carries an invite secret). */
  enrolRequests: () => number
  close: () => Promise<void>
}

async function readBody (request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const chunk of request) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks)
}

export async function startEnrolmentProxy (targetUrl: string, tamper: EnrolmentTamper, tamperInfo?: InfoTamper): Promise<EnrolmentProxy> {
  let tampered = 0
  let enrolRequests = 0
  const forward = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const body = await readBody(request)
    if (request.url === HTTP_ROUTES.enrol) enrolRequests++
    const upstream = await fetch(new URL(request.url ?? '/', targetUrl), {
      method: request.method,
      headers: { 'content-type': request.headers['content-type'] ?? 'application/octet-stream' },
      ...(request.method === 'POST' ? { body: new Uint8Array(body) } : {})
    })
    let answer: Uint8Array = new Uint8Array(await upstream.arrayBuffer())
    if (request.url === HTTP_ROUTES.enrol && upstream.ok) {
      answer = rpc.EnrolResponse.encode(tamper(rpc.EnrolResponse.decode(answer), rpc.EnrolRequest.decode(body)))
      tampered++
    }
    if (request.url === HTTP_ROUTES.info && upstream.ok && tamperInfo != null) {
      answer = new TextEncoder().encode(JSON.stringify(tamperInfo(JSON.parse(new TextDecoder().decode(answer)) as Record<string, unknown>)))
    }
    response.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'application/octet-stream' })
    response.end(answer)
  }
  const server: Server = createServer((request, response) => {
    forward(request, response).catch((err: unknown) => {
      response.writeHead(502).end(String(err))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  if (typeof address !== 'object' || address == null) throw new Error('proxy has no port')
  return {
    url: `http://127.0.0.1:${address.port}`,
    tampered: () => tampered,
    enrolRequests: () => enrolRequests,
    close: async () => {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => { resolve() }))
    }
  }
}
