import { afterEach, describe, expect, it } from 'vitest'
import { bytesEqual } from '@dak/protocol'
import { ChunkStore } from '../../bootstrap/src/files/chunk-store.js'
import type { FileProgress } from '../../node/src/messenger/api.js'
import { waitFor } from '../helpers/wait.js'
import { DepartmentWorld } from '../messenger/department.js'
import { directChat, fileMessage, filesContaining, MARKER, markedFile } from './world.js'

/**
 * Attachments end to end (docs/files.md), real libp2p on loopback, real
 * level on disk, the real department node: a 20 MB file from one device to
 * another through the department node while the sender is offline, with the
 * link cut in the middle (the node stops) and the receiver restarted later;
 * each time the download goes on from the last checked chunk. Then the
 * node's disk is searched for the file's plaintext.
 */

const world = new DepartmentWorld()
const honestGet = ChunkStore.prototype.get
afterEach(async () => {
  ChunkStore.prototype.get = honestGet
  await world.stop()
})

/** Chunks the department node served, counted per file where the test reads them. */
function countServed (): { count: number } {
  const served = { count: 0 }
  ChunkStore.prototype.get = async function (this: ChunkStore, ...args: Parameters<ChunkStore['get']>) {
    const chunks = await honestGet.apply(this, args)
    served.count += chunks.length
    return chunks
  }
  return served
}

describe('a 20 MB file', () => {
  it('reaches the other device through the department node, resuming after the node goes down and after the receiver restarts, and the node keeps 0 plaintext bytes', async () => {
    await world.start()
    const openAsha = await world.enrol('asha')
    const asha = await openAsha()
    const openBala = await world.enrol('bala')
    let bala = await openBala()
    const chat = await directChat(world, asha, bala)

    const bytes = markedFile(20 * 1000 * 1000)
    const sent = await asha.messenger.sendFile(chat.id, { bytes, name: 'survey.bin', mediaType: 'application/octet-stream' })
    const fileId = sent.attachment!.fileId
    const total = Math.ceil(bytes.length / 65536)
    // the sender uploads to its department node, then goes offline: the node serves the file alone
    await waitFor('the node holds every chunk', async () => {
      const record = await asha.store.files.get(fileId)
      return record != null && record.uploadedTo.length > 0
    }, { timeoutMs: 120_000 })
    const message = await fileMessage(bala, chat.id, fileId)
    expect(message.attachment).toMatchObject({ name: 'survey.bin', size: bytes.length, mediaType: 'application/octet-stream' })
    await asha.messenger.idle()
    await asha.stop()

    // 1. the link is cut once a quarter is in: the node goes down, the download waits, the node comes back
    const served = countServed()
    const progress: FileProgress[] = []
    bala.messenger.on('file-progress', (p) => { progress.push(p) })
    const first = bala.messenger.download(message.id)
    first.catch(() => {}) // awaited below
    await waitFor('a quarter of the chunks kept', () => progress.some(p => p.held >= total / 4), { timeoutMs: 120_000 })
    await world.crash()
    const heldWhileDown = (await bala.messenger.fileStatus(message.id)).held
    expect(heldWhileDown).toBeGreaterThanOrEqual(total / 4)
    expect(heldWhileDown).toBeLessThan(total)
    const servedBeforeRestart = served.count
    await world.restart()

    // 2. the receiver restarts once 60% are in: it goes on from what it kept
    await waitFor('60% of the chunks kept', () => progress.some(p => p.held >= total * 0.6), { timeoutMs: 120_000 })
    await bala.stop()
    await first.then(() => { throw new Error('the download finished though its device stopped') }, (err: Error) => { expect(err.name).toMatch(/AbortError|FileUnavailableError|StorageUnavailableError/) })
    const heldAtRestart = (await (async () => { bala = await openBala(); return (await bala.messenger.fileStatus(message.id)).held })())
    // since it came back the node served at least what the receiver kept meanwhile, and nothing it had kept before
    expect(served.count - servedBeforeRestart).toBeGreaterThanOrEqual(heldAtRestart - heldWhileDown)
    expect(served.count - servedBeforeRestart).toBeLessThanOrEqual(total - heldWhileDown)
    const servedBeforeReopen = served.count
    await waitFor('department reached again', () => bala.messenger.status().mode === 'department', { timeoutMs: 30_000 })
    const file = await bala.messenger.download(message.id)
    expect(file.name).toBe('survey.bin')
    expect(bytesEqual(file.bytes, bytes)).toBe(true)
    expect(served.count - servedBeforeReopen).toBe(total - heldAtRestart)
    console.log(`20 MB file, ${total} chunks: ${heldWhileDown} kept when the node went down, ${heldAtRestart} when the receiver restarted; the node served ${served.count} chunks in all`)

    // 3. the node's disk: ciphertext only
    await world.crash()
    expect(await filesContaining(world.dataDirectory, MARKER)).toEqual([])
  }, 300_000)
})
