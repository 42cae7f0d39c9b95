import { concatBytes } from '../../bytes.js'
import { InvalidArgumentError, MalformedInputError } from '../../errors.js'
import { HASH_BYTES, MAX_PROOF_HASHES } from './merkle.js'
import { TREE_HEAD_BYTES } from './tree-head.js'

/**
 * The log protocol's frames (/dak/log/1.0.0), fixed layouts read with exact
 * lengths: nothing in them is a length the sender may inflate beyond the
 * proof bound.
 *   request  1                          → the current signed head
 *   request  2 ‖ leaf hash (32)         → head ‖ index (u64) ‖ n (u8) ‖ n hashes: inclusion under that head
 *   request  3 ‖ old size ‖ new size    → n (u8) ‖ n hashes: consistency between two sizes
 */

export type LogRequest =
  | { type: 'head' }
  | { type: 'inclusion', leafHash: Uint8Array }
  | { type: 'consistency', oldSize: number, newSize: number }

export interface InclusionAnswer { head: Uint8Array, index: number, proof: Uint8Array[] }

export const MAX_LOG_REQUEST_BYTES = 1 + HASH_BYTES
export const MAX_LOG_RESPONSE_BYTES = TREE_HEAD_BYTES + 8 + 1 + MAX_PROOF_HASHES * HASH_BYTES

function u64 (value: number): Uint8Array {
  if (!Number.isSafeInteger(value) || value < 0) throw new InvalidArgumentError('a log number is a non-negative integer')
  const out = new Uint8Array(8)
  new DataView(out.buffer).setBigUint64(0, BigInt(value))
  return out
}

function readU64 (bytes: Uint8Array, at: number): number {
  const value = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getBigUint64(at)
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new MalformedInputError('log number is too large')
  return Number(value)
}

export function encodeLogRequest (request: LogRequest): Uint8Array {
  switch (request.type) {
    case 'head': return new Uint8Array([1])
    case 'inclusion':
      if (request.leafHash.length !== HASH_BYTES) throw new InvalidArgumentError('a leaf hash is 32 bytes')
      return concatBytes(new Uint8Array([2]), request.leafHash)
    case 'consistency': return concatBytes(new Uint8Array([3]), u64(request.oldSize), u64(request.newSize))
  }
}

export function decodeLogRequest (bytes: Uint8Array): LogRequest {
  if (bytes.length === 1 && bytes[0] === 1) return { type: 'head' }
  if (bytes.length === 1 + HASH_BYTES && bytes[0] === 2) return { type: 'inclusion', leafHash: bytes.slice(1) }
  if (bytes.length === 17 && bytes[0] === 3) return { type: 'consistency', oldSize: readU64(bytes, 1), newSize: readU64(bytes, 9) }
  throw new MalformedInputError('not a log request')
}

function encodeHashes (proof: readonly Uint8Array[]): Uint8Array {
  if (proof.length > MAX_PROOF_HASHES) throw new InvalidArgumentError('proof too long')
  return concatBytes(new Uint8Array([proof.length]), ...proof)
}

function decodeHashes (bytes: Uint8Array, at: number): Uint8Array[] {
  const n = bytes[at]
  if (n == null || n > MAX_PROOF_HASHES || bytes.length !== at + 1 + n * HASH_BYTES) throw new MalformedInputError('malformed proof in a log answer')
  return Array.from({ length: n }, (_, i) => bytes.slice(at + 1 + i * HASH_BYTES, at + 1 + (i + 1) * HASH_BYTES))
}

export function encodeInclusionAnswer (answer: InclusionAnswer): Uint8Array {
  return concatBytes(answer.head, u64(answer.index), encodeHashes(answer.proof))
}

export function decodeInclusionAnswer (bytes: Uint8Array): InclusionAnswer {
  if (bytes.length < TREE_HEAD_BYTES + 9) throw new MalformedInputError('log inclusion answer is too short')
  return { head: bytes.slice(0, TREE_HEAD_BYTES), index: readU64(bytes, TREE_HEAD_BYTES), proof: decodeHashes(bytes, TREE_HEAD_BYTES + 8) }
}

export const encodeConsistencyAnswer = encodeHashes
export function decodeConsistencyAnswer (bytes: Uint8Array): Uint8Array[] {
  return decodeHashes(bytes, 0)
}
