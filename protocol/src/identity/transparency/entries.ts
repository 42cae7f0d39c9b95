import { concatBytes } from '../../bytes.js'
import { InvalidArgumentError } from '../../errors.js'
import { leafHash } from './merkle.js'

/**
 * What the department's log holds: every device certificate and every
 * revocation list its authority issues, in issue order. A leaf is a kind byte
 * followed by the signed bytes exactly as issued, so anyone holding a
 * certificate can compute its leaf hash and ask for its inclusion proof.
 */
export const LOG_ENTRY_KINDS = { certificate: 1, revocation: 2 } as const
export type LogEntryKind = keyof typeof LOG_ENTRY_KINDS

export function logLeaf (kind: LogEntryKind, signed: Uint8Array): Uint8Array {
  if (!(signed instanceof Uint8Array) || signed.length === 0) throw new InvalidArgumentError('a log entry is non-empty signed bytes')
  return concatBytes(new Uint8Array([LOG_ENTRY_KINDS[kind]]), signed)
}

/** The leaf hash a device looks a certificate or revocation list up by. */
export function logLeafHash (kind: LogEntryKind, signed: Uint8Array): Uint8Array {
  return leafHash(logLeaf(kind, signed))
}
