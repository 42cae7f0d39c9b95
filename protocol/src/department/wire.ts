import { decodeBounded } from '../codec.js'
import { MalformedInputError } from '../errors.js'
import * as rpc from '../wire/generated/rpc.js'

/**
 * The rpc.proto wrappers as both ends of a department protocol use them: a
 * stream carries one `Request` whose only case is its protocol's own, and
 * one `Response` of the matching case. A handler decodes with decodeRequest,
 * so a request of another protocol's case (or of several) is refused with
 * MalformedInputError before anything looks at it.
 */

export type RequestCase = keyof rpc.Request
export type ResponseCase = Exclude<keyof rpc.Response, 'error'>

export function encodeRequest<K extends RequestCase> (kase: K, value: NonNullable<rpc.Request[K]>): Uint8Array {
  return rpc.Request.encode({ [kase]: value } as Partial<rpc.Request>)
}

/** The one case `kase` of a bounded Request; anything else is a MalformedInputError. */
export function decodeRequest<K extends RequestCase> (bytes: Uint8Array, kase: K, maxBytes: number): NonNullable<rpc.Request[K]> {
  const request = decodeBounded(rpc.Request, bytes, maxBytes, 'request')
  return onlyCase(request, kase, 'request')
}

export function encodeResponse<K extends ResponseCase> (kase: K, value: NonNullable<rpc.Response[K]>): Uint8Array {
  return rpc.Response.encode({ [kase]: value } as Partial<rpc.Response>)
}

/**
 * The one case `kase` of a bounded Response. An `error` case (a node may
 * answer that way as well as with the rpc framing's error status) is thrown
 * as `errorOf` makes it: the client's typed error of that name.
 */
export function decodeResponse<K extends ResponseCase> (bytes: Uint8Array, kase: K, maxBytes: number, errorOf: (name: string, message: string) => Error): NonNullable<rpc.Response[K]> {
  const response = decodeBounded(rpc.Response, bytes, maxBytes, 'response')
  if (response.error != null) throw errorOf(response.error.name, response.error.message)
  return onlyCase(response, kase, 'response')
}

function onlyCase<T extends object, K extends keyof T> (message: T, kase: K, what: string): NonNullable<T[K]> {
  const present = Object.entries(message).filter(([, value]) => value != null).map(([key]) => key)
  const value = message[kase]
  if (value == null || present.length !== 1) {
    throw new MalformedInputError(`${what} must be exactly a ${String(kase)}, not ${present.length === 0 ? 'empty' : present.join(' and ')}`)
  }
  return value
}
