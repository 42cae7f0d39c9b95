import { generateSigningKeyPair, toHex } from '@dak/protocol'
import { afterEach, describe, expect, it } from 'vitest'
import { waitFor } from '../../../test/helpers/wait.js'
import type { ChatMessage } from './api.js'
import type { DakMessenger } from './messenger.js'
import { acknowledges } from './receipts.js'
import { ManualSchedule, TestWorld, type TestOfficer } from './testing/memory-network.js'

let world = new TestWorld()
afterEach(async () => {
  await world.stop()
  world = new TestWorld()
})

function collect (messenger: DakMessenger, conversationId: string): ChatMessage[] {
  const got: ChatMessage[] = []
  messenger.on('message', (m) => { if (m.conversationId === conversationId && !m.fromMe && m.kind === 'text') got.push(m) })
  return got
}

/** Asha creates a group with everyone else and waits until all of them are in it and quiet. */
async function groupOf (asha: TestOfficer, others: TestOfficer[]): Promise<string> {
  await waitFor('asha meets everyone', async () => (await asha.messenger.contacts()).length === others.length)
  const group = await asha.messenger.createGroup('Budget cell', others.map(o => o.handle))
  for (const other of others) {
    await waitFor(`${other.handle} joined`, async () => (await other.messenger.conversations()).find(c => c.id === group.id)?.title === 'Budget cell', { timeoutMs: 30_000 })
  }
  for (const officer of [asha, ...others]) await officer.messenger.idle()
  return group.id
}

async function allDelivered (sender: TestOfficer, conversationId: string, count: number): Promise<void> {
  await waitFor(`${count} delivered`, async () => {
    const page = await sender.messenger.history(conversationId, { limit: 500 })
    return page.messages.filter(m => m.fromMe && m.kind === 'text' && m.state === 'delivered').length === count
  }, { timeoutMs: 30_000, subscribe: (wake) => sender.messenger.on('message-state', wake) })
}

describe('delivery receipts', () => {
  it('acknowledge a burst of texts with one receipt per member, and the sender sees every text delivered', async () => {
    const bobTimers = new ManualSchedule()
    const chitraTimers = new ManualSchedule()
    const asha = await world.officer('asha')
    const bob = await world.officer('bob', { schedule: bobTimers.schedule })
    const chitra = await world.officer('chitra', { schedule: chitraTimers.schedule })
    const group = await groupOf(asha, [bob, chitra])
    const atBob = collect(bob.messenger, group)
    const atChitra = collect(chitra.messenger, group)

    const TEXTS = 40
    for (let i = 0; i < TEXTS; i++) await asha.messenger.send(group, `memo ${i}`)
    await waitFor('all texts at bob and chitra', () => atBob.length === TEXTS && atChitra.length === TEXTS, { timeoutMs: 30_000 })
    await bob.messenger.idle()
    await chitra.messenger.idle()
    // Nothing acknowledged yet: the receipts wait for their timer.
    expect(world.mesh.distinctFrom(bob.certificate, group)).toBe(0)
    expect(world.mesh.distinctFrom(chitra.certificate, group)).toBe(0)
    expect(bobTimers.pending).toBeGreaterThan(0)

    bobTimers.fire()
    chitraTimers.fire()
    await allDelivered(asha, group, TEXTS)
    await bob.messenger.idle()
    await chitra.messenger.idle()
    // One receipt each for 40 texts, where every text used to cost a receipt from every member.
    expect(world.mesh.distinctFrom(bob.certificate, group)).toBe(1)
    expect(world.mesh.distinctFrom(chitra.certificate, group)).toBe(1)
  }, 60_000)

  it('a text arriving alone is acknowledged after a short quiet time (real timers)', async () => {
    const asha = await world.officer('asha')
    const bob = await world.officer('bob')
    const group = await groupOf(asha, [bob])
    await asha.messenger.send(group, 'only one')
    await allDelivered(asha, group, 1)
    expect(world.mesh.distinctFrom(bob.certificate, group)).toBe(1)
  }, 60_000)

  it('stopping puts pending receipts in the outbox; they go out after the next start', async () => {
    const bobTimers = new ManualSchedule()
    const asha = await world.officer('asha')
    const bob = await world.officer('bob', { schedule: bobTimers.schedule })
    const group = await groupOf(asha, [bob])
    const atBob = collect(bob.messenger, group)
    for (let i = 0; i < 5; i++) await asha.messenger.send(group, `memo ${i}`)
    await waitFor('texts at bob', () => atBob.length === 5, { timeoutMs: 30_000 })
    await bob.messenger.idle()
    expect(await bob.store.outbox.size()).toBe(0)

    await bob.messenger.stop()
    expect(bobTimers.pending).toBe(0)
    expect(await bob.store.outbox.size()).toBe(1)
    expect(world.mesh.distinctFrom(bob.certificate, group)).toBe(0)

    await bob.reopen()
    await allDelivered(asha, group, 5)
    expect(world.mesh.distinctFrom(bob.certificate, group)).toBe(1)
  }, 60_000)
})

