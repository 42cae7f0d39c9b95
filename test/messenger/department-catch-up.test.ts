import { afterEach, describe, expect, it } from 'vitest'
import type { ChatMessage } from '../../node/src/messenger/api.js'
import type { OpenDevice } from '../../node/src/device/open-device.js'
import { waitFor } from '../helpers/wait.js'
import { DepartmentWorld } from './department.js'

const world = new DepartmentWorld()
afterEach(async () => { await world.stop() })

const PER_SENDER = 500

async function sendAll (device: OpenDevice, conversationId: string, prefix: string): Promise<void> {
  for (let i = 0; i < PER_SENDER; i++) await device.messenger.send(conversationId, `${prefix}-${String(i).padStart(4, '0')}`)
}

/** The whole history, oldest first, read page by page as the UI does. */
async function everything (device: OpenDevice, conversationId: string): Promise<ChatMessage[]> {
  const pages: ChatMessage[][] = []
  let before: string | undefined
  for (let count = 0; count < 100; count++) {
    const page = await device.messenger.history(conversationId, { limit: 200, ...(before != null ? { before } : {}) })
    pages.unshift(page.messages)
    if (page.before == null) break
    before = page.before
  }
  return pages.flat()
}

async function allStored (device: OpenDevice, conversationId: string, prefix: string): Promise<boolean> {
  const stored = (await everything(device, conversationId)).filter(m => m.fromMe && m.text.startsWith(prefix) && ['stored', 'delivered', 'read'].includes(m.state))
  return stored.length === PER_SENDER
}

describe('store-and-forward through a department node', () => {
  it('an officer offline while 1,000 messages are sent catches up: all of them, once each, in order per sender, with progress', async () => {
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
    await waitFor('chitra joined', async () => (await chitra.messenger.conversations()).some(c => c.id === group.id), { timeoutMs: 30_000 })
    await waitFor('bala joined', async () => (await bala.messenger.conversations()).some(c => c.id === group.id), { timeoutMs: 30_000 })
    await chitra.messenger.idle()
    await chitra.stop()

    await Promise.all([sendAll(asha, group.id, 'asha'), sendAll(bala, group.id, 'bala')])
    await waitFor('all of asha\'s stored', async () => await allStored(asha, group.id, 'asha'), { timeoutMs: 240_000 })
    await waitFor('all of bala\'s stored', async () => await allStored(bala, group.id, 'bala'), { timeoutMs: 240_000 })

    const progress: number[] = []
    chitra = await openChitra()
    chitra.messenger.on('sync', (s) => { progress.push(s.done) })
    await waitFor('chitra caught up', async () => {
      return (await everything(chitra, group.id)).filter(m => m.kind === 'text').length >= 2 * PER_SENDER
    }, { timeoutMs: 240_000, subscribe: (wake) => chitra.messenger.on('sync', wake) })
    await chitra.messenger.idle()

    const texts = (await everything(chitra, group.id)).filter(m => m.kind === 'text').map(m => m.text)
    expect(texts).toHaveLength(2 * PER_SENDER)
    expect(new Set(texts).size).toBe(2 * PER_SENDER)
    for (const prefix of ['asha', 'bala']) {
      const mine = texts.filter(t => t.startsWith(prefix))
      expect(mine).toEqual([...mine].sort())
      expect(mine).toHaveLength(PER_SENDER)
    }
    expect(progress.length).toBeGreaterThan(2)
    expect(progress).toEqual([...progress].sort((x, y) => x - y))
  }, 600_000)
})
