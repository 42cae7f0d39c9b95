import { afterEach, describe, expect, it } from 'vitest'
import { openEnvelope, toHex } from '@dak/protocol'
import { waitFor } from '../../../test/helpers/wait.js'
import type { ChatMessage } from './api.js'
import { MemoryDepartment, TestWorld, type TestOfficer } from './testing/memory-network.js'

/**
 * Precedence end to end on the real engine (issue 11 part 4): a flash text
 * queued behind many routine ones is delivered next, and a device catching up
 * announces flash first. The department node here can hold its deposits, so
 * the worker is provably busy with routine work when the flash is queued.
 */

let world = new TestWorld()
afterEach(async () => {
  await world.stop()
  world = new TestWorld()
})

/** Records the order of deposits; while `held`, each deposit waits until `release()`. */
class GatedDepartment extends MemoryDepartment {
  readonly order: string[] = []
  /** Deposits and key-package uploads, in the order they reached the node. */
  readonly events: string[] = []
  waiting = 0
  private gate: Promise<void> | undefined
  private open: (() => void) | undefined

  hold (): void {
    this.gate = new Promise((resolve) => { this.open = resolve })
  }

  release (): void {
    this.gate = undefined
    this.open?.()
  }

  override async deposit (bytes: Uint8Array) {
    if (this.gate != null) {
      this.waiting++
      await this.gate
    }
    this.order.push(toHex(openEnvelope(bytes, Date.now()).id))
    this.events.push('deposit')
    return await super.deposit(bytes)
  }

  override async uploadKeyPackages (packages: Uint8Array[]): Promise<number> {
    this.events.push('key-packages')
    return await super.uploadKeyPackages(packages)
  }
}

const ROUTINE = 40

async function groupOfTwo (): Promise<{ asha: TestOfficer, bob: TestOfficer, group: string }> {
  const asha = await world.officer('asha')
  const bob = await world.officer('bob')
  await waitFor('asha meets bob', async () => (await asha.messenger.contacts()).length === 1)
  const group = (await asha.messenger.createGroup('Flood cell', ['bob'])).id
  await waitFor('bob joined', async () => (await bob.messenger.conversations()).some(c => c.id === group), { timeoutMs: 30_000 })
  await waitFor('asha\'s outbox drained', async () => await asha.store.outbox.size() === 0, { timeoutMs: 30_000 })
  return { asha, bob, group }
}

/**
 * Make asha's outbox hold ROUTINE sealed routine texts, all due, and start her
 * engine on them with the department holding deposits: the worker's batch is
 * then 40 sealed routine deliveries, stuck on the first. Queue `last` then,
 * release, and return the texts in the order the department stored them.
 */
async function queueBehindBusyWorker (asha: TestOfficer, bob: TestOfficer, group: string, department: GatedDepartment, last: 'flash' | 'routine'): Promise<string[]> {
  // bob is away throughout: his delivery receipts (for texts he would get by gossip,
  // or from asha's keep by carry) would complete entries without a deposit
  bob.mesh.setOnline(false)
  asha.mesh.setOnline(false)
  for (let i = 0; i < ROUTINE; i++) await asha.messenger.send(group, `routine ${i}`)
  // offline: each is sealed, tried once and put back with backoff
  await waitFor('every routine text sealed and tried', async () => {
    const entries = await asha.store.outbox.due(Date.now() + 3_600_000)
    return entries.length === ROUTINE && entries.every(e => e.kind === 'sealed-message' && e.attempts > 0)
  }, { timeoutMs: 30_000 })
  await asha.messenger.stop()
  await waitFor('all of them due again', async () => (await asha.store.outbox.due(Date.now())).length === ROUTINE, { timeoutMs: 30_000 })
  asha.mesh.setOnline(true)
  department.hold()
  asha.departments.reach(department)
  const messenger = await asha.reopen()
  await waitFor('the worker is delivering a routine text', () => department.waiting > 0, { timeoutMs: 30_000 })
  await messenger.send(group, `${last} last`, { precedence: last })
  department.release()
  await waitFor('every text stored', async () => await asha.store.outbox.size() === 0, { timeoutMs: 60_000 })
  const history = (await messenger.history(group, { limit: 100 })).messages
  return department.order.map(id => history.find(m => m.id === id)?.text ?? id)
}

