import { afterEach, describe, expect, it } from 'vitest'
import { waitFor } from '../../../test/helpers/wait.js'
import { openEnvelope, toHex } from '@dak/protocol'
import { ManualSchedule, MemoryDepartment, TestWorld } from './testing/memory-network.js'

/** Counts every deposit, duplicates included (the store itself dedupes by id). */
class CountingDepartment extends MemoryDepartment {
  deposits = 0
  override async deposit (bytes: Uint8Array) {
    this.deposits++
    return await super.deposit(bytes)
  }
}

/** A misbehaving node: takes deposits while `withholding` and never serves them. */
class WithholdingDepartment extends MemoryDepartment {
  withholding = false
  private readonly withheld = new Set<string>()
  override async deposit (bytes: Uint8Array) {
    const receipt = await super.deposit(bytes)
    if (this.withholding) this.withheld.add(toHex(openEnvelope(bytes, Date.now()).id))
    return receipt
  }

  override async query (topic: string, afterSequence: number, limit: number) {
    const page = await super.query(topic, afterSequence, limit)
    return { ...page, entries: page.entries.filter(e => !this.withheld.has(toHex(openEnvelope(e.envelope, Date.now()).id))) }
  }
}

let world = new TestWorld()
afterEach(async () => {
  await world.stop()
  world = new TestWorld()
})

describe('delay-tolerant carry to a department node', () => {
  it('a device that heard texts with no node in reach deposits them at the first node it reaches, once', async () => {
    const asha = await world.officer('asha')
    const bala = await world.officer('bala')
    const chitra = await world.officer('chitra')
    await waitFor('asha meets both', async () => (await asha.messenger.contacts()).length === 2)
    const group = (await asha.messenger.createGroup('Budget cell', ['bala', 'chitra'])).id
    for (const member of [bala, chitra]) {
      await waitFor('joined', async () => (await member.messenger.conversations()).find(c => c.id === group)?.title === 'Budget cell', { timeoutMs: 30_000 })
    }
    await asha.messenger.idle()

    // on a LAN with no department node: chitra is away, asha speaks, bala hears
    chitra.mesh.setOnline(false)
    const texts = ['memo one', 'memo two']
    for (const text of texts) await asha.messenger.send(group, text)
    const heard = async (officer: typeof bala): Promise<number> => (await officer.messenger.history(group)).messages.filter(m => texts.includes(m.text)).length
    await waitFor('bala heard', async () => await heard(bala) === 2, { timeoutMs: 30_000 })
    await bala.messenger.idle()
    // asha never reaches a node; bala carries
    asha.mesh.setOnline(false)
    const department = new CountingDepartment()
    expect(department.stored(group)).toBe(0)

    bala.departments.reach(department)
    await bala.messenger.catchUp()
    const deposited = department.stored(group)
    console.log(`bala deposited ${deposited} envelopes of the group it had carried from the LAN`)
    expect(deposited).toBeGreaterThanOrEqual(2)
    expect(await bala.store.carried.toDeposit(100)).toEqual([])
    // a second reach deposits nothing again
    const calls = department.deposits
    await bala.messenger.catchUp()
    expect(department.deposits).toBe(calls)
    expect(department.stored(group)).toBe(deposited)

    // chitra reaches only the node, never asha: the texts are there
    chitra.mesh.setOnline(true)
    bala.mesh.setOnline(false)
    chitra.departments.reach(department)
    await chitra.messenger.catchUp()
    expect((await chitra.messenger.history(group)).messages.filter(m => texts.includes(m.text)).map(m => m.text)).toEqual(texts)
  }, 60_000)
})

/** Asha's group with Bala and Chitra, joined by both; Chitra's timers fire only when the test says. */
async function budgetCell () {
    const chitraTimers = new ManualSchedule()
    const asha = await world.officer('asha')
    const bala = await world.officer('bala')
    const chitra = await world.officer('chitra', { schedule: chitraTimers.schedule })
    await waitFor('asha meets both', async () => (await asha.messenger.contacts()).length === 2)
    const group = (await asha.messenger.createGroup('Budget cell', ['bala', 'chitra'])).id
    for (const member of [bala, chitra]) {
      await waitFor('joined', async () => (await member.messenger.conversations()).find(c => c.id === group)?.title === 'Budget cell', { timeoutMs: 30_000 })
    }
    const texts = async (officer: typeof bala): Promise<string[]> => (await officer.messenger.history(group)).messages.filter(m => m.kind === 'text').map(m => m.text)
    const missing = async (): Promise<number> => (await chitra.messenger.conversations()).find(c => c.id === group)?.missing.reduce((n, m) => n + m.count, 0) ?? -1
  return { chitraTimers, asha, bala, chitra, group, texts, missing }
}

describe('gap repair from a member (no department node)', () => {
  it('a text lost on the way to one member is shown missing, then fetched from the members in reach', async () => {
    const { chitraTimers, asha, bala, chitra, group, texts, missing } = await budgetCell()

    await asha.messenger.send(group, 'one')
    await waitFor('one at chitra', async () => (await texts(chitra)).includes('one'), { timeoutMs: 30_000 })
    // 'two' is lost on its way to chitra only
    const chitraKey = toHex(chitra.certificate.devicePublicKey)
    world.mesh.lose = (to) => toHex(to.devicePublicKey) === chitraKey
    await asha.messenger.send(group, 'two')
    await waitFor('two at bala', async () => (await texts(bala)).includes('two'), { timeoutMs: 30_000 })
    world.mesh.lose = undefined
    await asha.messenger.send(group, 'three')
    await waitFor('the gap shown at chitra', async () => await missing() === 1, { timeoutMs: 30_000 })
    expect(await texts(chitra)).toEqual(['one', 'three'])

    // nobody came or went (no meeting to sync on): only the repair asked when chitra's gap timer fires brings 'two'
    await chitra.messenger.idle()
    expect(await texts(chitra)).toEqual(['one', 'three'])
    chitraTimers.fire()
    await waitFor('two repaired from bala', async () => await missing() === 0, { timeoutMs: 30_000 })
    expect(await texts(chitra)).toEqual(['one', 'two', 'three'])
  }, 60_000)

  it('a gap a catch-up shows is asked of the members in reach at once, not at their next meeting', async () => {
    const { asha, bala, chitra, group, texts, missing } = await budgetCell()
    const department = new WithholdingDepartment()
    asha.departments.reach(department)
    await asha.messenger.send(group, 'one')
    await waitFor('one at chitra', async () => (await texts(chitra)).includes('one'), { timeoutMs: 30_000 })

    // 'two' and 'three' do not reach chitra live; the node takes 'two' and withholds it
    const chitraKey = toHex(chitra.certificate.devicePublicKey)
    world.mesh.lose = (to) => toHex(to.devicePublicKey) === chitraKey
    department.withholding = true
    await asha.messenger.send(group, 'two')
    await asha.messenger.idle() // deposited
    department.withholding = false
    await asha.messenger.send(group, 'three')
    await waitFor('two and three at bala', async () => (await texts(bala)).includes('three'), { timeoutMs: 30_000 })
    await asha.messenger.idle()
    world.mesh.lose = undefined

    // chitra catches up from the node: 'three' comes, 'two' shows missing, and bala (already met) has it
    chitra.departments.reach(department)
    await chitra.messenger.catchUp()
    await waitFor('two repaired from bala without a new meeting or a timer', async () => await missing() === 0, { timeoutMs: 30_000 })
    expect(await texts(chitra)).toEqual(['one', 'two', 'three'])
  }, 60_000)
})
