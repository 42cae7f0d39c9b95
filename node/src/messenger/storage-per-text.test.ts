import { afterEach, describe, expect, it } from 'vitest'
import { waitFor } from '../../../test/helpers/wait.js'
import type { DeviceStore, StoreOp } from '../storage/index.js'
import { ManualSchedule, TestWorld, type TestOfficer } from './testing/memory-network.js'

/**
 * Issue 13, part 3: what a device writes for each text it receives, in steady
 * state, in a ten-member group. The MLS group state is ~17 KiB there, almost
 * all of it the ratchet tree, which only a commit changes; before the state
 * was split (protocol/src/mls/state-parts.ts) all of it was rewritten for every
 * text. Counted are the bytes handed to the store (values, keys' names and
 * texts), before encryption at rest adds its fixed 41 bytes per record.
 */

const MEMBERS = 10
const TEXTS = 20
/** The goal per received text. */
const GOAL_BYTES = 4 * 1024

function opBytes (value: unknown): number {
  if (value instanceof Uint8Array) return value.length
  if (typeof value === 'string') return value.length
  if (Array.isArray(value)) return value.reduce((sum: number, v) => sum + opBytes(v), 0)
  if (value != null && typeof value === 'object') return Object.values(value).reduce((sum: number, v) => sum + opBytes(v), 0)
  return 8
}

class CountingStore {
  bytes = 0
  sharedRecords = 0
  wholeStates = 0
  counting = false

  wrap (real: DeviceStore): DeviceStore {
    return {
      ...real,
      commit: async (ops: StoreOp[]) => {
        if (this.counting) {
          this.bytes += opBytes(ops)
          for (const op of ops) {
            if (op.type !== 'group-state') continue
            if (op.shared !== undefined) this.sharedRecords++
            if (op.state[0] === 1) this.wholeStates++
          }
        }
        await real.commit(ops)
      }
    }
  }
}

let world = new TestWorld()
afterEach(async () => {
  await world.stop()
  world = new TestWorld()
})

describe('storage per received text', () => {
  it(`stays under ${GOAL_BYTES} bytes in a ${MEMBERS}-member group: the tree is not rewritten for every text`, async () => {
    const counter = new CountingStore()
    const asha = await world.officer('asha')
    // Bob's receipts wait for a timer that never fires here: what is counted is receiving, not answering.
    const bob = await world.officer('bob', { schedule: new ManualSchedule().schedule, store: (real) => counter.wrap(real) })
    const others: TestOfficer[] = [bob]
    for (let i = 2; i < MEMBERS; i++) others.push(await world.officer(`member${i}`))
    await waitFor('asha meets everyone', async () => (await asha.messenger.contacts()).length === others.length, { timeoutMs: 60_000 })
    const group = await asha.messenger.createGroup('Budget cell', others.map(o => o.handle))
    await waitFor('bob joined', async () => (await bob.messenger.conversations()).find(c => c.id === group.id)?.title === 'Budget cell', { timeoutMs: 60_000 })
    for (const officer of [asha, ...others]) await officer.messenger.idle()

    let received = 0
    bob.messenger.on('message', (m) => { if (m.conversationId === group.id && m.kind === 'text' && !m.fromMe) received++ })
    counter.counting = true
    for (let i = 0; i < TEXTS; i++) await asha.messenger.send(group.id, `memo ${i}: the revised tables are attached`)
    await waitFor(`${TEXTS} texts at bob`, () => received === TEXTS, { timeoutMs: 60_000 })
    await bob.messenger.idle()
    counter.counting = false

    // the shared record went in when bob joined (a commit); texts write only the own record
    expect(counter.sharedRecords).toBe(0)
    expect(counter.wholeStates).toBe(0)
    const perText = counter.bytes / TEXTS
    expect(perText, `bytes written per received text: ${Math.round(perText)}`).toBeLessThanOrEqual(GOAL_BYTES)
  }, 180_000)
})
