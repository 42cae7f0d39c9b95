import type { IncomingMessage, ServerOptions } from 'node:http'
import { TokenBuckets, type Rate } from '@dak/node/net'
import { addressKey } from '../node/rate-limit.js'

/**
 * Bounded work for the public web server (THREATS.md, "Flooding or Sybil
 * peer"): slow and half-sent requests time out, and every request (page, API,
 * enrolment) charges a bucket per client (its IPv4 address or IPv6 /64) and
 * one for everyone. docs/department-node.md lists the settings.
 */

export interface HttpLimits {
  /** Requests one client (IPv4 address, IPv6 /64) may make. */
  perAddress: Rate
  /** Requests all clients together may make; past it everyone gets 429 for a moment, the node keeps running. */
  global: Rate
  /** Headers must be in within this (a slowloris sends them a byte at a time). */
  headersTimeoutMs: number
  /** The whole request, body included; a half-sent body is cut off at this. */
  requestTimeoutMs: number
  /** Open connections at once, all clients together. */
  maxConnections: number
}

export const DEFAULT_HTTP_LIMITS: HttpLimits = {
  // A first page load is about thirty files (the build's chunks), a reload a few once the
  // hashed ones are cached; an office behind one NAT address opens the app at once at 9 am.
  // (At 60 and 20/s, 50 reloads a few seconds apart ran out: test/web/browser-reloads.test.ts.)
  perAddress: { capacity: 300, refillPerSecond: 60 },
  global: { capacity: 2_000, refillPerSecond: 500 },
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 15_000,
  maxConnections: 1_024
}

/** Clients (addresses, /64s) tracked at once; the least recent are forgotten first. */
export const MAX_HTTP_CLIENTS = 10_000

/**
 * The request's time limits, as options for http(s).createServer (each server
 * of a port-sharing pair gets them). Node checks them every
 * connectionsCheckingInterval (30 s by default): checked every second here,
 * so a half-sent request is cut off close to its limit.
 */
export function timeoutOptions (limits: HttpLimits): Pick<ServerOptions, 'headersTimeout' | 'requestTimeout' | 'keepAliveTimeout' | 'connectionsCheckingInterval'> {
  return {
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    // an idle keep-alive connection costs a socket; let it go soon
    keepAliveTimeout: 5_000,
    connectionsCheckingInterval: 1_000
  }
}

export type AdmitRequest = (request: IncomingMessage) => boolean

/** A check per request: false when the client, or everyone, is over the rate. */
export function requestAdmission (limits: HttpLimits, now: () => number): AdmitRequest {
  const perClient = new TokenBuckets({ ...limits.perAddress, maxKeys: MAX_HTTP_CLIENTS, now })
  const everyone = new TokenBuckets({ ...limits.global, maxKeys: 1, now })
  return (request) => perClient.take(addressKey(request.socket.remoteAddress)) && everyone.take('')
}
