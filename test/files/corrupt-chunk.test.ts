import { afterEach, describe, expect, it } from 'vitest'
import { bytesEqual } from '@dak/protocol'
import { ChunkStore } from '../../bootstrap/src/files/chunk-store.js'
import type { FileProgress } from '../../node/src/messenger/api.js'
import { waitFor } from '../helpers/wait.js'
import { DepartmentWorld } from '../messenger/department.js'
import { directChat, fileMessage, markedFile } from './world.js'

/**
 * THREATS.md, a misbehaving department node, for attachments (docs/files.md):
 * the node flips a byte in chunk 3 when it serves it. The receiver
 * refuses that chunk before keeping it, asks the node nothing more for this
 * file, and fetches the rest from the sender when it comes back online. Real
 * node, real devices, real libp2p: only ChunkStore.get is wrapped.
 */

const world = new DepartmentWorld()
const honestGet = ChunkStore.prototype.get
afterEach(async () => {
  ChunkStore.prototype.get = honestGet
  await world.stop()
})

describe('a department node that corrupts a chunk', () => {
  it('has the chunk refused and fetched again from the sender; the file arrives intact', async () => {
    await world.start()
    const openAsha = await world.enrol('asha')
    let asha = await openAsha()
    const bala = await (await world.enrol('bala'))()
    const chat = await directChat(world, asha, bala)
    const bytes = markedFile(3 * 1000 * 1000)
    const sent = await asha.messenger.sendFile(chat.id, { bytes, name: 'site.jpg', mediaType: 'image/jpeg' })
    const fileId = sent.attachment!.fileId
    const total = Math.ceil(bytes.length / 65536)
    await waitFor('uploaded', async () => ((await asha.store.files.get(fileId))?.uploadedTo.length ?? 0) > 0, { timeoutMs: 60_000 })
    const message = await fileMessage(bala, chat.id, fileId)
    await asha.messenger.idle()
    await asha.stop()

    // the batch from chunk 0 has chunk 3 flipped
    const flipped = { count: 0, asked: 0 }
    ChunkStore.prototype.get = async function (this: ChunkStore, ...args: Parameters<ChunkStore['get']>) {
      const chunks = await honestGet.apply(this, args)
      flipped.asked++
      if (args[1] === 0 && chunks.length > 3) {
        const bad = chunks[3]!.slice()
        bad[100] = bad[100]! ^ 0x01
        chunks[3] = bad
        flipped.count++
      }
      return chunks
    }
    const progress: FileProgress[] = []
    bala.messenger.on('file-progress', (p) => { progress.push(p) })
    const download = bala.messenger.download(message.id)
    download.catch(() => {}) // awaited below
    // the node gave chunks 0-2, then a bad 3: the receiver kept 0-2 (and the batches already on their way), never 3,
    // and waits: with the node refused, nobody else holds the file
    await waitFor('the bad chunk served', () => flipped.count > 0, { timeoutMs: 30_000 })
    await waitFor('the download waits for another peer', () => progress.length > 0 && bala.messenger.fileStatus(message.id).then(s => s.held >= 3), { timeoutMs: 30_000 })
    const status = await bala.messenger.fileStatus(message.id)
    expect(status.held).toBeGreaterThanOrEqual(3)
    expect(status.held).toBeLessThan(total)
    expect((await bala.store.files.chunksFrom(fileId, 0, 4)).length).toBe(3)
    const askedBeforeSender = flipped.asked

    // the sender comes back; the receiver reaches it directly and gets the rest from it
    asha = await openAsha()
    await bala.libp2p.dial(asha.libp2p.getMultiaddrs()[0]!)
    const file = await download
    expect(bytesEqual(file.bytes, bytes)).toBe(true)
    expect(flipped.count).toBe(1)
    expect(flipped.asked).toBe(askedBeforeSender) // refused: never asked again for this file
    expect(progress.at(-1)).toMatchObject({ state: 'complete', held: total, total })
  }, 180_000)
})
