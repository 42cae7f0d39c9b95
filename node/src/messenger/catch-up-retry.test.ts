import { afterEach, describe, expect, it } from 'vitest'
import { waitFor } from '../../../test/helpers/wait.js'
import { RequestTimeoutError } from '../net/errors.js'
import { ManualSchedule, MemoryDepartment, TestWorld } from './testing/memory-network.js'
import type { QueryPage } from './ports.js'

let world = new TestWorld()
afterEach(async () => {
  await world.stop()
  world = new TestWorld()
})

/** A department node whose link cuts one catch-up request (as 2G at 30% loss did), and that logs where each query started. */
class CuttingDepartment extends MemoryDepartment {
  cutAfter: number | undefined
  readonly queries: Array<{ topic: string, after: number }> = []

  override async query (topic: string, afterSequence: number, limit: number): Promise<QueryPage> {
    this.queries.push({ topic, after: afterSequence })
    if (this.cutAfter !== undefined && afterSequence >= this.cutAfter) {
      this.cutAfter = undefined
      throw new RequestTimeoutError('nothing arrived for 10000 ms')
    }
    return await super.query(topic, afterSequence, limit)
  }
}

describe('a catch-up cut short while the department node stays connected', () => {
  it('is tried again after a pause and resumes from the last committed page (before: waited for the next connection)', async () => {
    const department = new CuttingDepartment()
    const bobTimers = new ManualSchedule()
    const asha = await world.officer('asha')
    const bob = await world.officer('bob', { schedule: bobTimers.schedule })
    await waitFor('asha meets bob', async () => (await asha.messenger.contacts()).length === 1)
    const group = (await asha.messenger.createGroup('Budget cell', ['bob'])).id
    await waitFor('bob joined', async () => (await bob.messenger.conversations()).find(c => c.id === group)?.title === 'Budget cell', { timeoutMs: 30_000 })
    await waitFor('asha\'s outbox drained', async () => await asha.store.outbox.size() === 0, { timeoutMs: 30_000 })
    await bob.messenger.idle()

    // Bob is away; asha's texts are stored at the department node only.
    await bob.messenger.stop()
    bob.mesh.setOnline(false)
    asha.departments.reach(department)
    const TEXTS = 200
    for (let i = 0; i < TEXTS; i++) await asha.messenger.send(group, `memo ${String(i).padStart(3, '0')}`)
    await waitFor('all stored at the department', () => department.stored(group) === TEXTS, { timeoutMs: 60_000 })

    // Bob comes back with the node connected; the link cuts the second page's request.
    department.cutAfter = 128
    bob.mesh.setOnline(true)
    bob.departments.reach(department)
    const errors: string[] = []
    const messenger = await bob.reopen()
    messenger.on('error', (e) => { errors.push(e.name) })
    const texts = async (): Promise<number> => (await messenger.history(group, { limit: 500 })).messages.filter(m => m.kind === 'text').length
    await waitFor('the first page', async () => await texts() >= 128, { timeoutMs: 30_000 })

    // no reconnection: only the retry's timer can bring the rest
    await waitFor('every text, after the retry', async () => {
      bobTimers.fire()
      return await texts() === TEXTS
    }, { timeoutMs: 30_000 })
    const ofGroup = department.queries.filter(q => q.topic === group).map(q => q.after)
    // from the start once, the cut request at 128, and the retry resumed at 128: never from 0 again
    expect(ofGroup.filter(after => after === 0)).toHaveLength(1)
    expect(ofGroup.filter(after => after === 128).length).toBeGreaterThanOrEqual(2)
    expect(errors).toContain('RequestTimeoutError')
  }, 120_000)
})
