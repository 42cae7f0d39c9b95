import { afterEach, describe, expect, it } from 'vitest'
import { waitFor } from '../../../test/helpers/wait.js'
import { MemoryDepartment, TestWorld } from './testing/memory-network.js'

let world = new TestWorld()
afterEach(async () => {
  await world.stop()
  world = new TestWorld()
})

/** A department node whose link goes quiet: deposits fail while `down`, as they time out on a stalled 2G connection. */
class QuietDepartment extends MemoryDepartment {
  down = true
  override async deposit (bytes: Uint8Array): ReturnType<MemoryDepartment['deposit']> {
    // what AbortSignal.timeout gives a request that got no answer in time
    if (this.down) throw new DOMException('The operation was aborted due to timeout', 'TimeoutError')
    return await super.deposit(bytes)
  }
}

const FAR = Date.now() + 365 * 86_400_000

describe('the outbox when the link comes back', () => {
  it('sends what backed off during a long outage at the first envelope that arrives, not when its backoff ends', async () => {
    const asha = await world.officer('asha')
    const bob = await world.officer('bob')
    const carol = await world.officer('carol')
    await waitFor('asha meets bob and carol', async () => (await asha.messenger.contacts()).length === 2)
    const group = (await asha.messenger.createGroup('Budget cell', ['bob'])).id
    await waitFor('bob joined', async () => (await bob.messenger.conversations()).some(c => c.id === group), { timeoutMs: 30_000 })
    const direct = (await asha.messenger.startDirect('carol')).id
    await waitFor('carol has the chat with asha', async () => (await carol.messenger.conversations()).some(c => c.id === direct), { timeoutMs: 30_000 })
    await waitFor('asha\'s outbox drained', async () => await asha.store.outbox.size() === 0, { timeoutMs: 30_000 })

    // bob is away; the department node is reached, but its link is quiet: the text fails and backs off
    bob.mesh.setOnline(false)
    const department = new QuietDepartment()
    asha.departments.reach(department)
    await asha.messenger.send(group, 'sent during the outage')
    const failed = async (): Promise<string | undefined> => (await asha.store.outbox.due(FAR)).find(e => e.conversationId === group && e.attempts > 0)?.id
    await waitFor('the text failed once', async () => await failed() !== undefined, { timeoutMs: 30_000 })
    // a long outage: more failures, the next attempt minutes away
    const id = (await failed())!
    for (let i = 0; i < 8; i++) await asha.store.outbox.recordAttempt(id, Date.now(), 'TimeoutError: The operation was aborted due to timeout')
    expect((await asha.store.outbox.get(id))!.nextAttemptAt - Date.now()).toBeGreaterThan(60_000)

    // the link carries again: carol's message arrives, and the text goes to the node at once
    department.down = false
    await carol.messenger.send(direct, 'are you back?')
    await waitFor('the text stored at the node', () => department.stored(group) === 1, { timeoutMs: 15_000 })
    expect(await asha.store.outbox.get(id)).toBeUndefined()
  }, 90_000)
})