describe('a flash text in a busy outbox', () => {
  it('is deposited right after the routine text in hand, ahead of the other routine texts queued before it', async () => {
    const { asha, bob, group } = await groupOfTwo()
    const order = await queueBehindBusyWorker(asha, bob, group, new GatedDepartment(), 'flash')
    expect(order).toHaveLength(ROUTINE + 1)
    // the one deposit the worker was waiting on, then the flash
    expect(order[0]).toMatch(/^routine /)
    expect(order[1]).toBe('flash last')
    // bob back: he gets them all (from asha, by carry or gossip), the flash marked as such
    bob.mesh.setOnline(true)
    await waitFor('bob has every text', async () => (await bob.messenger.history(group, { limit: 100 })).messages.filter(m => m.kind === 'text').length === ROUTINE + 1, { timeoutMs: 30_000 })
    const stored = (await bob.messenger.history(group, { limit: 100 })).messages.find(m => m.text === 'flash last')
    expect(stored?.precedence).toBe('flash')
    expect((await asha.messenger.history(group, { limit: 100 })).messages.find(m => m.text === 'flash last')?.precedence).toBe('flash')
  }, 120_000)

  it('a routine text queued last waits its turn (what the flash case is measured against)', async () => {
    const { asha, bob, group } = await groupOfTwo()
    const order = await queueBehindBusyWorker(asha, bob, group, new GatedDepartment(), 'routine')
    expect(order.indexOf('routine last')).toBe(ROUTINE)
    expect((await asha.messenger.history(group, { limit: 100 })).messages.find(m => m.text === 'routine last')?.precedence).toBeUndefined()
  }, 120_000)

  it('the key-package top-up on connecting waits for the texts the outbox is delivering', async () => {
    const { asha, bob, group } = await groupOfTwo()
    const department = new GatedDepartment()
    await queueBehindBusyWorker(asha, bob, group, department, 'flash')
    await waitFor('key packages uploaded', () => department.events.includes('key-packages'), { timeoutMs: 30_000 })
    // every text was deposited before the first upload (before: the upload went while the first deposit was held)
    expect(department.events.indexOf('key-packages')).toBe(ROUTINE + 1)
  }, 120_000)

  it('a directive and a reply carry their precedence to the other member', async () => {
    const { asha, bob, group } = await groupOfTwo()
    await asha.messenger.sendDirective(group, 'Evacuate ward 3', { precedence: 'flash' })
    const directive = await waitFor('the directive at bob', async () => (await bob.messenger.history(group)).messages.find(m => m.text === 'Evacuate ward 3'), { timeoutMs: 30_000 })
    expect(directive.directive).toBeDefined()
    expect(directive.precedence).toBe('flash')
    await waitFor('the directive sealed at asha', async () => await asha.store.outbox.size() === 0, { timeoutMs: 30_000 })
    const sealed = (await asha.messenger.history(group)).messages.find(m => m.text === 'Evacuate ward 3')
    await bob.messenger.send(group, 'Ward 3 cleared', { replyTo: directive.id, precedence: 'immediate' })
    const reply = await waitFor('the reply at asha', async () => (await asha.messenger.history(group)).messages.find(m => m.text === 'Ward 3 cleared'), { timeoutMs: 30_000 })
    expect(reply.precedence).toBe('immediate')
    expect(reply.replyTo?.id).toBe(sealed?.id)
  }, 60_000)

  it('refuses a precedence that is not flash, immediate or routine', async () => {
    const { asha, group } = await groupOfTwo()
    await expect(asha.messenger.send(group, 'x', { precedence: 'urgent' as never })).rejects.toMatchObject({ name: 'InvalidArgumentError' })
  }, 60_000)
})

describe('catching up with a flash among routine texts', () => {
  it('announces (shows, notifies) flash first, then immediate, then routine in order', async () => {
    const { asha, bob, group } = await groupOfTwo()
    const department = new MemoryDepartment()
    await bob.messenger.stop()
    bob.mesh.setOnline(false)
    asha.departments.reach(department)
    for (let i = 0; i < 10; i++) await asha.messenger.send(group, `routine ${i}`)
    await asha.messenger.send(group, 'immediate one', { precedence: 'immediate' })
    await asha.messenger.send(group, 'flash one', { precedence: 'flash' })
    await asha.messenger.send(group, 'routine after')
    await waitFor('everything stored', async () => await asha.store.outbox.size() === 0 && department.stored(group) >= 13, { timeoutMs: 60_000 })

    const messenger = await bob.reopen()
    const announced: ChatMessage[] = []
    messenger.on('message', (m) => { if (m.conversationId === group) announced.push(m) })
    bob.departments.reach(department)
    await messenger.catchUp()
    expect(announced.slice(0, 2).map(m => m.text)).toEqual(['flash one', 'immediate one'])
    expect(announced.slice(0, 2).map(m => m.precedence)).toEqual(['flash', 'immediate'])
    // the routine rest in the order the node stored them (which is not always the order typed:
    // sealed envelopes of one millisecond leave by id)
    const stored = (await department.query(group, 0, 100)).entries.map(e => toHex(openEnvelope(e.envelope, Date.now()).id))
    const routine = announced.slice(2)
    expect(routine.map(m => m.text).sort()).toEqual([...Array.from({ length: 10 }, (_, i) => `routine ${i}`), 'routine after'].sort())
    expect(routine.map(m => m.id)).toEqual(stored.filter(id => routine.some(m => m.id === id)))
    // history keeps the order they were sent in (sender's clock), whatever the precedence
    const history = (await messenger.history(group, { limit: 100 })).messages.filter(m => m.kind === 'text')
    expect(history).toHaveLength(13)
    expect(history.map(m => m.sentAt)).toEqual(history.map(m => m.sentAt).sort((a, b) => a - b))
  }, 120_000)
})
