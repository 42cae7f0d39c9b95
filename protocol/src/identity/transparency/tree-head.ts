import { bytesEqual, concatBytes } from '../../bytes.js'
import { ED25519_PUBLIC_KEY_BYTES, ED25519_SIGNATURE_BYTES } from '../../constants.js'
import { InvalidArgumentError, MalformedInputError } from '../../errors.js'
import { signFor, verifyFor, type SigningKeyPair } from '../keys.js'
import { SplitViewError } from './errors.js'
import { HASH_BYTES, verifyConsistency } from './merkle.js'

/**
 * A signed tree head: "my log of certificates and revocations has `size`
 * entries and this root", signed by the department node's peer key (domain
 * dak/v1/tree-head). Fixed layout, so there is one encoding to sign:
 *   version 1 (1) ‖ log key (32) ‖ size (u64 BE) ‖ timestamp ms (u64 BE) ‖ root (32) ‖ signature (64)
 * Two heads of one log that no consistency proof joins are a split view,
 * proven by the log's own signatures.
 */

export const TREE_HEAD_VERSION = 1
const BODY_BYTES = 1 + ED25519_PUBLIC_KEY_BYTES + 8 + 8 + HASH_BYTES
export const TREE_HEAD_BYTES = BODY_BYTES + ED25519_SIGNATURE_BYTES

export interface TreeHead {
  /** The log's signing key (the department node's peer key). */
  logKey: Uint8Array
  size: number
  /** When the node signed it (ms since epoch). */
  timestamp: number
  root: Uint8Array
}

export interface SignedTreeHead extends TreeHead {
  bytes: Uint8Array
}

function u64 (value: number): Uint8Array {
  const out = new Uint8Array(8)
  new DataView(out.buffer).setBigUint64(0, BigInt(value))
  return out
}

function body (head: TreeHead): Uint8Array {
  if (head.logKey.length !== ED25519_PUBLIC_KEY_BYTES) throw new InvalidArgumentError('tree head log key must be an Ed25519 key')
  if (!Number.isSafeInteger(head.size) || head.size < 0) throw new InvalidArgumentError('tree size must be a non-negative integer')
  if (!Number.isSafeInteger(head.timestamp) || head.timestamp < 0) throw new InvalidArgumentError('tree head timestamp must be a non-negative integer')
  if (head.root.length !== HASH_BYTES) throw new InvalidArgumentError(`tree root must be ${HASH_BYTES} bytes`)
  return concatBytes(new Uint8Array([TREE_HEAD_VERSION]), head.logKey, u64(head.size), u64(head.timestamp), head.root)
}

export function signTreeHead (log: SigningKeyPair, head: Omit<TreeHead, 'logKey'>): SignedTreeHead {
  const fields = { ...head, logKey: log.publicKey }
  const signed = body(fields)
  return { ...fields, bytes: concatBytes(signed, signFor('treeHead', log.privateKey, signed)) }
}

/** Decode and verify a head; `logKey`, when given, is the log the caller expects (a head of another log is refused). */
export function openTreeHead (bytes: Uint8Array, logKey?: Uint8Array): SignedTreeHead {
  if (!(bytes instanceof Uint8Array) || bytes.length !== TREE_HEAD_BYTES) throw new MalformedInputError(`a tree head is ${TREE_HEAD_BYTES} bytes`)
  if (bytes[0] !== TREE_HEAD_VERSION) throw new MalformedInputError(`tree head version ${bytes[0] ?? ''} is not ${TREE_HEAD_VERSION}`)
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const head: TreeHead = {
    logKey: bytes.slice(1, 33),
    size: bigToSafe(view.getBigUint64(33)),
    timestamp: bigToSafe(view.getBigUint64(41)),
    root: bytes.slice(49, 49 + HASH_BYTES)
  }
  if (logKey != null && !bytesEqual(logKey, head.logKey)) throw new MalformedInputError('tree head of another log')
  verifyFor('treeHead', head.logKey, bytes.subarray(0, BODY_BYTES), bytes.subarray(BODY_BYTES), 'tree head')
  return { ...head, bytes: bytes.slice() }
}

function bigToSafe (value: bigint): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new MalformedInputError('tree head number is too large')
  return Number(value)
}

/**
 * Check that two verified heads of one log can both be honest: same size →
 * same root; otherwise the consistency proof (from the smaller to the larger)
 * must join them. A failure is a SplitViewError carrying both heads.
 */
export function checkHeadsAgree (a: SignedTreeHead, b: SignedTreeHead, proof: readonly Uint8Array[]): void {
  if (!bytesEqual(a.logKey, b.logKey)) throw new InvalidArgumentError('heads of two different logs cannot be compared')
  const [older, newer] = a.size <= b.size ? [a, b] : [b, a]
  try {
    verifyConsistency(older.size, newer.size, older.root, newer.root, proof)
  } catch (err) {
    throw new SplitViewError(`the log signed two histories: a head of ${older.size} entries that a head of ${newer.size} does not extend (${err instanceof Error ? err.message : String(err)})`, { cause: err })
  }
}
