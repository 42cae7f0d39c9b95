import { randomBytes } from 'node:crypto'
import { ChunkIntegrityError, FileUnavailableError, sealFile, toHex, type SealedFile } from '@dak/protocol'
import { MemoryLevel } from 'memory-level'
import { afterEach, describe, expect, it } from 'vitest'
import { openDeviceStore, type DeviceStore } from '../../storage/device-store.js'
import { fetchFile } from './download.js'
import { deviceChunkHolder } from './holder.js'
import type { ChunkNetwork, ChunkPeer } from './ports.js'

/**
 * fetchFile against a real device store on each side (memory-level), the
 * sender's served through its real ChunkHolder; only the wire between them is
 * left out (test/files/*.test.ts cover it over libp2p). What is asserted: the
 * indexes the sender served, and the bytes that came out.
 */

const stores: DeviceStore[] = []
afterEach(async () => { await Promise.all(stores.splice(0).map(async s => { await s.close() })) })

async function store (): Promise<DeviceStore> {
  const s = await openDeviceStore(new MemoryLevel())
  stores.push(s)
  return s
}

/** A receiver that knows the file (its message arrived), holding none of it yet. */
async function receiverOf (sealed: SealedFile): Promise<DeviceStore['files']> {
  const files = (await store()).files
  await files.put({ fileId: toHex(sealed.fileId), conversationId: 'c1', manifest: new Uint8Array(0), fromMe: false, createdAt: 0, uploadedTo: [] })
  return files
}

const sender: ChunkPeer = { id: 'sender-peer', kind: 'device', deviceKey: 'aa' }

/** A sender holding the whole file, and a network that reaches only it and records every index it serves. */
async function senderWith (sealed: SealedFile): Promise<{ network: ChunkNetwork, served: number[] }> {
  const files = (await store()).files
  const fileId = toHex(sealed.fileId)
  await files.putChunks(fileId, 0, sealed.chunks)
  await files.put({ fileId, conversationId: 'c1', manifest: new Uint8Array(0), fromMe: true, createdAt: 0, uploadedTo: [] })
  const holder = deviceChunkHolder(files)
  const served: number[] = []
  const network: ChunkNetwork = {
    peers: () => [sender],
    onPeersChanged: () => () => {},
    get: async (_peer, id, first, count) => {
      const chunks = await holder.get(id, first, count, 1024 * 1024)
      chunks.forEach((_, i) => served.push(first + i))
      return chunks
    },
    // the sender's record carries no manifest here; it holds every chunk of the file
    held: async () => ({ total: sealed.chunks.length, held: await files.heldAmong(fileId, sealed.chunks.length) }),
    put: async () => 0,
    serve: async () => {}
  }
  return { network, served }
}

function fileOf (chunks: number): { bytes: Uint8Array, sealed: SealedFile } {
  const bytes = new Uint8Array(randomBytes(chunks * 64 * 1024 - 100))
  return { bytes, sealed: sealFile(bytes, { name: 'survey.pdf', mediaType: 'application/pdf' }, (n) => new Uint8Array(randomBytes(n))) }
}

