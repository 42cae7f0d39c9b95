import { sha256 } from '@noble/hashes/sha2.js'
import { bytesEqual, concatBytes } from '../../bytes.js'
import { InvalidArgumentError } from '../../errors.js'
import { InvalidProofError } from './errors.js'

/**
 * The Merkle tree of RFC 9162 (Certificate Transparency 2.0), section 2.1:
 * leaf hash SHA-256(0x00 ‖ leaf), node hash SHA-256(0x01 ‖ left ‖ right), the
 * tree over n leaves split at the largest power of two below n. Proof
 * generation here works from the list of leaf hashes (a department's log is
 * thousands of entries, not billions); verification is the RFC's algorithm,
 * which needs no more than the proof.
 */

export const HASH_BYTES = 32
/** A proof for a tree of up to 2^63 leaves has at most 64 hashes; more is not a proof. */
export const MAX_PROOF_HASHES = 64

const LEAF_PREFIX = new Uint8Array([0])
const NODE_PREFIX = new Uint8Array([1])

export function leafHash (leaf: Uint8Array): Uint8Array {
  return sha256(concatBytes(LEAF_PREFIX, leaf))
}

export function nodeHash (left: Uint8Array, right: Uint8Array): Uint8Array {
  return sha256(concatBytes(NODE_PREFIX, left, right))
}

/** Largest power of two strictly below n (n ≥ 2). */
function split (n: number): number {
  let k = 1
  while (k * 2 < n) k *= 2
  return k
}

/** MTH over leaf hashes [start, end). The empty tree's root is SHA-256 of nothing. */
function subtreeRoot (leaves: readonly Uint8Array[], start: number, end: number): Uint8Array {
  const n = end - start
  if (n === 0) return sha256(new Uint8Array(0))
  if (n === 1) return leaves[start] as Uint8Array
  const k = split(n)
  return nodeHash(subtreeRoot(leaves, start, start + k), subtreeRoot(leaves, start + k, end))
}

function checkSize (what: string, size: number, max: number): void {
  if (!Number.isSafeInteger(size) || size < 0 || size > max) throw new InvalidArgumentError(`${what} must be an integer from 0 to ${max}`)
}

/** The root of the first `size` leaves (all of them by default). */
export function treeRoot (leaves: readonly Uint8Array[], size = leaves.length): Uint8Array {
  checkSize('tree size', size, leaves.length)
  return subtreeRoot(leaves, 0, size)
}

/** PATH(m, D[n]): the audit path of leaf `index` in the tree of the first `size` leaves. */
export function inclusionProof (leaves: readonly Uint8Array[], index: number, size = leaves.length): Uint8Array[] {
  checkSize('tree size', size, leaves.length)
  if (!Number.isSafeInteger(index) || index < 0 || index >= size) throw new InvalidArgumentError('leaf index must be inside the tree')
  const path: Uint8Array[] = []
  const walk = (m: number, start: number, end: number): void => {
    const n = end - start
    if (n <= 1) return
    const k = split(n)
    if (m < k) {
      walk(m, start, start + k)
      path.push(subtreeRoot(leaves, start + k, end))
    } else {
      walk(m - k, start + k, end)
      path.push(subtreeRoot(leaves, start, start + k))
    }
  }
  walk(index, 0, size)
  return path
}

/** PROOF(m, D[n]): that the first `oldSize` leaves are a prefix of the first `newSize`. */
export function consistencyProof (leaves: readonly Uint8Array[], oldSize: number, newSize = leaves.length): Uint8Array[] {
  checkSize('new tree size', newSize, leaves.length)
  checkSize('old tree size', oldSize, newSize)
  if (oldSize === 0 || oldSize === newSize) return []
  const path: Uint8Array[] = []
  const sub = (m: number, start: number, end: number, complete: boolean): void => {
    const n = end - start
    if (m === n) {
      if (!complete) path.push(subtreeRoot(leaves, start, end))
      return
    }
    const k = split(n)
    if (m <= k) {
      sub(m, start, start + k, complete)
      path.push(subtreeRoot(leaves, start + k, end))
    } else {
      sub(m - k, start + k, end, false)
      path.push(subtreeRoot(leaves, start, start + k))
    }
  }
  sub(oldSize, 0, newSize, true)
  return path
}

