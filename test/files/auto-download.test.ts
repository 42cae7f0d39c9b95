import { afterEach, describe, expect, it } from 'vitest'
import { waitFor } from '../helpers/wait.js'
import { DepartmentWorld } from '../messenger/department.js'
import { directChat, fileMessage, markedFile } from './world.js'

/**
 * Issue 15: "download automatically up to a size the officer or department
 * sets". A department node that says 0 (never, e.g. for a district on 2G):
 * its devices fetch nothing without asking; an officer who chooses 100 kB on
 * their own device gets small files at once there; going back to the
 * department's size applies it again. Real node, devices, libp2p and level.
 */

const world = new DepartmentWorld()
afterEach(async () => { await world.stop() })

describe('automatic download of incoming files', () => {
  it('follows the department (none here), unless the officer chose otherwise on the device', async () => {
    await world.start('mof.budget', { autoDownloadMB: 0 })
    const asha = await (await world.enrol('asha'))()
    const bala = await (await world.enrol('bala'))()
    const chat = await directChat(world, asha, bala)
    // the node's settings come with the connection
    await waitFor('bala learnt the department\'s size', async () => (await bala.messenger.autoDownload()).source === 'department', { timeoutMs: 20_000 })
    expect(await bala.messenger.autoDownload()).toEqual({ bytes: 0, source: 'department' })

    const first = await asha.messenger.sendFile(chat.id, { bytes: markedFile(20_000), name: 'note-1.pdf', mediaType: 'application/pdf' })
    const firstAtBala = await fileMessage(bala, chat.id, first.attachment!.fileId)

    expect(await bala.messenger.setAutoDownload(100_000)).toEqual({ bytes: 100_000, source: 'officer' })
    const second = await asha.messenger.sendFile(chat.id, { bytes: markedFile(20_000), name: 'note-2.pdf', mediaType: 'application/pdf' })
    const secondAtBala = await fileMessage(bala, chat.id, second.attachment!.fileId)
    await waitFor('the second file fetched without asking', async () => (await bala.messenger.fileStatus(secondAtBala.id)).state === 'complete', { timeoutMs: 30_000 })
    // the first arrived (and was decided on) before the second: under the department's 0 it was left alone
    expect((await bala.messenger.fileStatus(firstAtBala.id)).held).toBe(0)

    const large = await asha.messenger.sendFile(chat.id, { bytes: markedFile(300_000), name: 'survey.pdf', mediaType: 'application/pdf' })
    const largeAtBala = await fileMessage(bala, chat.id, large.attachment!.fileId)
    expect(await bala.messenger.setAutoDownload(null)).toEqual({ bytes: 0, source: 'department' })
    const third = await asha.messenger.sendFile(chat.id, { bytes: markedFile(20_000), name: 'note-3.pdf', mediaType: 'application/pdf' })
    const thirdAtBala = await fileMessage(bala, chat.id, third.attachment!.fileId)
    // asked for by hand, a file is fetched whatever the limit
    await bala.messenger.download(thirdAtBala.id)
    expect((await bala.messenger.fileStatus(largeAtBala.id)).held, 'over the officer\'s 100 kB').toBe(0)
    expect((await bala.messenger.fileStatus(firstAtBala.id)).held).toBe(0)
  }, 120_000)
})
