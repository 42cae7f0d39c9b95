import { afterEach, describe, expect, it } from 'vitest'
import { waitFor } from '../helpers/wait.js'
import { DepartmentWorld } from './department.js'

/**
 * A conversation summary carries the group's MLS epoch (docs/messenger.md,
 * *Membership and the sequencer*): devices that agree on members and epoch
 * agree on the group. The field harness's `partition` profile compares them
 * after a heal; this shows the figure is the group's, and moves with a commit.
 */

const world = new DepartmentWorld()
afterEach(async () => { await world.stop() })

describe('a conversation summary', () => {
  it('carries the epoch, the same on every member, and a membership change moves it on all of them', async () => {
    await world.start()
    const asha = await (await world.enrol('asha'))()
    const bala = await (await world.enrol('bala'))()
    const chandra = await (await world.enrol('chandra'))()
    for (const d of [asha, bala, chandra]) await waitFor('department reached', () => d.messenger.status().mode === 'department', { timeoutMs: 20_000 })
    await waitFor('directory loaded', async () => (await asha.messenger.contacts()).length >= 2, { timeoutMs: 20_000 })
    const group = await asha.messenger.createGroup('Epochs', ['bala'])
    const epochOf = async (d: typeof asha): Promise<string | undefined> => (await d.messenger.conversations()).find(c => c.id === group.id)?.epoch
    await waitFor('bala joined', async () => await epochOf(bala) != null, { timeoutMs: 30_000 })
    const first = await epochOf(asha)
    expect(first).toMatch(/^\d+$/)
    expect(await epochOf(bala)).toBe(first)

    await asha.messenger.addMembers(group.id, ['chandra'])
    await waitFor('chandra joined', async () => await epochOf(chandra) != null, { timeoutMs: 30_000 })
    const after = await epochOf(chandra)
    expect(BigInt(after!)).toBeGreaterThan(BigInt(first!))
    await waitFor('bala at the new epoch', async () => await epochOf(bala) === after, { timeoutMs: 30_000 })
    expect(await epochOf(asha)).toBe(after)
  }, 120_000)
})
