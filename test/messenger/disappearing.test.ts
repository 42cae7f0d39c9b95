import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { OpenDevice } from '../../node/src/device/open-device.js'
import { waitFor } from '../helpers/wait.js'
import { DepartmentWorld } from './department.js'

/**
 * Disappearing messages end to end (issue 14 part 5): a real department node
 * and three real devices (libp2p on loopback, classic-level on disk). The
 * devices' stores here are plain (no storage key), so a canary that was
 * written is findable on disk, and its absence after expiry means it was
 * deleted and compacted away, not merely encrypted.
 */

const CANARY = 'CANARY-disappear-5e1d'
const TIMER_MS = 2000

const world = new DepartmentWorld()
afterEach(async () => { await world.stop() })

/** Every file under a device's data directory that holds `needle`. */
async function filesHolding (dir: string, needle: string): Promise<string[]> {
  const bytes = Buffer.from(needle)
  const found: string[] = []
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue
    const path = join(entry.parentPath, entry.name)
    if ((await readFile(path)).includes(bytes)) found.push(path)
  }
  return found
}

async function texts (device: OpenDevice, conversationId: string): Promise<string[]> {
  return (await device.messenger.history(conversationId, { limit: 200 })).messages.map(m => m.text)
}

async function conversation (device: OpenDevice, id: string) {
  return (await device.messenger.conversations()).find(c => c.id === id)
}

describe('disappearing messages', () => {
  it('a 2 s timer: the canary is gone from both devices (history, unread, disk) and from the node; an officer offline past it never gets it and sees nothing missing', async () => {
    await world.start()
    const openAsha = await world.enrol('asha')
    const openBala = await world.enrol('bala')
    const openChitra = await world.enrol('chitra')
    const asha = await openAsha()
    const bala = await openBala()
    let chitra = await openChitra()
    for (const d of [asha, bala, chitra]) await waitFor('department reached', () => d.messenger.status().mode === 'department', { timeoutMs: 20_000 })
    await waitFor('directory loaded', async () => (await asha.messenger.contacts()).length >= 2, { timeoutMs: 20_000 })

    const group = await asha.messenger.createGroup('Budget cell', ['bala', 'chitra'])
    await waitFor('bala joined', async () => await conversation(bala, group.id), { timeoutMs: 30_000 })
    await waitFor('chitra joined', async () => await conversation(chitra, group.id), { timeoutMs: 30_000 })

    // only an admin sets the timer: a typed refusal, and nothing changes
    await expect(bala.messenger.setTimer(group.id, TIMER_MS)).rejects.toMatchObject({ name: 'NotAdminError' })
    expect((await conversation(bala, group.id))?.timerMs).toBeUndefined()

    const set = await asha.messenger.setTimer(group.id, TIMER_MS)
    expect(set.timerMs).toBe(TIMER_MS)
    const line = 'Asha set messages to disappear after 2 seconds'
    for (const d of [bala, chitra]) {
      await waitFor('the timer reached every member', async () => (await conversation(d, group.id))?.timerMs === TIMER_MS && (await texts(d, group.id)).includes(line), { timeoutMs: 30_000 })
    }
    expect(await texts(asha, group.id)).toContain(line)

    // chitra goes offline for longer than the timer
    await chitra.messenger.idle()
    await chitra.stop()

    const unreadBefore = (await conversation(bala, group.id))?.unread ?? -1
    const expired: string[] = []
    bala.messenger.on('messages-expired', (e) => { if (e.conversationId === group.id) expired.push(...e.ids) })
    const sent = await asha.messenger.send(group.id, CANARY)
    expect(sent.expiresAt).toBeGreaterThan(sent.sentAt)
    expect(sent.expiresAt! - sent.sentAt).toBeLessThanOrEqual(TIMER_MS)
    const received = await waitFor('bala received the canary', async () => (await bala.messenger.history(group.id)).messages.find(m => m.text === CANARY), { timeoutMs: 30_000 })
    expect(received.expiresAt).toBeGreaterThan(received.sentAt)
    expect((await conversation(bala, group.id))?.unread).toBe(unreadBefore + 1)
    // control: the scan does find a canary that is on disk
    expect(await filesHolding(world.deviceDirs.get('bala')!, CANARY)).not.toEqual([])

    for (const d of [asha, bala]) {
      await waitFor('the canary disappeared', async () => !(await texts(d, group.id)).includes(CANARY), { timeoutMs: 15_000 })
    }
    await waitFor('bala was told to drop it', () => expired.includes(received.id), { timeoutMs: 5000 })
    const balaAfter = await conversation(bala, group.id)
    expect(balaAfter?.unread).toBe(unreadBefore)
    expect(balaAfter?.lastMessage?.text).not.toBe(CANARY)
    expect((await conversation(asha, group.id))?.lastMessage?.text).not.toBe(CANARY)

    // a message after the expiry leaves a hole in asha's numbers where the canary was
    await asha.messenger.send(group.id, 'after the timer')
    await waitFor('bala got the later message', async () => (await texts(bala, group.id)).includes('after the timer'), { timeoutMs: 30_000 })

    chitra = await openChitra()
    await waitFor('chitra caught up', async () => (await texts(chitra, group.id)).includes('after the timer'), { timeoutMs: 60_000 })
    await chitra.messenger.idle()
    expect(await texts(chitra, group.id)).not.toContain(CANARY)
    expect((await conversation(chitra, group.id))?.missing).toEqual([])
    expect((await conversation(bala, group.id))?.missing).toEqual([])

    // closing each store runs the compaction the deletions owed: no canary byte left in any file
    for (const d of [asha, bala, chitra]) await d.stop()
    for (const handle of ['asha', 'bala', 'chitra']) {
      expect(await filesHolding(world.deviceDirs.get(handle)!, CANARY), handle).toEqual([])
    }
  }, 240_000)
})
