import { afterEach, describe, expect, it } from 'vitest'
import { openEnvelope, toHex } from '@dak/protocol'
import { waitFor } from '../../../test/helpers/wait.js'
import { RequestTimeoutError } from '../net/errors.js'
import { ManualSchedule, MemoryDepartment, TestWorld } from './testing/memory-network.js'

let world = new TestWorld()
afterEach(async () => {
  await world.stop()
  world = new TestWorld()
})

/** A department node whose link drops the next deposit (a 2G link, a node under load): no store receipt comes back. */
class DroppingDepartment extends MemoryDepartment {
  dropNext = false
  readonly depositedIds: string[] = []

  override async deposit (bytes: Uint8Array) {
    if (this.dropNext) {
      this.dropNext = false
      throw new RequestTimeoutError('nothing arrived for 10000 ms')
    }
    this.depositedIds.push(toHex(openEnvelope(bytes, Date.now()).id))
    return await super.deposit(bytes)
  }
}

describe('an edit whose deposit failed while gossip reached an online member', () => {
  it('stays in the outbox until a department node stores it, so a member who was offline gets it (before: dropped on the gossip alone)', async () => {
    const department = new DroppingDepartment()
    const ashaTimers = new ManualSchedule()
    const asha = await world.officer('asha', { schedule: ashaTimers.schedule })
    const bob = await world.officer('bob')
    const carol = await world.officer('carol')
    await waitFor('asha meets bob and carol', async () => (await asha.messenger.contacts()).length === 2)
    const group = (await asha.messenger.createGroup('Relief cell', ['bob', 'carol'])).id
    for (const member of [bob, carol]) {
      await waitFor(`${member.handle} joined`, async () => (await member.messenger.conversations()).some(c => c.id === group), { timeoutMs: 30_000 })
    }
    await waitFor('asha\'s outbox drained', async () => { ashaTimers.fire(); return await asha.store.outbox.size() === 0 }, { timeoutMs: 30_000 })
    await bob.messenger.idle()

    // bob is away; carol stays online, so asha's gossip reaches someone
    await bob.messenger.stop()
    bob.mesh.setOnline(false)
    asha.departments.reach(department)
    const sent = await asha.messenger.send(group, 'Camp list attached')
    const sealed = await waitFor('the text stored', async () => {
      ashaTimers.fire()
      const message = (await asha.messenger.history(group)).messages.find(m => m.text === 'Camp list attached')
      return message != null && department.depositedIds.includes(message.id) ? message : undefined
    }, { timeoutMs: 30_000 })
    expect(sealed.sentAt).toBe(sent.sentAt)

    department.dropNext = true
    await asha.messenger.edit(group, sealed.id, 'Camp list attached, revised')
    await waitFor('carol has the edit by gossip', async () => (await carol.messenger.history(group)).messages.some(m => m.text.endsWith('revised')), { timeoutMs: 30_000 })
    await asha.messenger.idle()
    // the deposit was dropped: the edit must still be waiting for a store receipt
    expect(await asha.store.outbox.size()).toBe(1)

    await waitFor('the edit stored on a retry', async () => { ashaTimers.fire(); return await asha.store.outbox.size() === 0 }, { timeoutMs: 30_000 })
    bob.mesh.setOnline(true)
    bob.departments.reach(department)
    const messenger = await bob.reopen()
    await waitFor('bob catches up the edit', async () => (await messenger.history(group)).messages.some(m => m.text === 'Camp list attached, revised'), { timeoutMs: 30_000 })
  }, 120_000)
})