describe('who acknowledges a text', () => {
  const keys = Array.from({ length: 10 }, () => generateSigningKeyPair().publicKey)
  const hex = keys.map(k => toHex(k))

  it('in a group, exactly two members besides the sender, chosen per message', () => {
    const chosenCount = new Map<string, number>()
    for (let i = 0; i < 200; i++) {
      const messageId = new Uint8Array(32).fill(0).map((_, j) => (i * 31 + j * 7) & 0xff)
      const sender = keys[i % keys.length]!
      const chosen = keys.filter(me => me !== sender && acknowledges(messageId, sender, me, hex))
      expect(chosen).toHaveLength(2)
      for (const me of chosen) chosenCount.set(toHex(me), (chosenCount.get(toHex(me)) ?? 0) + 1)
    }
    // The work spreads: every member acknowledges some texts.
    expect(chosenCount.size).toBe(keys.length)
  })

  it('in a direct chat or a group of three, everyone', () => {
    const messageId = new Uint8Array(32).fill(9)
    expect(acknowledges(messageId, keys[0]!, keys[1]!, hex.slice(0, 2))).toBe(true)
    expect(acknowledges(messageId, keys[0]!, keys[1]!, hex.slice(0, 3))).toBe(true)
    expect(acknowledges(messageId, keys[0]!, keys[2]!, hex.slice(0, 3))).toBe(true)
  })
})

describe('delivery receipts in a larger group', () => {
  it('come from two members per text, and from anyone who gets a text again (its sender is retrying)', async () => {
    const asha = await world.officer('asha')
    const timers = new Map<string, ManualSchedule>()
    const others: TestOfficer[] = []
    for (const handle of ['bob', 'chitra', 'dev', 'esha']) {
      timers.set(handle, new ManualSchedule())
      others.push(await world.officer(handle, { schedule: timers.get(handle)!.schedule }))
    }
    const group = await groupOf(asha, others)
    const arrived = others.map(o => collect(o.messenger, group))
    const TEXTS = 20
    for (let i = 0; i < TEXTS; i++) await asha.messenger.send(group, `memo ${i}`)
    await waitFor('all texts everywhere', () => arrived.every(a => a.length === TEXTS), { timeoutMs: 30_000 })
    for (const o of others) await o.messenger.idle()
    for (const t of timers.values()) t.fire()
    await allDelivered(asha, group, TEXTS)
    for (const o of others) await o.messenger.idle()
    const receipts = others.map(o => world.mesh.distinctFrom(o.certificate, group))
    // At most one coalesced receipt each (a member chosen for none of the 20 sends none).
    expect(receipts.every(n => n <= 1)).toBe(true)

    // A member not chosen for a text gets it again: it acknowledges it after all.
    const text = world.mesh.published.find(p => p.from === toHex(asha.certificate.devicePublicKey) && p.envelope.topic === group &&
      arrived[0]!.some(m => m.id === toHex(p.envelope.id)))!.envelope
    const members = (await asha.store.conversations.get(group))!.members.map(m => m.deviceKey)
    const bystander = others.find(o => !acknowledges(text.id, text.sender, o.certificate.devicePublicKey, members))!
    const before = world.mesh.distinctFrom(bystander.certificate, group)
    await bystander.messenger.receiveEnvelope(text.bytes)
    timers.get(bystander.handle)!.fire()
    await waitFor('the bystander acknowledges', () => world.mesh.distinctFrom(bystander.certificate, group) === before + 1, { timeoutMs: 30_000 })
  }, 90_000)
})
