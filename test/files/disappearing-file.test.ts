import { afterEach, describe, expect, it } from 'vitest'
import { fromHex } from '@dak/protocol'
import { chunkClient } from '../../node/src/net/chunks.js'
import { createRpc } from '../../node/src/net/rpc.js'
import { waitFor } from '../helpers/wait.js'
import { DepartmentWorld } from '../messenger/department.js'
import { directChat, fileMessage, markedFile } from './world.js'

/**
 * A file sent in a conversation with a disappearing-message timer (issue 14
 * part 5) goes with its message: from the sender's and the receiver's device
 * (record, key and chunks) and from the department node's chunk store. Before,
 * a file message carried no expiry at all, so the file stayed everywhere for
 * ever although the conversation's texts disappeared.
 */

const TIMER_MS = 8_000
const world = new DepartmentWorld()
afterEach(async () => { await world.stop() })

describe('a file in a disappearing conversation', () => {
  it('is gone from both devices and the department node once its message expires', async () => {
    await world.start()
    const asha = await (await world.enrol('asha'))()
    const bala = await (await world.enrol('bala'))()
    const chat = await directChat(world, asha, bala)
    await asha.messenger.setTimer(chat.id, TIMER_MS)
    await waitFor('bala has the timer', async () => (await bala.messenger.conversations()).find(c => c.id === chat.id)?.timerMs === TIMER_MS, { timeoutMs: 30_000 })

    const sent = await asha.messenger.sendFile(chat.id, { bytes: markedFile(300_000), name: 'camp-list.pdf', mediaType: 'application/pdf' })
    expect(sent.expiresAt, 'the file message carries the timer').toBeGreaterThan(sent.sentAt)
    const fileId = sent.attachment!.fileId
    await waitFor('the node holds the file', async () => ((await asha.store.files.get(fileId))?.uploadedTo.length ?? 0) > 0, { timeoutMs: 30_000 })
    const message = await fileMessage(bala, chat.id, fileId)
    expect(message.expiresAt).toBeGreaterThan(message.sentAt)
    await bala.messenger.download(message.id)
    expect((await bala.messenger.fileStatus(message.id)).state).toBe('complete')

    // what the node serves, asked over the network as any verified peer would ask
    const nodePeer = world.node.multiaddrs()[0]!.split('/p2p/')[1]
    const node = bala.libp2p.getConnections().find(c => c.remotePeer.toString() === nodePeer && c.status === 'open')!
    const chunks = chunkClient(createRpc(bala.libp2p, bala.libp2p.services.directory))
    const heldAtNode = async (): Promise<number> => (await chunks.held(node, fromHex(fileId))).total
    expect(await heldAtNode()).toBeGreaterThan(0)

    for (const device of [asha, bala]) {
      await waitFor('the message disappeared', async () => !(await device.messenger.history(chat.id)).messages.some(m => m.attachment?.fileId === fileId), { timeoutMs: TIMER_MS + 15_000 })
      expect(await device.store.files.get(fileId), 'the file record, with its key').toBeUndefined()
      expect(await device.store.files.heldChunks(fileId), 'its chunks').toEqual([])
    }
    await waitFor('the node deleted the file', async () => await heldAtNode() === 0, { timeoutMs: 10_000 })
  }, 120_000)
})
