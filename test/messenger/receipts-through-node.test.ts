import { afterEach, describe, expect, it } from 'vitest'
import type { OpenDevice } from '../../node/src/device/open-device.js'
import type { ChatMessage } from '../../node/src/messenger/api.js'
import { waitFor } from '../helpers/wait.js'
import { DepartmentWorld } from './department.js'

/**
 * Delivery receipts through a department node: each is deposited (a store
 * receipt makes it durable), so a sender offline meanwhile learns of the
 * delivery from the node's store. Receipts sent by gossip alone (no deposit,
 * the node storing what gossip brings it) saved bytes on 2G but lost a receipt
 * in a full run of this test, and were taken back (delivery.ts).
 */
const world = new DepartmentWorld()
afterEach(async () => { await world.stop() })

/** Sends far in the future: every entry of the outbox, due or backing off. */
const EVERYTHING = 365 * 86_400_000

async function outboxSize (device: OpenDevice): Promise<number> {
  return (await device.store.outbox.due(Date.now() + EVERYTHING, { limit: 1_000 })).length
}

async function outboxesEmpty (devices: OpenDevice[]): Promise<void> {
  await waitFor('every outbox empty', async () => {
    for (const d of devices) if (await outboxSize(d) > 0) return false
    return true
  }, { timeoutMs: 30_000 })
}

/** The node's counters of envelopes arriving by deposit and by gossip (stored or already held). */
async function arrivals (): Promise<{ deposited: number, gossiped: number }> {
  const text = await (await fetch(new URL('/metrics', world.node.httpUrl))).text()
  const counter = (name: string): number => Number(new RegExp(`^dak_${name} (\\d+)$`, 'm').exec(text)?.[1] ?? 0)
  return {
    deposited: counter('deposits_total') + counter('deposit_duplicates_total'),
    gossiped: counter('gossip_stored_total') + counter('gossip_duplicates_total')
  }
}

async function own (device: OpenDevice, conversationId: string, text: string): Promise<ChatMessage | undefined> {
  return (await device.messenger.history(conversationId, { limit: 200 })).messages.find(m => m.text === text && m.fromMe && /^[0-9a-f]{64}$/.test(m.id))
}

describe('delivery receipts through a department node', () => {
  it('are deposited, so a sender offline meanwhile learns of the delivery from the store', async () => {
    await world.start('mof.budget')
    const [openAsha, openBala, openChitra] = [await world.enrol('asha'), await world.enrol('bala'), await world.enrol('chitra')]
    let asha = await openAsha()
    let bala = await openBala()
    let chitra = await openChitra()
    for (const d of [asha, bala, chitra]) await waitFor('department reached', () => d.messenger.status().mode === 'department', { timeoutMs: 30_000 })
    await waitFor('directory loaded', async () => (await asha.messenger.contacts()).length >= 2, { timeoutMs: 30_000 })
    const group = await asha.messenger.createGroup('Budget cell', ['bala', 'chitra'])
    for (const d of [bala, chitra]) await waitFor('joined', async () => (await d.messenger.conversations()).some(c => c.id === group.id), { timeoutMs: 60_000 })
    await outboxesEmpty([asha, bala, chitra])

    // Everyone online: asha's text and both receipts are deposited (gossip brings the node copies too)
    const before = await arrivals()
    await asha.messenger.send(group.id, 'Files to the registry by noon')
    await waitFor('delivered to both', async () => (await own(asha, group.id, 'Files to the registry by noon'))?.receipts?.delivered === 2,
      { timeoutMs: 30_000, subscribe: (wake) => asha.messenger.on('message-changed', wake) })
    await outboxesEmpty([asha, bala, chitra])
    const after = await arrivals()
    expect(after.deposited - before.deposited).toBe(3)

    // The receivers offline while asha sends; asha offline while they acknowledge
    for (const d of [bala, chitra]) {
      await d.messenger.idle()
      await d.stop()
    }
    await asha.messenger.send(group.id, 'The circular is signed')
    await waitFor('stored', async () => (await own(asha, group.id, 'The circular is signed'))?.state === 'stored', { timeoutMs: 30_000 })
    await asha.messenger.idle()
    await asha.stop()
    bala = await openBala()
    chitra = await openChitra()
    for (const d of [bala, chitra]) {
      await waitFor('caught up', async () => (await d.messenger.history(group.id)).messages.some(m => m.text === 'The circular is signed'), { timeoutMs: 60_000 })
    }
    await outboxesEmpty([bala, chitra])
    asha = await openAsha()
    const seen = await waitFor('asha learns both deliveries from the store', async () => {
      const m = await own(asha, group.id, 'The circular is signed')
      return m?.receipts?.delivered === 2 ? m : undefined
    }, { timeoutMs: 60_000, subscribe: (wake) => asha.messenger.on('message-changed', wake) })
    expect(seen.receipts).toEqual({ delivered: 2, read: 0, of: 2 })
  }, 240_000)
})
