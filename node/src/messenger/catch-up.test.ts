import { openEnvelope, toHex } from '@dak/protocol'
import { afterEach, describe, expect, it } from 'vitest'
import { waitFor } from '../../../test/helpers/wait.js'
import type { DeviceStore, StoreOp } from '../storage/index.js'
import { ManualSchedule, MemoryDepartment, TestWorld } from './testing/memory-network.js'

let world = new TestWorld()
afterEach(async () => {
  await world.stop()
  world = new TestWorld()
})

class DiskFullError extends Error { override name = 'DiskFullError' }

/** The real store, except that commits matching `failing` are refused whole (as a full disk would refuse the batch). */
function faultyStore (failing: { when?: (ops: StoreOp[]) => boolean }): (store: DeviceStore) => DeviceStore {
  return (store) => ({
    ...store,
    async commit (ops) {
      if (failing.when?.(ops) === true) throw new DiskFullError('no space left on device')
      await store.commit(ops)
    }
  })
}

describe('catch-up from a department node', () => {
  it('persists each page atomically: a failed page leaves nothing and the cursor unmoved, and the retry gets every message once', async () => {
    const department = new MemoryDepartment()
    const failing: { when?: (ops: StoreOp[]) => boolean } = {}
    const bobTimers = new ManualSchedule()
    const asha = await world.officer('asha')
    const bob = await world.officer('bob', { schedule: bobTimers.schedule, store: faultyStore(failing) })
    await waitFor('asha meets bob', async () => (await asha.messenger.contacts()).length === 1)
    const group = (await asha.messenger.createGroup('Budget cell', ['bob'])).id
    await waitFor('bob joined', async () => (await bob.messenger.conversations()).find(c => c.id === group)?.title === 'Budget cell', { timeoutMs: 30_000 })
    // Asha's outbox is empty (the commit and the title reached bob), so the department will hold texts only.
    await waitFor('asha\'s outbox drained', async () => await asha.store.outbox.size() === 0, { timeoutMs: 30_000 })
    await asha.messenger.idle()
    await bob.messenger.idle()

    // Bob goes offline; asha's texts are stored at the department node (only: her outbox is done on the store receipts).
    bob.mesh.setOnline(false)
    asha.departments.reach(department)
    const TEXTS = 300
    for (let i = 0; i < TEXTS; i++) await asha.messenger.send(group, `memo ${String(i).padStart(3, '0')}`)
    await waitFor('all stored at the department', async () => {
      const page = await asha.messenger.history(group, { limit: 500 })
      return page.messages.filter(m => m.fromMe && m.kind === 'text' && m.state === 'stored').length === TEXTS
    }, { timeoutMs: 60_000, subscribe: (wake) => asha.messenger.on('message-state', wake) })
    expect(department.stored(group)).toBe(TEXTS)

    // The second page's commit fails (it carries the cursor past 128).
    failing.when = (ops) => ops.some(op => op.type === 'cursor' && op.node === department.id && op.seq > 128)
    const progress: number[] = []
    bob.messenger.on('sync', (s) => { progress.push(s.done) })
    bob.mesh.setOnline(true)
    bob.departments.reach(department)
    await expect(bob.messenger.catchUp()).rejects.toThrow(DiskFullError)
    expect(progress.at(-1)).toBe(128)
    const texts = async (): Promise<string[]> => (await bob.messenger.history(group, { limit: 500 })).messages.filter(m => m.kind === 'text').map(m => m.text)
    expect(await texts()).toHaveLength(128)
    expect(await bob.store.cursors.get(group, department.id)).toBe(128)
    const [firstOfFailedPage] = (await department.query(group, 128, 1)).entries
    expect(await bob.store.seen.has(toHex(openEnvelope(firstOfFailedPage!.envelope, Date.now()).id))).toBe(false)
    // The first page's receipt was committed with it; the failed page left none behind.
    await bob.messenger.idle()
    expect(world.mesh.distinctFrom(bob.certificate, group)).toBe(1)

    // The disk has room again: the page is redone, and the group state in memory was not spent by the failed try.
    failing.when = undefined
    progress.length = 0
    // (Bob's own receipts are stored on the topic too now: the count includes them.)
    expect(await bob.messenger.catchUp()).toBeGreaterThanOrEqual(TEXTS - 128)
    const all = await texts()
    expect(all).toHaveLength(TEXTS)
    // Every text once (texts sent in the same millisecond have no order between them to check).
    expect([...all].sort()).toEqual(Array.from({ length: TEXTS }, (_, i) => `memo ${String(i).padStart(3, '0')}`))
    expect(await bob.store.cursors.get(group, department.id)).toBeGreaterThanOrEqual(TEXTS)
    expect(progress).toEqual([...progress].sort((x, y) => x - y))

    // One receipt per page, in the page's own commit: no timer involved.
    expect(bobTimers.pending).toBe(0)
    await waitFor('every text delivered', async () => {
      const page = await asha.messenger.history(group, { limit: 500 })
      return page.messages.filter(m => m.fromMe && m.kind === 'text' && m.state === 'delivered').length === TEXTS
    }, { timeoutMs: 30_000, subscribe: (wake) => asha.messenger.on('message-state', wake) })
    await bob.messenger.idle()
    expect(world.mesh.distinctFrom(bob.certificate, group)).toBe(3)
  }, 120_000)

  it('asks for several topics\' first pages at once (a round trip each on 2G), and still processes every topic whole', async () => {
    /** A department whose every query takes a moment, as a slow link's round trip does; it notes how many were in flight at once. */
    class SlowDepartment extends MemoryDepartment {
      inFlight = 0
      mostInFlight = 0
      override async query (topic: string, afterSequence: number, limit: number): ReturnType<MemoryDepartment['query']> {
        this.inFlight++
        this.mostInFlight = Math.max(this.mostInFlight, this.inFlight)
        try {
          await new Promise(resolve => setTimeout(resolve, 20))
          return await super.query(topic, afterSequence, limit)
        } finally {
          this.inFlight--
        }
      }
    }
    const department = new SlowDepartment()
    const asha = await world.officer('asha')
    const bob = await world.officer('bob')
    await waitFor('asha meets bob', async () => (await asha.messenger.contacts()).length === 1)
    const groups: string[] = []
    for (const title of ['Budget cell', 'Flood desk', 'Roads']) {
      const id = (await asha.messenger.createGroup(title, ['bob'])).id
      groups.push(id)
      await waitFor(`bob joined ${title}`, async () => (await bob.messenger.conversations()).find(c => c.id === id)?.title === title, { timeoutMs: 30_000 })
    }
    await waitFor('asha\'s outbox drained', async () => await asha.store.outbox.size() === 0, { timeoutMs: 30_000 })
    await asha.messenger.idle()
    await bob.messenger.idle()

    bob.mesh.setOnline(false)
    asha.departments.reach(department)
    for (const id of groups) for (let i = 0; i < 3; i++) await asha.messenger.send(id, `${id.slice(-4)} memo ${i}`)
    await waitFor('all stored at the department', async () => groups.every(id => department.stored(id) === 3), { timeoutMs: 60_000, subscribe: (wake) => asha.messenger.on('message-state', wake) })

    bob.mesh.setOnline(true)
    bob.departments.reach(department)
    await bob.messenger.catchUp()
    for (const id of groups) {
      const texts = (await bob.messenger.history(id, { limit: 50 })).messages.filter(m => m.kind === 'text').map(m => m.text)
      expect(texts.sort()).toEqual([0, 1, 2].map(i => `${id.slice(-4)} memo ${i}`))
      expect(await bob.store.cursors.get(id, department.id)).toBeGreaterThanOrEqual(3)
    }
    // before: one topic after another, never two queries at once
    expect(department.mostInFlight).toBeGreaterThanOrEqual(2)
    expect(department.mostInFlight).toBeLessThanOrEqual(4)
  }, 120_000)
})
