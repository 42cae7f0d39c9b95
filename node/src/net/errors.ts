import * as protocol from '@dak/protocol'
import { DakError } from '@dak/protocol'
import { MAX_ERROR_MESSAGE_CHARS, MAX_ERROR_NAME_CHARS } from './constants.js'

/**
 * Typed errors of the network layer. Like protocol/src/errors.ts they are told
 * apart by `.name` and reach the UI as `{ name, message }`.
 */

/** A peer did not present a valid certificate in time. */
export class CertificateTimeoutError extends DakError { override name = 'CertificateTimeoutError' }
/** A peer that did not take part in the certificate exchange at all (no Dak node, or an old one). */
export class MissingCertificateError extends DakError { override name = 'MissingCertificateError' }
/** A valid certificate, but for another device than the key the connection is authenticated with. */
export class CertificateMismatchError extends DakError { override name = 'CertificateMismatchError' }
/** The peer we dialled refused our certificate; `remoteName` is the error it gave. */
export class CertificateRefusedError extends DakError {
  override name = 'CertificateRefusedError'
  constructor (message: string, readonly remoteName: string) {
    super(message)
  }
}

/** This node has no certificate yet (not enrolled), so it cannot take part in the exchange. */
export class NotEnrolledError extends DakError { override name = 'NotEnrolledError' }
/** A request from a peer that has not (yet) shown a valid certificate. */
export class PeerNotVerifiedError extends DakError { override name = 'PeerNotVerifiedError' }
/** A request or response did not complete within its time limit. */
export class RequestTimeoutError extends DakError { override name = 'RequestTimeoutError' }
/** A handler failed for a reason that is not the peer's business; details stay in our log. */
export class InternalError extends DakError { override name = 'InternalError' }
/** The stream ended, or was reset, before a whole frame arrived. */
export class StreamEndedError extends DakError { override name = 'StreamEndedError' }
/** A connection that failed several keep-alive pings in a row: closed so the link redials. */
export class ConnectionLostError extends DakError { override name = 'ConnectionLostError' }

/** A remote error whose name is not one of ours: kept as data, never trusted as a class. */
export class RemoteError extends DakError {
  override name = 'RemoteError'
  constructor (readonly remoteName: string, message: string) {
    super(`${remoteName}: ${message}`)
  }
}

/**
 * A carry request (/dak/carry/1.0.0) for a conversation the asker is not a
 * current member of here — or that this device does not have: the two are
 * answered alike, so an outsider learns nothing about which conversations exist.
 */
export class CarryRefusedError extends DakError { override name = 'CarryRefusedError' }

const NET_ERRORS = {
  CertificateTimeoutError,
  MissingCertificateError,
  CertificateMismatchError,
  NotEnrolledError,
  PeerNotVerifiedError,
  RequestTimeoutError,
  InternalError,
  StreamEndedError,
  ConnectionLostError,
  CarryRefusedError
}

type DakErrorClass = new (message: string) => DakError

function isDakErrorClass (value: unknown): value is DakErrorClass {
  return typeof value === 'function' && value.prototype instanceof DakError
}

/** Error classes a peer may name in an error response, by name. */
const KNOWN = new Map<string, DakErrorClass>()
for (const [name, value] of [...Object.entries(protocol), ...Object.entries(NET_ERRORS)]) {
  if (isDakErrorClass(value)) KNOWN.set(name, value)
}

/** What goes on the wire for an error: only DakErrors are told as they are. */
export function errorToWire (err: unknown): { name: string, message: string } {
  if (err instanceof DakError) return { name: err.name, message: err.message.slice(0, MAX_ERROR_MESSAGE_CHARS) }
  return { name: 'InternalError', message: 'the request could not be handled' }
}

/**
 * Rebuild an error a peer sent. Known names become their own class so callers
 * can switch on `.name`; anything else is a RemoteError. Both strings are
 * attacker-chosen, so they are cut to size and the name must look like one.
 */
export function errorFromWire (name: string, message: string): DakError {
  const text = message.slice(0, MAX_ERROR_MESSAGE_CHARS)
  const Known = KNOWN.get(name)
  if (Known != null) return new Known(text)
  const safeName = /^[A-Za-z][A-Za-z0-9]*$/.test(name) ? name.slice(0, MAX_ERROR_NAME_CHARS) : 'UnnamedError'
  return new RemoteError(safeName, text)
}

