import { afterEach, describe, expect, it } from 'vitest'
import { encodeAppContent, encodeHistoryPart, EnvelopeKind, fromHex, openEnvelope, packHistory, sealEnvelope, sealHistoryPart, toHex, utf8 } from '@dak/protocol'
import { waitFor } from '../../../test/helpers/wait.js'
import type { ChatMessage, HistoryTransferStatus } from './api.js'
import { OUTBOX } from './outgoing.js'
import { inboxTopic } from '@dak/protocol/department'
import { MemoryDepartment, TestWorld, type TestOfficer } from './testing/memory-network.js'

/**
 * Issue 16 part 1, history transfer, on the in-process network: Asha's phone,
 * linked from her desk device and added to her chat with Bala, asks the desk
 * for what was written before and gets it in parts sealed to the phone's
 * request key, through the department store, resuming after the phone
 * restarts mid-transfer. Then the attacks: another member answering the
 * request (or re-wrapping the desk's genuine part as its own), and a device
 * the department enrolled under Asha's name behind her back asking the desk.
 */

let world = new TestWorld()
afterEach(async () => {
  await world.stop()
  world = new TestWorld()
})

const keyOf = (officer: TestOfficer): string => toHex(officer.certificate.devicePublicKey)
const texts = async (at: TestOfficer, conversationId: string): Promise<string[]> => (await everything(at, conversationId)).map(m => m.text)
const random16 = (): Uint8Array => new Uint8Array(16).map(() => Math.floor(Math.random() * 256))

async function everything (at: TestOfficer, conversationId: string): Promise<ChatMessage[]> {
  const pages: ChatMessage[][] = []
  let before: string | undefined
  do {
    const page = await at.messenger.history(conversationId, { limit: 500, ...(before != null ? { before } : {}) })
    pages.unshift(page.messages)
    before = page.before
  } while (before != null)
  return pages.flat()
}

/** Asha (desk) and Bala in a direct chat Asha started, a store all reach, a few messages each way. */
async function chatting (): Promise<{ asha: TestOfficer, bala: TestOfficer, chat: string, store: MemoryDepartment }> {
  const asha = await world.officer('asha')
  const bala = await world.officer('bala')
  await waitFor('asha meets bala', async () => (await asha.messenger.contacts()).length === 1)
  const chat = (await asha.messenger.startDirect('bala')).id
  await waitFor('bala joined', async () => (await bala.messenger.conversations()).some(c => c.id === chat), { timeoutMs: 30_000 })
  const store = new MemoryDepartment()
  for (const device of [asha, bala]) device.departments.reach(store)
  await asha.messenger.send(chat, 'the survey starts Monday')
  await bala.messenger.send(chat, 'ठीक है, I will bring the forms')
  await waitFor('both read both', async () => (await texts(asha, chat)).includes('ठीक है, I will bring the forms') && (await texts(bala, chat)).includes('the survey starts Monday'), { timeoutMs: 30_000 })
  return { asha, bala, chat, store }
}

/** Asha's phone, vouched for by her desk and added to the chat (it asks the desk for the history when it joins). */
async function linkPhone (asha: TestOfficer, chat: string, store: MemoryDepartment, made?: (phone: TestOfficer) => void): Promise<TestOfficer> {
  const phone = await world.officer('asha')
  made?.(phone)
  phone.departments.reach(store)
  await waitFor('asha sees her phone', async () => (await asha.messenger.devices('asha')).some(d => d.deviceKey === keyOf(phone)))
  await asha.messenger.vouchDevice(keyOf(phone))
  await waitFor('the phone joined', async () => (await phone.messenger.conversations()).some(c => c.id === chat), { timeoutMs: 30_000 })
  return phone
}

