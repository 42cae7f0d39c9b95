import {
  bytesEqual, createEnrolRequest, decodeBounded, fromHex, InvalidArgumentError, MalformedInputError, RevocationState, rpc, TooLargeError,
  toHex, TrustStore, verifyCertificate, WIPE_ORDER_BYTES, type Certificate, type SigningKeyPair
} from '@dak/protocol'
import { departmentErrorFromWire as errorFromWire } from './errors.js'
import { decodeRevocationLists, HTTP_ROUTES, MAX_ENROL_RESPONSE_BYTES, MAX_NODE_INFO_BYTES, PROTOCOL_LIMITS } from '@dak/protocol/department'

/**
 * The department node's HTTP face as a device sees it before it holds a
 * certificate: enrolment (protobuf over POST) and the node's public info.
 * Uses fetch, so the browser and Node.js share it. Answers are size-bounded
 * and checked: a certificate is only returned if it verifies against the
 * bundle that came with it and certifies exactly this device's keys.
 */

export interface HttpOptions {
  signal?: AbortSignal
  fetch?: typeof globalThis.fetch
  /** ms since epoch, to check the new certificate's validity; injected for tests. */
  now?: number
}

export interface Enrolment {
  certificate: Certificate
  /** Encoded TrustBundle: the authorities this device should trust from now on. */
  trustBundle: Uint8Array
  /** Signed revocation lists in force at the node. */
  revocationLists: Uint8Array[]
}

export interface NodeInfo {
  department: string
  departmentName: string
  /** Hex of the department authority's Ed25519 key. */
  authorityPublicKey: string
  /** The node's peer id (its certificate's device key). */
  peerId: string
  /** Every multiaddr the node listens on, with /p2p/<peer id>. */
  multiaddrs: string[]
  /** The ones a browser can dial: WebSockets and WebRTC-Direct. */
  browserMultiaddrs: string[]
  /** Disappearing messages: the department's maximum retention of a message on a device, in ms; absent when none. */
  maxMessageMs?: number
}

export async function enrolOverHttp (baseUrl: string, inviteSecret: Uint8Array, device: SigningKeyPair, mlsSignaturePublicKey: Uint8Array, options: HttpOptions = {}): Promise<Enrolment> {
  const request = rpc.EnrolRequest.encode(createEnrolRequest(device, inviteSecret, mlsSignaturePublicKey))
  const response = await (options.fetch ?? fetch)(routeUrl(baseUrl, HTTP_ROUTES.enrol), {
    method: 'POST',
    headers: { 'content-type': 'application/x-protobuf' },
    // a copy on its own ArrayBuffer: what fetch's BodyInit accepts
    body: new Uint8Array(request),
    signal: options.signal
  })
  const body = await readBounded(response, MAX_ENROL_RESPONSE_BYTES)
  if (!response.ok) throw refusal(response, body)
  const answer = decodeBounded(rpc.EnrolResponse, body, MAX_ENROL_RESPONSE_BYTES, 'enrolment response')
  const trust = TrustStore.decode(answer.trustBundle)
  const certificate = verifyCertificate(answer.certificate, { trust, revocations: new RevocationState(), now: options.now ?? Date.now() })
  if (!bytesEqual(certificate.devicePublicKey, device.publicKey) || !bytesEqual(certificate.mlsSignatureKey, mlsSignaturePublicKey)) {
    throw new MalformedInputError('the node certified other keys than this device\'s')
  }
  return { certificate, trustBundle: answer.trustBundle, revocationLists: answer.revocationLists }
}

export async function fetchNodeInfo (baseUrl: string, options: HttpOptions = {}): Promise<NodeInfo> {
  const response = await (options.fetch ?? fetch)(routeUrl(baseUrl, HTTP_ROUTES.info), { signal: options.signal })
  const body = await readBounded(response, MAX_NODE_INFO_BYTES)
  if (!response.ok) throw refusal(response, body)
  let json: unknown
  try {
    json = JSON.parse(new TextDecoder().decode(body))
  } catch {
    throw new MalformedInputError('node info is not JSON')
  }
  return checkNodeInfo(json)
}

/**
 * The signed revocation lists in force at the node, over HTTP: the way a device
 * the node refuses on libp2p can still learn why. Unverified bytes: accept them
 * into a RevocationState (which checks each signature) before believing any.
 */
export async function fetchRevocationLists (baseUrl: string, options: HttpOptions = {}): Promise<Uint8Array[]> {
  const response = await (options.fetch ?? fetch)(routeUrl(baseUrl, HTTP_ROUTES.revocations), { signal: options.signal })
  const body = await readBounded(response, PROTOCOL_LIMITS.revocations.maxResponseBytes)
  if (!response.ok) throw refusal(response, body)
  return decodeRevocationLists(body)
}

