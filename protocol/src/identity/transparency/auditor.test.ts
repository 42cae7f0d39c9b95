import { describe, expect, it } from 'vitest'
import { generateSigningKeyPair } from '../keys.js'
import { LogAuditor, type LogSource } from './auditor.js'
import { consistencyProof, leafHash, treeRoot } from './merkle.js'
import { signTreeHead } from './tree-head.js'

/**
 * The auditor checks several proofs side by side (a device audits a few
 * certificates at once: node/src/messenger/transparency.ts). Whatever order
 * their answers come back in, the head it trusts only grows.
 */
describe('LogAuditor with proofs answered out of order', () => {
  it('never moves back to a smaller head', async () => {
    const key = generateSigningKeyPair()
    // leaf hashes, as the tree functions take them
    const leaves = Array.from({ length: 12 }, (_, i) => leafHash(new Uint8Array([1, i])))
    const head = (size: number): Uint8Array => signTreeHead(key, { size, timestamp: 1, root: treeRoot(leaves, size) }).bytes
    // each consistency proof is held until the test lets it go
    const held: Array<{ newSize: number, release: () => void }> = []
    const source: LogSource = {
      head: async () => head(10),
      inclusion: async () => { throw new Error('not asked here') },
      consistency: async (oldSize, newSize) => {
        await new Promise<void>((resolve) => { held.push({ newSize, release: resolve }) })
        return consistencyProof(leaves, oldSize, newSize)
      }
    }
    const auditor = new LogAuditor(key.publicKey, source, head(10))
    // two peers show heads of 12 and of 11 entries at once: both joins ask for a proof from 10
    const toTwelve = auditor.compare(head(12))
    const toEleven = auditor.compare(head(11))
    await expect.poll(() => held.length).toBe(2)
    held.find(h => h.newSize === 12)!.release()
    await toTwelve
    expect(auditor.head?.size).toBe(12)
    held.find(h => h.newSize === 11)!.release()
    await toEleven
    // before: the later answer set the head back to 11
    expect(auditor.head?.size).toBe(12)
  })
})
