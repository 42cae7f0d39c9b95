import { describe, expect, it } from 'vitest'
import type { StoredKeyPackage } from '../storage/index.js'
import { HANDED_OUT_KEEP_MS, prunableKeyPackages } from './key-stock.js'

const NOW = 1_800_000_000_000
const OLD = NOW - HANDED_OUT_KEEP_MS - 1
const RECENT = NOW - HANDED_OUT_KEEP_MS + 60_000

function pkg (ref: string, createdAt: number, extra: Partial<StoredKeyPackage> = {}): StoredKeyPackage {
  return { ref, publicBytes: new Uint8Array([1]), privateBytes: new Uint8Array([2]), createdAt, lastResort: false, ...extra }
}

describe('which private key packages a device may forget', () => {
  it('only one-time packages this node (or, untagged, any node) no longer holds, made long enough ago', () => {
    const stored = [
      pkg('held-old', OLD, { uploadedTo: 'node-a' }),
      pkg('taken-old', OLD, { uploadedTo: 'node-a' }),
      pkg('taken-recent', RECENT, { uploadedTo: 'node-a' }),
      pkg('other-node-old', OLD, { uploadedTo: 'node-b' }),
      pkg('untagged-old', OLD),
      pkg('untagged-held', OLD),
      pkg('last-resort', OLD, { lastResort: true, uploadedTo: 'node-a' })
    ]
    expect(prunableKeyPackages(stored, new Set(['held-old', 'untagged-held']), 'node-a', NOW).sort()).toEqual(['taken-old', 'untagged-old'])
  })
})