/**
 * The department authority's wipe order for this device, if the node holds
 * one (undefined on 204). Unverified bytes: only verifyWipeOrderFor says
 * whether to obey them.
 */
export async function fetchWipeOrder (baseUrl: string, deviceKey: Uint8Array, options: HttpOptions = {}): Promise<Uint8Array | undefined> {
  const url = new URL(routeUrl(baseUrl, HTTP_ROUTES.wipe))
  url.searchParams.set('device', toHex(deviceKey))
  const response = await (options.fetch ?? fetch)(url.href, { signal: options.signal })
  const body = await readBounded(response, WIPE_ORDER_BYTES)
  if (!response.ok) throw refusal(response, body)
  return response.status === 204 || body.length === 0 ? undefined : body
}

/** Hand the node this device's signed report that it obeyed its wipe order. */
export async function sendWipeReport (baseUrl: string, report: Uint8Array, options: HttpOptions = {}): Promise<void> {
  const response = await (options.fetch ?? fetch)(routeUrl(baseUrl, HTTP_ROUTES.wipeDone), {
    method: 'POST',
    headers: { 'content-type': 'application/octet-stream' },
    body: new Uint8Array(report),
    signal: options.signal
  })
  const body = await readBounded(response, 4096)
  if (!response.ok) throw refusal(response, body)
}

function checkNodeInfo (json: unknown): NodeInfo {
  if (typeof json !== 'object' || json == null) throw new MalformedInputError('node info is not an object')
  const o = json as Record<string, unknown>
  const text = (key: string): string => {
    const value = o[key]
    if (typeof value !== 'string' || value.length === 0 || value.length > 1024) throw new MalformedInputError(`node info: ${key} is missing`)
    return value
  }
  const list = (key: string): string[] => {
    const value = o[key]
    if (!Array.isArray(value) || value.length > 64 || !value.every(v => typeof v === 'string' && v.length <= 1024)) throw new MalformedInputError(`node info: ${key} is not a list of addresses`)
    return value as string[]
  }
  const info: NodeInfo = {
    department: text('department'),
    departmentName: text('departmentName'),
    authorityPublicKey: text('authorityPublicKey'),
    peerId: text('peerId'),
    multiaddrs: list('multiaddrs'),
    browserMultiaddrs: list('browserMultiaddrs')
  }
  const maxMessageMs = o.maxMessageMs
  if (maxMessageMs !== undefined) {
    if (typeof maxMessageMs !== 'number' || !Number.isSafeInteger(maxMessageMs) || maxMessageMs < 1) throw new MalformedInputError('node info: maxMessageMs is not a positive whole number of ms')
    info.maxMessageMs = maxMessageMs
  }
  try {
    if (fromHex(info.authorityPublicKey).length !== 32) throw new Error('length')
  } catch {
    throw new MalformedInputError('node info: authority key is not 32 bytes of hex')
  }
  return info
}

function routeUrl (baseUrl: string, route: string): string {
  try {
    return new URL(route, baseUrl).href
  } catch {
    throw new InvalidArgumentError(`not a URL: ${baseUrl}`)
  }
}

/** The node's refusal as its typed error: protobuf ErrorResponse or JSON { name, message }. */
function refusal (response: Response, body: Uint8Array): Error {
  const type = response.headers.get('content-type') ?? ''
  try {
    if (type.includes('protobuf')) {
      const error = decodeBounded(rpc.ErrorResponse, body, 4096, 'error response')
      return errorFromWire(error.name, error.message)
    }
    if (type.includes('json')) {
      const error = JSON.parse(new TextDecoder().decode(body)) as { name?: unknown, message?: unknown }
      if (typeof error.name === 'string' && typeof error.message === 'string') return errorFromWire(error.name, error.message)
    }
  } catch {
    // not a Dak error answer: fall through to the status
  }
  return errorFromWire('HttpError', `the node answered ${response.status} ${response.statusText}`)
}

/** The body, read chunk by chunk so a server cannot make us hold more than `maxBytes`. */
async function readBounded (response: Response, maxBytes: number): Promise<Uint8Array> {
  const declared = Number(response.headers.get('content-length') ?? '0')
  if (declared > maxBytes) throw new TooLargeError(`answer of ${declared} bytes is over the limit of ${maxBytes}`)
  if (response.body == null) return new Uint8Array(0)
  const reader = response.body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    size += value.length
    if (size > maxBytes) {
      await reader.cancel()
      throw new TooLargeError(`answer is over the limit of ${maxBytes} bytes`)
    }
    chunks.push(value)
  }
  const out = new Uint8Array(size)
  let offset = 0
  for (const chunk of chunks) { out.set(chunk, offset); offset += chunk.length }
  return out
}
