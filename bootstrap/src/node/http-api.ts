import {
  DakError, decodeBounded, fromHex, InvalidArgumentError, WIPE_REPORT_BYTES, InvalidInviteError, InvalidSignatureError, MalformedInputError, RevokedCertificateError,
  rpc, TooLargeError, type SigningKeyPair
} from '@dak/protocol'
import { HTTP_ROUTES, RevocationLists } from '@dak/protocol/department'
import type { IncomingMessage } from 'node:http'
import type { EnrolmentService } from '../enrolment/index.js'
import { DeviceAlreadyEnrolledError, EnrolmentPendingError } from '../enrolment/index.js'
import type { ApiHandler } from '../http/server.js'
import { RateLimitedError } from '../protocols/errors.js'
import type { NodeEvent } from './node-metrics.js'
import { addressKey, type RateLimiter } from './rate-limit.js'

/**
 * The node's public HTTP routes. Enrolment is here, not on libp2p, because a
 * new device (a browser above all) reaches the node's web server before it
 * holds a certificate the gate would accept. Answers are protobuf for the
 * enrolment API, JSON for people and monitoring.
 */

/** An EnrolRequest is a 10-byte secret, two keys (the MLS one ≤ 2,700 bytes) and a signature. */
export const MAX_ENROL_REQUEST_BYTES = 4 * 1024
/** Largest body the public server reads on any route. */
export const MAX_HTTP_BODY_BYTES = 8 * 1024

const PROTOBUF = 'application/x-protobuf'

export interface PublicApiInit {
  enrolment: EnrolmentService
  /** null when the authority is offline: enrolment then records requests for the ceremony. */
  authority: SigningKeyPair | null
  limiter: RateLimiter
  now: () => number
  info: () => Record<string, unknown>
  health: () => Record<string, unknown>
  metrics: () => Promise<string>
  onEnrolled: (certificate: Uint8Array) => void
  count: (event: NodeEvent) => void
  /** The signed revocation lists in force here, this authority's first (what '/dak/revocations/1.0.0' serves). */
  revocationLists: () => Promise<Uint8Array[]>
  /** Remote wipe: the order for a device, and its report (bootstrap/src/wipe). */
  wipes: { orderFor: (deviceKey: Uint8Array) => Promise<Uint8Array | undefined>, reported: (report: Uint8Array) => Promise<unknown> }
}

export function publicRoutes (init: PublicApiInit): Record<string, ApiHandler> {
  const json = (value: unknown, status = 200): Awaited<ReturnType<ApiHandler>> => ({ status, contentType: 'application/json', body: JSON.stringify(value) })
  return {
    [`POST ${HTTP_ROUTES.enrol}`]: async (body, request) => await enrol(init, body, request),
    [`GET ${HTTP_ROUTES.info}`]: async () => json(init.info()),
    // public on purpose: a revoked device cannot pass the libp2p gate, and the lists are signed, so anyone may fetch and check them
    [`GET ${HTTP_ROUTES.revocations}`]: async () => ({ status: 200, contentType: PROTOBUF, body: RevocationLists.encode({ lists: await init.revocationLists() }) }),
    // public like the lists: the order is signed, and a device the gate refuses (revoked) must still get it
    [`GET ${HTTP_ROUTES.wipe}`]: async (_body, request) => await wipeOrder(init, request),
    [`POST ${HTTP_ROUTES.wipeDone}`]: async (body) => {
      try {
        if (body.length !== WIPE_REPORT_BYTES) throw new MalformedInputError(`a wipe report is ${WIPE_REPORT_BYTES} bytes`)
        return json(await init.wipes.reported(body))
      } catch (err) {
        return refusal(err)
      }
    },
    [`GET ${HTTP_ROUTES.health}`]: async () => json(init.health()),
    [`GET ${HTTP_ROUTES.metrics}`]: async () => ({ status: 200, contentType: 'text/plain; version=0.0.4', body: await init.metrics() })
  }
}

async function enrol (init: PublicApiInit, body: Uint8Array, request: IncomingMessage): Promise<Awaited<ReturnType<ApiHandler>>> {
  if (!init.limiter.take(addressKey(request.socket.remoteAddress))) {
    init.count('enrolmentRateLimited')
    return refusal(new RateLimitedError('too many enrolment attempts from this address (or its IPv6 /64); wait a minute'))
  }
  try {
    const enrolRequest = decodeBounded(rpc.EnrolRequest, body, MAX_ENROL_REQUEST_BYTES, 'enrolment request')
    const response = await init.enrolment.enrol(enrolRequest, init.authority, init.now())
    init.onEnrolled(response.certificate)
    init.count('enrolment')
    return { status: 200, contentType: PROTOBUF, body: rpc.EnrolResponse.encode(response) }
  } catch (err) {
    if (!(err instanceof EnrolmentPendingError)) init.count('enrolmentRefused')
    return refusal(err)
  }
}

async function wipeOrder (init: PublicApiInit, request: IncomingMessage): Promise<Awaited<ReturnType<ApiHandler>>> {
  const device = new URL(request.url ?? '/', 'http://node/').searchParams.get('device') ?? ''
  if (!/^[0-9a-f]{64}$/.test(device)) return refusal(new InvalidArgumentError('device must be 64 hex digits'))
  const order = await init.wipes.orderFor(fromHex(device))
  // every answer is no-store (server.ts): an order issued a minute from now is not hidden behind a cached "none"
  return { status: order == null ? 204 : 200, contentType: 'application/octet-stream', body: order ?? new Uint8Array(0) }
}

/** A typed refusal as protobuf ErrorResponse, with the HTTP status that says the same. */
function refusal (err: unknown): Awaited<ReturnType<ApiHandler>> {
  const error = err instanceof DakError ? { name: err.name, message: err.message } : { name: 'InternalError', message: 'the request could not be handled' }
  return { status: statusOf(err), contentType: PROTOBUF, body: rpc.ErrorResponse.encode(error) }
}

function statusOf (err: unknown): number {
  if (err instanceof RateLimitedError) return 429
  // recorded, not refused: the device asks again (409, not 2xx, so no client takes the error body for a certificate)
  if (err instanceof EnrolmentPendingError) return 409
  if (err instanceof TooLargeError) return 413
  if (err instanceof InvalidInviteError) return 403
  if (err instanceof RevokedCertificateError || err instanceof DeviceAlreadyEnrolledError) return 409
  if (err instanceof MalformedInputError || err instanceof InvalidSignatureError || err instanceof InvalidArgumentError) return 400
  return err instanceof DakError ? 400 : 500
}

