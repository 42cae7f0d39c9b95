import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { bytesEqual, fromHex } from '../../bytes.js'
import { seededKey } from '../test-fixtures.js'
import { InvalidProofError, SplitViewError } from './errors.js'
import { consistencyProof, inclusionProof, leafHash, nodeHash, treeRoot, verifyConsistency, verifyInclusion } from './merkle.js'
import { checkHeadsAgree, openTreeHead, signTreeHead } from './tree-head.js'

const RUNS = Number(process.env.DAK_FUZZ_RUNS ?? 200)
const leavesOf = (n: number, salt = 0): Uint8Array[] => Array.from({ length: n }, (_, i) => leafHash(new Uint8Array([salt, i & 255, i >> 8])))
/** A tree size and a leaf of it. */
const sizeAndIndex = fc.integer({ min: 1, max: 300 }).chain(n => fc.tuple(fc.constant(n), fc.integer({ min: 0, max: n - 1 })))
/** Two tree sizes, old ≤ new. */
const twoSizes = fc.integer({ min: 1, max: 300 }).chain(n => fc.tuple(fc.integer({ min: 1, max: n }), fc.constant(n)))
/** Change one bit of one hash of a proof. */
function flip (proof: Uint8Array[], which: number, bit: number): Uint8Array[] {
  const out = proof.map(h => h.slice())
  const target = out[which % out.length] as Uint8Array
  target[Math.floor(bit / 8) % 32]! ^= 1 << (bit % 8)
  return out
}

