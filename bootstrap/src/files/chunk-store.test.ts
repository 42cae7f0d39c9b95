import { afterEach, describe, expect, it } from 'vitest'
import { ChunkIntegrityError, FileExpiredError, FileQuotaError, InvalidArgumentError, sealFile, toHex } from '@dak/protocol'
import { randomBytes as nodeRandomBytes } from 'node:crypto'
import { randomBytes } from '@noble/hashes/utils.js'
import { NOW, openTempDb, type TempDb } from '../store/test-helpers.js'
import { ChunkStore } from './chunk-store.js'

/** The department node's attachment chunks (docs/files.md): checked on the way in, under a quota, purged after retention. */

const DAY = 86_400_000
let temp: TempDb
afterEach(async () => { await temp.cleanup() })

function file (size: number) {
  return sealFile(new Uint8Array(nodeRandomBytes(size)), { name: 'a.bin', mediaType: 'application/octet-stream' }, randomBytes)
}

describe('ChunkStore', () => {
  it('takes chunks that match the file id, serves them in a row, and resumes an upload where it stopped', async () => {
    temp = await openTempDb()
    const store = new ChunkStore({ db: temp.db })
    const sealed = file(5 * 65536 + 10)
    const owner = toHex(randomBytes(32))
    expect(await store.held(sealed.fileId)).toEqual({ total: 0, held: [] })
    expect(await store.put({ fileId: sealed.fileId, first: 0, chunks: sealed.chunks.slice(0, 2), chunkHashes: sealed.manifest.chunkHashes }, owner, NOW)).toBe(2)
    expect(await store.put({ fileId: sealed.fileId, first: 3, chunks: sealed.chunks.slice(3, 5) }, owner, NOW)).toBe(4)
    expect(await store.held(sealed.fileId)).toEqual({ total: 6, held: [0, 1, 3, 4] })
    // in a row: 0 and 1, then the gap at 2 ends the answer
    expect(await store.get(sealed.fileId, 0, 6, 1 << 20)).toEqual(sealed.chunks.slice(0, 2))
    expect(await store.get(sealed.fileId, 2, 6, 1 << 20)).toEqual([])
    // the same chunks again change nothing, cost nothing against the quota
    expect(await store.put({ fileId: sealed.fileId, first: 0, chunks: sealed.chunks.slice(0, 2) }, owner, NOW)).toBe(4)
    expect(await store.usage(owner)).toBe(sealed.chunks.slice(0, 2).concat(sealed.chunks.slice(3, 5)).reduce((s, c) => s + c.length, 0))
    // after a restart, the rest
    const reopened = new ChunkStore({ db: await temp.reopen() })
    expect(await reopened.put({ fileId: sealed.fileId, first: 2, chunks: [sealed.chunks[2]!] }, owner, NOW)).toBe(5)
    expect(await reopened.put({ fileId: sealed.fileId, first: 5, chunks: sealed.chunks.slice(5) }, owner, NOW)).toBe(6)
    expect(await reopened.get(sealed.fileId, 0, 6, 1 << 20)).toEqual(sealed.chunks)
    // maxBytes: at least one chunk, then as many as fit
    expect(await reopened.get(sealed.fileId, 0, 6, 2 * 65536 + 40)).toHaveLength(2)
    expect(await reopened.get(sealed.fileId, 0, 6, 1)).toHaveLength(1)
  })

  it('refuses hashes that do not make the file id, a chunk that does not match its hash, and a first upload without hashes', async () => {
    temp = await openTempDb()
    const store = new ChunkStore({ db: temp.db })
    const sealed = file(3 * 65536)
    const other = file(3 * 65536)
    const owner = toHex(randomBytes(32))
    await expect(store.put({ fileId: sealed.fileId, first: 0, chunks: sealed.chunks.slice(0, 1) }, owner, NOW)).rejects.toThrow(InvalidArgumentError)
    await expect(store.put({ fileId: sealed.fileId, first: 0, chunks: sealed.chunks.slice(0, 1), chunkHashes: other.manifest.chunkHashes }, owner, NOW)).rejects.toThrow(ChunkIntegrityError)
    const flipped = sealed.chunks[1]!.slice()
    flipped[7] = flipped[7]! ^ 1
    await expect(store.put({ fileId: sealed.fileId, first: 0, chunks: [sealed.chunks[0]!, flipped], chunkHashes: sealed.manifest.chunkHashes }, owner, NOW)).rejects.toThrow(ChunkIntegrityError)
    await expect(store.put({ fileId: sealed.fileId, first: 2, chunks: [sealed.chunks[2]!, sealed.chunks[0]!], chunkHashes: sealed.manifest.chunkHashes }, owner, NOW)).rejects.toThrow(ChunkIntegrityError)
    // nothing of a refused upload was kept
    expect(await store.held(sealed.fileId)).toEqual({ total: 0, held: [] })
    expect(await store.usage(owner)).toBe(0)
  })

  it('keeps each device within its quota, and frees it when the files pass their retention', async () => {
    temp = await openTempDb()
    const store = new ChunkStore({ db: temp.db, quotaBytesPerDevice: 200_000, retentionDays: 30 })
    const owner = toHex(randomBytes(32))
    const first = file(150_000)
    const second = file(150_000)
    await store.put({ fileId: first.fileId, first: 0, chunks: first.chunks, chunkHashes: first.manifest.chunkHashes }, owner, NOW)
    await expect(store.put({ fileId: second.fileId, first: 0, chunks: second.chunks, chunkHashes: second.manifest.chunkHashes }, owner, NOW + DAY)).rejects.toThrow(FileQuotaError)
    // another device has a quota of its own
    await store.put({ fileId: second.fileId, first: 0, chunks: second.chunks, chunkHashes: second.manifest.chunkHashes }, toHex(randomBytes(32)), NOW + DAY)
    expect(await store.purge(NOW + 30 * DAY)).toBe(0)
    expect(await store.purge(NOW + 30 * DAY + 1)).toBe(1)
    expect(await store.held(first.fileId)).toEqual({ total: 0, held: [] })
    expect(await store.get(first.fileId, 0, 3, 1 << 20)).toEqual([])
    expect(await store.usage(owner)).toBe(0)
    expect((await store.held(second.fileId)).held).toHaveLength(3)
  })

  it('deletes a file at the expiry of its message (disappearing messages), not before; refuses one whose message has gone; the retention purge still finds it', async () => {
    temp = await openTempDb()
    const store = new ChunkStore({ db: temp.db, retentionDays: 30 })
    const owner = toHex(randomBytes(32))
    const disappearing = file(100_000)
    const kept = file(100_000)
    const expiresAt = NOW + 60_000
    await store.put({ fileId: disappearing.fileId, first: 0, chunks: disappearing.chunks.slice(0, 1), chunkHashes: disappearing.manifest.chunkHashes, expiresAt }, owner, NOW)
    await store.put({ fileId: disappearing.fileId, first: 1, chunks: disappearing.chunks.slice(1) }, owner, NOW + 1)
    await store.put({ fileId: kept.fileId, first: 0, chunks: kept.chunks, chunkHashes: kept.manifest.chunkHashes }, owner, NOW)
    expect(await store.purgeDisappeared(expiresAt - 1)).toBe(0)
    expect((await store.held(disappearing.fileId)).held).toHaveLength(2)
    expect(await store.purgeDisappeared(expiresAt)).toBe(1)
    expect(await store.held(disappearing.fileId)).toEqual({ total: 0, held: [] })
    expect(await store.get(disappearing.fileId, 0, 2, 1 << 20)).toEqual([])
    expect(await store.usage(owner)).toBe(kept.chunks.reduce((sum, c) => sum + c.length, 0))
    expect((await store.held(kept.fileId)).held).toHaveLength(2)
    // both index entries went with it: neither purge finds it again
    expect(await store.purgeDisappeared(expiresAt + DAY)).toBe(0)
    expect(await store.purge(NOW + 31 * DAY)).toBe(1) // only the kept file, at its retention

    const late = file(10_000)
    await expect(store.put({ fileId: late.fileId, first: 0, chunks: late.chunks, chunkHashes: late.manifest.chunkHashes, expiresAt: NOW }, owner, NOW)).rejects.toThrow(FileExpiredError)
    expect(await store.held(late.fileId)).toEqual({ total: 0, held: [] })

    // a file past its retention before its expiry goes at the retention, and takes its expiry entry along
    const long = file(10_000)
    await store.put({ fileId: long.fileId, first: 0, chunks: long.chunks, chunkHashes: long.manifest.chunkHashes, expiresAt: NOW + 40 * DAY }, owner, NOW)
    expect(await store.purge(NOW + 31 * DAY)).toBe(1)
    expect(await store.purgeDisappeared(NOW + 41 * DAY)).toBe(0)
  })
})
