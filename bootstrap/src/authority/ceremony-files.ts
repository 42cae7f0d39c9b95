import { InvalidArgumentError, MalformedInputError } from '@dak/protocol'
import type { CertificateRequest } from './certificate-requests.js'

/**
 * The two files of the offline signing ceremony (docs/department-node.md,
 * "Offline authority"). JSON, so the administrator can read what is about
 * to be signed; every field is checked on reading, since the requests file
 * crosses from the networked node to the offline machine.
 */

export const REQUESTS_FORMAT = 'dak-certificate-requests/1'
export const SIGNED_FORMAT = 'dak-signed-certificates/1'

/** The node's own certificate is renewed by the same ceremony. */
export interface NodeCertificateRequest {
  nodePublicKey: string
  departmentName: string
  validityDays: number
}

/** The next revocation list: its serial and every device it must name (hex keys). */
export interface RevocationRequest {
  serial: number
  devices: string[]
}

export interface RequestsFile {
  format: typeof REQUESTS_FORMAT
  department: string
  authorityPublicKey: string
  requests: CertificateRequest[]
  node: NodeCertificateRequest
  revocation?: RevocationRequest
}

export interface SignedFile {
  format: typeof SIGNED_FORMAT
  authorityPublicKey: string
  /** hex of each signed device certificate */
  certificates: string[]
  /** hex of the node's new certificate */
  node?: string
  /** hex of the signed revocation list */
  revocationList?: string
}

const HEX = /^[0-9a-f]*$/
const MAX_REQUESTS = 10_000

function hexField (value: unknown, what: string, bytes?: number): string {
  if (typeof value !== 'string' || !HEX.test(value) || value.length % 2 !== 0) throw new MalformedInputError(`${what} is not lower-case hex`)
  if (bytes != null && value.length !== bytes * 2) throw new MalformedInputError(`${what} is not ${bytes} bytes`)
  return value
}

function stringField (value: unknown, what: string): string {
  if (typeof value !== 'string') throw new MalformedInputError(`${what} is not a string`)
  return value
}

function numberField (value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) throw new MalformedInputError(`${what} is not a whole number`)
  return value
}

function parse (text: string, what: string): Record<string, unknown> {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    throw new MalformedInputError(`${what} is not JSON`)
  }
  if (json == null || typeof json !== 'object') throw new MalformedInputError(`${what} is not a JSON object`)
  return json as Record<string, unknown>
}

export function parseRequestsFile (text: string): RequestsFile {
  const json = parse(text, 'the requests file')
  if (json.format !== REQUESTS_FORMAT) throw new InvalidArgumentError(`not a requests file (format ${String(json.format)}, expected ${REQUESTS_FORMAT})`)
  if (!Array.isArray(json.requests) || json.requests.length > MAX_REQUESTS) throw new MalformedInputError('requests is not a list (of at most 10,000)')
  const node = json.node as Record<string, unknown> | undefined
  if (node == null || typeof node !== 'object') throw new MalformedInputError('the node\'s request is missing')
  return {
    format: REQUESTS_FORMAT,
    department: stringField(json.department, 'department'),
    authorityPublicKey: hexField(json.authorityPublicKey, 'authorityPublicKey', 32),
    requests: (json.requests as Array<Record<string, unknown>>).map((r, i) => ({
      deviceKey: hexField(r.deviceKey, `request ${i}: deviceKey`, 32),
      mlsKey: hexField(r.mlsKey, `request ${i}: mlsKey`),
      handle: stringField(r.handle, `request ${i}: handle`),
      displayName: stringField(r.displayName, `request ${i}: displayName`),
      title: stringField(r.title, `request ${i}: title`),
      department: stringField(r.department, `request ${i}: department`),
      serial: numberField(r.serial, `request ${i}: serial`),
      requestedAt: numberField(r.requestedAt, `request ${i}: requestedAt`),
      validityDays: numberField(r.validityDays, `request ${i}: validityDays`)
    })),
    node: {
      nodePublicKey: hexField(node.nodePublicKey, 'node.nodePublicKey', 32),
      departmentName: stringField(node.departmentName, 'node.departmentName'),
      validityDays: numberField(node.validityDays, 'node.validityDays')
    },
    ...(json.revocation == null ? {} : { revocation: revocationOf(json.revocation) })
  }
}

function revocationOf (value: unknown): RevocationRequest {
  const r = value as Record<string, unknown>
  if (r == null || typeof r !== 'object' || !Array.isArray(r.devices) || r.devices.length > 65_536) throw new MalformedInputError('revocation is not { serial, devices }')
  return { serial: numberField(r.serial, 'revocation.serial'), devices: (r.devices as unknown[]).map((d, i) => hexField(d, `revocation device ${i}`, 32)) }
}

export function parseSignedFile (text: string): SignedFile {
  const json = parse(text, 'the signed file')
  if (json.format !== SIGNED_FORMAT) throw new InvalidArgumentError(`not a signed-certificates file (format ${String(json.format)}, expected ${SIGNED_FORMAT})`)
  if (!Array.isArray(json.certificates) || json.certificates.length > MAX_REQUESTS) throw new MalformedInputError('certificates is not a list (of at most 10,000)')
  return {
    format: SIGNED_FORMAT,
    authorityPublicKey: hexField(json.authorityPublicKey, 'authorityPublicKey', 32),
    certificates: (json.certificates as unknown[]).map((c, i) => hexField(c, `certificate ${i}`)),
    ...(json.node == null ? {} : { node: hexField(json.node, 'node') }),
    ...(json.revocationList == null ? {} : { revocationList: hexField(json.revocationList, 'revocationList') })
  }
}