describe('Merkle tree (RFC 9162 2.1)', () => {
  it('matches the RFC 6962 reference roots of the CT test tree', () => {
    // the eight leaves of certificate-transparency-go's merkle tests (RFC 6962 2.1.3 examples)
    const inputs = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'].map(fromHex)
    const leaves = inputs.map(leafHash)
    expect(Buffer.from(treeRoot(leaves, 0)).toString('hex')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855')
    expect(Buffer.from(treeRoot(leaves, 1)).toString('hex')).toBe('6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d')
    expect(Buffer.from(treeRoot(leaves, 8)).toString('hex')).toBe('5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328')
  })

  it('proves every leaf of every tree, and no other leaf, index or root', () => {
    fc.assert(fc.property(sizeAndIndex, fc.nat(), fc.nat(), ([n, m], which, bit) => {
      const leaves = leavesOf(n)
      const root = treeRoot(leaves)
      const proof = inclusionProof(leaves, m)
      verifyInclusion(leaves[m]!, m, n, proof, root)
      expect(() => { verifyInclusion(leafHash(new Uint8Array([9, 9, 9, 9])), m, n, proof, root) }).toThrow(InvalidProofError)
      expect(() => { verifyInclusion(leaves[m]!, m, n, proof, leafHash(new Uint8Array([7]))) }).toThrow(InvalidProofError)
      if (n > 1) {
        expect(() => { verifyInclusion(leaves[m]!, (m + 1) % n, n, proof, root) }).toThrow(InvalidProofError)
        expect(() => { verifyInclusion(leaves[m]!, m, n, flip(proof, which, bit), root) }).toThrow(InvalidProofError)
        expect(() => { verifyInclusion(leaves[m]!, m, n, proof.slice(1), root) }).toThrow(InvalidProofError)
      }
      expect(() => { verifyInclusion(leaves[m]!, m, n, [...proof, root], root) }).toThrow(InvalidProofError)
    }), { numRuns: RUNS })
  })

  it('proves every prefix consistent with every longer tree, and no rewritten history', () => {
    fc.assert(fc.property(twoSizes, fc.nat(), fc.nat(), fc.nat(), ([m, n], changed, which, bit) => {
      const leaves = leavesOf(n)
      const oldRoot = treeRoot(leaves, m)
      const newRoot = treeRoot(leaves, n)
      const proof = consistencyProof(leaves, m, n)
      verifyConsistency(m, n, oldRoot, newRoot, proof)
      // a history where one of the first m entries differs (a hidden or swapped certificate) is never consistent
      const rewritten = leaves.slice()
      rewritten[changed % m] = leafHash(new Uint8Array([1, 2, 3, 4, 5]))
      if (m < n) {
        expect(() => { verifyConsistency(m, n, treeRoot(rewritten, m), newRoot, proof) }).toThrow(InvalidProofError)
        expect(() => { verifyConsistency(m, n, oldRoot, treeRoot(rewritten, n), consistencyProof(rewritten, m, n)) }).toThrow(InvalidProofError)
        expect(() => { verifyConsistency(m, n, oldRoot, newRoot, flip(proof, which, bit)) }).toThrow(InvalidProofError)
      } else {
        expect(() => { verifyConsistency(m, n, treeRoot(rewritten, m), newRoot, proof) }).toThrow(InvalidProofError)
      }
    }), { numRuns: RUNS })
  })

  it('refuses proofs of the wrong shape with InvalidProofError, never anything else', () => {
    fc.assert(fc.property(fc.array(fc.uint8Array({ maxLength: 40 }), { maxLength: 70 }), fc.integer({ min: -2, max: 1000 }), fc.integer({ min: -2, max: 1000 }), (proof, a, b) => {
      const root = nodeHash(new Uint8Array(32), new Uint8Array(32))
      for (const attempt of [() => { verifyInclusion(root, a, b, proof, root) }, () => { verifyConsistency(a, b, root, root, proof) }]) {
        try {
          attempt()
        } catch (err) {
          expect(err).toBeInstanceOf(InvalidProofError)
        }
      }
    }), { numRuns: RUNS })
  })
})

describe('signed tree heads', () => {
  const log = seededKey('department node')
  const other = seededKey('another node')
  const leaves = leavesOf(10)

  it('round-trip, and refuse another log, a changed byte and the wrong length', () => {
    const head = signTreeHead(log, { size: 10, timestamp: 1_700_000_000_000, root: treeRoot(leaves) })
    const opened = openTreeHead(head.bytes, log.publicKey)
    expect(opened.size).toBe(10)
    expect(bytesEqual(opened.root, treeRoot(leaves))).toBe(true)
    expect(() => openTreeHead(head.bytes, other.publicKey)).toThrow(/another log/)
    // one byte of each field: version, log key, size, timestamp, root, signature
    for (const i of [0, 1, 32, 40, 48, 49, 80, 81, 144]) {
      const changed = head.bytes.slice()
      changed[i]! ^= 1
      expect(() => openTreeHead(changed, log.publicKey), `byte ${i}`).toThrow()
    }
    expect(() => openTreeHead(head.bytes.subarray(1))).toThrow(/bytes/)
  })

  it('show a split view: two heads the log signed that no proof joins', () => {
    // the node shows Asha a log with a ghost certificate at entry 8, and Ravi one without it
    const withGhost = leaves.slice(0, 8).concat(leafHash(new Uint8Array([0xee])), leaves.slice(8))
    const ashaHead = signTreeHead(log, { size: 11, timestamp: 2, root: treeRoot(withGhost) })
    const raviHead = signTreeHead(log, { size: 10, timestamp: 1, root: treeRoot(leaves) })
    const sameSize = signTreeHead(log, { size: 10, timestamp: 3, root: treeRoot(withGhost, 10) })
    expect(() => { checkHeadsAgree(raviHead, ashaHead, consistencyProof(withGhost, 10, 11)) }).toThrow(SplitViewError)
    expect(() => { checkHeadsAgree(raviHead, sameSize, []) }).toThrow(SplitViewError)
    // an honest later head agrees
    const later = leaves.concat(leafHash(new Uint8Array([0xaa])))
    checkHeadsAgree(raviHead, signTreeHead(log, { size: 11, timestamp: 4, root: treeRoot(later) }), consistencyProof(later, 10, 11))
  })
})