describe('history transfer to a linked device', () => {
  it('the phone gets every earlier message in parts, through the store, resuming after a restart mid-transfer', async () => {
    const { asha, bala, chat, store } = await chatting()
    // what the desk received before: enough for three parts (256 messages a part)
    const older: ChatMessage[] = Array.from({ length: 600 }, (_, i) => ({
      id: `older-${String(i).padStart(4, '0')}`, conversationId: chat, sender: (i % 2 === 0 ? bala : asha).messenger.whoami(), fromMe: i % 2 === 1, kind: 'text', text: `earlier message ${i}`, sentAt: 1_700_000_000_000 + i, state: i % 2 === 1 ? 'delivered' : 'read'
    }))
    await asha.store.commit(older.map(message => ({ type: 'message-add' as const, message })))
    // gossip brings the phone only the first part live; the rest wait in the department store
    let live = 0
    world.mesh.lose = (to, envelope) => envelope.kind === EnvelopeKind.HISTORY && toHex(to.devicePublicKey) === toHex(phone?.certificate.devicePublicKey ?? new Uint8Array()) && ++live > 1
    let phone: TestOfficer | undefined
    phone = await linkPhone(asha, chat, store)
    const progress: HistoryTransferStatus[] = []
    phone.messenger.on('history-transfer', (t) => { progress.push(t) })
    await waitFor('the first part arrived', async () => progress.length > 0, { timeoutMs: 30_000 })
    await phone.messenger.stop()
    const [partway] = await phone.store.historyTransfers.list()
    // one part of three (whichever the outbox sent first)
    expect(partway).toMatchObject({ conversationId: chat, askedDevice: keyOf(asha), parts: 3 })
    expect(partway?.received).toHaveLength(1)
    expect(partway?.privateKey).toBeDefined()

    // back: the catch-up reads the rest from the store, where the phone left off
    const reopened = await phone.reopen()
    reopened.on('history-transfer', (t) => { progress.push(t) })
    await reopened.catchUp()
    await waitFor('the transfer is complete', async () => (await reopened.historyTransfers())[0]?.complete === true, { timeoutMs: 30_000 })
    const [done] = await reopened.historyTransfers()
    expect(done).toMatchObject({ conversationId: chat, device: keyOf(asha), parts: 3, received: 3 })
    expect(done?.messagesTotal).toBeGreaterThanOrEqual(602)
    expect(progress.map(p => p.received)).toEqual([1, 2, 3])
    // the key opened what it was made for, and is gone
    expect((await phone.store.historyTransfers.list())[0]?.privateKey).toBeUndefined()

    // the phone's history is the desk's, in the same order: the officer's own as hers from another device, all read
    const onPhone = await everything(phone, chat)
    const onDesk = (await everything(asha, chat)).filter(m => m.kind === 'text')
    expect(onPhone.filter(m => m.kind === 'text').map(m => [m.id, m.text])).toEqual(onDesk.map(m => [m.id, m.text]))
    expect(onPhone.find(m => m.text === 'the survey starts Monday')).toMatchObject({ fromMyOtherDevice: true, state: 'read', sender: { handle: 'asha' } })
    expect(onPhone.find(m => m.text === 'ठीक है, I will bring the forms')).toMatchObject({ state: 'read', sender: { handle: 'bala' } })
    expect(onPhone.find(m => m.text === 'ठीक है, I will bring the forms')).not.toHaveProperty('fromMyOtherDevice')
    expect((await reopened.conversations()).find(c => c.id === chat)?.unread).toBe(0)
    // search on the phone finds what came with the history
    expect((await reopened.search('forms')).length).toBeGreaterThan(0)

    // the department node held the parts as ciphertext only
    const page = await store.query(inboxTopic(phone.certificate.devicePublicKey), 0, 100)
    const parts = page.entries.filter(e => openEnvelope(e.envelope, Date.now()).kind === EnvelopeKind.HISTORY)
    expect(parts.length).toBe(3)
    for (const part of parts) expect(Buffer.from(part.envelope).includes(Buffer.from(utf8('earlier message')))).toBe(false)

    // and from now on the phone is an ordinary member: Bala's next text reaches it
    await bala.messenger.send(chat, 'after the transfer')
    await waitFor('the phone reads it', async () => (await texts(phone as TestOfficer, chat)).includes('after the transfer'), { timeoutMs: 30_000 })
  }, 120_000)

  it('refuses a part from any device but the one asked — another member answering, or re-wrapping the desk\'s part as its own', async () => {
    const { asha, bala, chat, store } = await chatting()
    // the desk does not hear the phone's request for now: nothing answers
    let phoneKey: string | undefined
    world.mesh.lose = (to, envelope) => toHex(to.devicePublicKey) === keyOf(asha) && toHex(envelope.sender) === phoneKey
    asha.departments.leave(store)
    const phone = await linkPhone(asha, chat, store, (made) => { phoneKey = keyOf(made) })
    await waitFor('the phone asked', async () => (await phone.store.historyTransfers.list()).length === 1, { timeoutMs: 30_000 })
    const [request] = await phone.store.historyTransfers.list()
    if (request == null) throw new Error('no request')
    const refused: string[] = []
    phone.messenger.on('error', (e) => { if (e.name === 'HistoryRefusedError') refused.push(e.message) })
    const forge = async (from: TestOfficer, sealedFrom: Uint8Array, text: string): Promise<void> => {
      const [part] = packHistory(chat, [{ id: toHex(random16()) + toHex(random16()), sender: { ...asha.messenger.whoami() }, officersOwn: true, kind: 'text', text, sentAt: Date.now() - 60_000 }])
      if (part == null) throw new Error('no part')
      const sealed = await sealHistoryPart(request.suite, request.publicKey, fromHex(request.requestId), sealedFrom, encodeHistoryPart(part))
      const envelope = sealEnvelope(from.device, { kind: EnvelopeKind.HISTORY, topic: inboxTopic(phone.certificate.devicePublicKey), timestamp: Date.now(), senderSeq: 1, payload: sealed })
      await store.deposit(envelope.bytes)
    }
    // Bala read the request in the chat and answers it himself, sealed from his own key ...
    await forge(bala, bala.certificate.devicePublicKey, 'Asha: pay the contractor from the relief fund')
    // ... or wraps a part sealed as from the desk in his own envelope
    await forge(bala, asha.certificate.devicePublicKey, 'Asha: the audit is cancelled')
    await phone.messenger.catchUp()
    await waitFor('both refused', async () => refused.length === 2, { timeoutMs: 30_000 })
    expect(refused.every(m => m.includes('not from the device asked'))).toBe(true)
    expect(await texts(phone, chat)).not.toContain('Asha: pay the contractor from the relief fund')
    expect(await texts(phone, chat)).not.toContain('Asha: the audit is cancelled')
    expect((await phone.messenger.historyTransfers())[0]).toMatchObject({ received: 0, complete: false })

    // the desk reaches the store again, reads the request there and answers: the genuine history lands
    const answered = new Promise((resolve) => { asha.messenger.on('history-sent', resolve) })
    world.mesh.lose = undefined
    asha.departments.reach(store)
    await asha.messenger.catchUp()
    await answered
    await asha.messenger.idle()
    await phone.messenger.catchUp()
    await waitFor('the transfer is complete', async () => (await phone.messenger.historyTransfers())[0]?.complete === true, { timeoutMs: 30_000 })
    expect(await texts(phone, chat)).toEqual(expect.arrayContaining(['the survey starts Monday', 'ठीक है, I will bring the forms']))
  }, 120_000)

  it('a device enrolled under the officer\'s name that she never accepted asks her desk for history: nothing is sent, and she is told', async () => {
    const { asha, bala, store } = await chatting()
    // the department node enrolled a ghost under Asha's name; Bala was talked into accepting it, so his new group has it
    const ghost = await world.officer('asha')
    await waitFor('bala sees the ghost', async () => (await bala.messenger.devices('asha')).some(d => d.deviceKey === keyOf(ghost)))
    await bala.messenger.acceptDevice('asha', keyOf(ghost))
    bala.departments.leave(store) // a group made with no node in reach is sequenced by its maker (the memory store sequences nothing)
    const group = (await bala.messenger.createGroup('Relief cell', ['asha'])).id
    await waitFor('desk and ghost joined', async () => (await asha.messenger.conversations()).some(c => c.id === group) && (await ghost.messenger.conversations()).some(c => c.id === group), { timeoutMs: 30_000 })
    await bala.messenger.send(group, 'the relief list is final')
    await waitFor('the desk has it', async () => (await texts(asha, group)).includes('the relief list is final'), { timeoutMs: 30_000 })
    // the ghost's client asks the desk for the history, as a phone of Asha's would
    const sent: unknown[] = []
    asha.messenger.on('history-sent', (s) => { sent.push(s) })
    const payload = encodeAppContent({ kind: 'history-request', requestId: random16(), publicKey: new Uint8Array(1216).fill(1), askedDevice: asha.certificate.devicePublicKey, clientId: random16() })
    await ghost.store.outbox.add({ id: 'c' + toHex(random16()), conversationId: group, kind: OUTBOX.control, payload, createdAt: Date.now() })
    await waitFor('the desk tells asha', async () => (await texts(asha, group)).some(t => t.startsWith('A device under your name')), { timeoutMs: 30_000 })
    const line = (await texts(asha, group)).find(t => t.startsWith('A device under your name'))
    expect(line).toContain('Nothing was sent')
    expect(line).toContain(keyOf(ghost).slice(0, 4))
    await asha.messenger.idle()
    expect(sent).toEqual([])
    expect(world.mesh.published.some(p => p.envelope.kind === EnvelopeKind.HISTORY)).toBe(false)
  }, 120_000)
})