function checkProofShape (proof: readonly Uint8Array[]): void {
  if (!Array.isArray(proof) || proof.length > MAX_PROOF_HASHES) throw new InvalidProofError(`a proof has at most ${MAX_PROOF_HASHES} hashes`)
  if (proof.some(h => !(h instanceof Uint8Array) || h.length !== HASH_BYTES)) throw new InvalidProofError(`every proof hash is ${HASH_BYTES} bytes`)
}

/** RFC 9162 2.1.3.2: throws InvalidProofError unless `leaf` (a leaf hash) is at `index` in the tree with `root` over `size` leaves. */
export function verifyInclusion (leaf: Uint8Array, index: number, size: number, proof: readonly Uint8Array[], root: Uint8Array): void {
  checkProofShape(proof)
  if (!Number.isSafeInteger(size) || !Number.isSafeInteger(index) || index < 0 || index >= size) throw new InvalidProofError('leaf index outside the tree')
  let fn = index
  let sn = size - 1
  let r = leaf
  for (const p of proof) {
    if (sn === 0) throw new InvalidProofError('inclusion proof is longer than the tree is deep')
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r)
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) { fn = Math.floor(fn / 2); sn = Math.floor(sn / 2) }
      }
    } else {
      r = nodeHash(r, p)
    }
    fn = Math.floor(fn / 2)
    sn = Math.floor(sn / 2)
  }
  if (sn !== 0 || !bytesEqual(r, root)) throw new InvalidProofError('inclusion proof does not lead to the root')
}

/** RFC 9162 2.1.4.2: throws InvalidProofError unless the tree (oldSize, oldRoot) is a prefix of (newSize, newRoot). */
export function verifyConsistency (oldSize: number, newSize: number, oldRoot: Uint8Array, newRoot: Uint8Array, proof: readonly Uint8Array[]): void {
  checkProofShape(proof)
  if (!Number.isSafeInteger(oldSize) || !Number.isSafeInteger(newSize) || oldSize < 0 || oldSize > newSize) throw new InvalidProofError('consistency needs 0 ≤ old size ≤ new size')
  if (oldSize === newSize) {
    if (proof.length !== 0 || !bytesEqual(oldRoot, newRoot)) throw new InvalidProofError('two heads of one size must have the same root and an empty proof')
    return
  }
  if (oldSize === 0) {
    // every tree extends the empty one
    if (proof.length !== 0) throw new InvalidProofError('a proof from the empty tree is empty')
    return
  }
  if (proof.length === 0) throw new InvalidProofError('consistency proof is empty')
  // a power-of-two old tree is a complete subtree of the new one: the proof leaves its root out
  const path = isPowerOfTwo(oldSize) ? [oldRoot, ...proof] : [...proof]
  let fn = oldSize - 1
  let sn = newSize - 1
  while (fn % 2 === 1) { fn = Math.floor(fn / 2); sn = Math.floor(sn / 2) }
  let fr = path[0] as Uint8Array
  let sr = path[0] as Uint8Array
  for (const c of path.slice(1)) {
    if (sn === 0) throw new InvalidProofError('consistency proof is longer than the tree is deep')
    if (fn % 2 === 1 || fn === sn) {
      fr = nodeHash(c, fr)
      sr = nodeHash(c, sr)
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) { fn = Math.floor(fn / 2); sn = Math.floor(sn / 2) }
      }
    } else {
      sr = nodeHash(sr, c)
    }
    fn = Math.floor(fn / 2)
    sn = Math.floor(sn / 2)
  }
  if (sn !== 0 || !bytesEqual(fr, oldRoot) || !bytesEqual(sr, newRoot)) throw new InvalidProofError('consistency proof does not join the two roots')
}

function isPowerOfTwo (n: number): boolean {
  let m = n
  while (m > 1 && m % 2 === 0) m /= 2
  return m === 1
}