describe('fetchFile', () => {
  it('a file removed from the device while it downloads (its message expired) is not handed out', async () => {
    const { sealed } = fileOf(4)
    const { network } = await senderWith(sealed)
    const receiver = (await store()).files
    const failed = fetchFile({ fileId: toHex(sealed.fileId), manifest: sealed.manifest, network, files: receiver, patienceMs: 5_000, onProgress: () => {} })
    await expect(failed).rejects.toThrow(FileUnavailableError)
    await expect(failed).rejects.toThrow(/removed from this device/)
  })

  it('opens the chunks kept by an earlier try and fetches only the rest; the file comes out byte for byte', async () => {
    const { bytes, sealed } = fileOf(40)
    const { network, served } = await senderWith(sealed)
    const receiver = await receiverOf(sealed)
    const fileId = toHex(sealed.fileId)
    await receiver.putChunks(fileId, 0, sealed.chunks.slice(0, 25))
    const progress: number[] = []
    const out = await fetchFile({ fileId, manifest: sealed.manifest, network, files: receiver, patienceMs: 5_000, onProgress: (n) => progress.push(n) })
    expect(Buffer.from(out).equals(Buffer.from(bytes))).toBe(true)
    expect(served.sort((a, b) => a - b)).toEqual(Array.from({ length: 15 }, (_, i) => 25 + i))
    expect(progress[0]).toBe(25)
    expect(progress.at(-1)).toBe(40)
    expect(await receiver.heldAmong(fileId, 40)).toHaveLength(40)
  })

  it('a kept chunk damaged on disk is fetched again and overwritten, not a download that can never finish', async () => {
    const { bytes, sealed } = fileOf(20)
    const { network, served } = await senderWith(sealed)
    const receiver = await receiverOf(sealed)
    const fileId = toHex(sealed.fileId)
    const damaged = sealed.chunks.map(c => c.slice())
    damaged[7]![100] = damaged[7]![100]! ^ 1
    await receiver.putChunks(fileId, 0, damaged)
    const out = await fetchFile({ fileId, manifest: sealed.manifest, network, files: receiver, patienceMs: 5_000, onProgress: () => {} })
    expect(Buffer.from(out).equals(Buffer.from(bytes))).toBe(true)
    expect(served).toEqual([7])
    expect(Buffer.from((await receiver.chunksFrom(fileId, 7, 1))[0]!).equals(Buffer.from(sealed.chunks[7]!))).toBe(true)
  })

  it('chunks that match their hashes but do not open under the manifest\'s key fail the download at once, as the manifest\'s fault', async () => {
    const { sealed } = fileOf(20)
    const { network } = await senderWith(sealed)
    const receiver = await receiverOf(sealed)
    const fileId = toHex(sealed.fileId)
    const lying = { ...sealed.manifest, key: new Uint8Array(randomBytes(32)) }
    const started = Date.now()
    const failed = fetchFile({ fileId, manifest: lying, network, files: receiver, patienceMs: 60_000, onProgress: () => {} })
    await expect(failed).rejects.toThrow(ChunkIntegrityError)
    await expect(failed).rejects.toThrow(/manifest does not match its chunks/)
    // not after the patience: no peer is waited for when none could mend it
    expect(Date.now() - started).toBeLessThan(30_000)
  })
  it('a disk slower than the link slows the fetching: the chunks fetched but not yet written stay within a few batches, not the whole file', async () => {
    const { bytes, sealed } = fileOf(200)
    const { network, served } = await senderWith(sealed)
    const receiver = await receiverOf(sealed)
    const fileId = toHex(sealed.fileId)
    // the disk writes one batch each time the test lets it, while the link answers at once
    const heldBack: Array<() => void> = []
    let written = 0
    let mostUnwritten = 0
    const honestPut = receiver.putChunks.bind(receiver)
    receiver.putChunks = async (id, first, chunks) => {
      mostUnwritten = Math.max(mostUnwritten, served.length - written)
      await new Promise<void>(resolve => heldBack.push(resolve))
      await honestPut(id, first, chunks)
      written += chunks.length
    }
    const window = 2
    const perBatch = 15
    const done = fetchFile({ fileId, manifest: sealed.manifest, network, files: receiver, patienceMs: 5_000, onProgress: () => {}, window })
    const disk = setInterval(() => { heldBack.shift()?.() }, 5)
    try {
      const out = await done
      expect(Buffer.from(out).equals(Buffer.from(bytes))).toBe(true)
    } finally { clearInterval(disk) }
    expect(served).toHaveLength(200)
    // `window` batches in flight, fewer than 2 × `window` waiting to be written
    expect(mostUnwritten).toBeLessThanOrEqual(3 * window * perBatch)
  })
})
