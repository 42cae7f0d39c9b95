import { afterEach, describe, expect, it } from 'vitest'
import { createInvite, encodeAppContent, fromHex, signDeviceVouch, toHex } from '@dak/protocol'
import { waitFor } from '../../../test/helpers/wait.js'
import { OUTBOX } from './outgoing.js'
import { MemoryDepartment, TestWorld, type TestOfficer } from './testing/memory-network.js'

/**
 * Issue 16, linked devices, on the in-process network: Asha's existing device
 * vouches for her second one and adds it to her conversation with Bala; Bala,
 * who had accepted Asha's first device, accepts the second (new-device line
 * and vouch line shown, safety number changed), and messages reach every
 * device of both officers. A forged vouch is refused; an unvouched device
 * stays new (test/threats/ghost-device.test.ts keeps that rule).
 */

let world = new TestWorld()
afterEach(async () => {
  await world.stop()
  world = new TestWorld()
})

const keyOf = (officer: TestOfficer): string => toHex(officer.certificate.devicePublicKey)
const stateAt = async (at: TestOfficer, handle: string, deviceKey: string): Promise<string | undefined> =>
  (await at.messenger.devices(handle)).find(d => d.deviceKey === deviceKey)?.state
const texts = async (at: TestOfficer, conversationId: string): Promise<string[]> =>
  (await at.messenger.history(conversationId)).messages.map(m => m.text)

/** Bala starts a group with Asha once the store is out of his reach (he sequences it): its id and member devices once her desk joined. */
async function laterGroupWithAsha (bala: TestOfficer, asha: TestOfficer, store: MemoryDepartment): Promise<{ id: string, members: string[] | undefined }> {
  bala.departments.leave(store)
  const id = (await bala.messenger.createGroup('Later group', ['asha'])).id
  await waitFor('the desk joined the later group', async () => (await asha.messenger.conversations()).some(c => c.id === id), { timeoutMs: 30_000 })
  return { id, members: (await bala.messenger.conversations()).find(c => c.id === id)?.members.map(m => m.deviceKey) }
}

/** Asha and Bala in a direct chat Asha started (on a LAN her device sequences it), each with a message in. */
async function chatting (): Promise<{ asha: TestOfficer, bala: TestOfficer, chat: string }> {
  const asha = await world.officer('asha')
  const bala = await world.officer('bala')
  await waitFor('asha meets bala', async () => (await asha.messenger.contacts()).length === 1)
  const chat = (await asha.messenger.startDirect('bala')).id
  await waitFor('bala joined', async () => (await bala.messenger.conversations()).some(c => c.id === chat), { timeoutMs: 30_000 })
  await asha.messenger.send(chat, 'hello from the desk')
  await waitFor('bala read it', async () => (await texts(bala, chat)).includes('hello from the desk'), { timeoutMs: 30_000 })
  return { asha, bala, chat }
}

describe('linked devices', () => {
  it('a vouched device is accepted by a contact who accepted the voucher, joins the chat, and both devices send and receive', async () => {
    const { asha, bala, chat } = await chatting()
    const before = (await bala.messenger.safetyNumber('asha')).digits
    const phone = await world.officer('asha')
    // a store all three reach (the chat stays sequenced by Asha's desk device): on a LAN, what is sent between
    // the phone's Welcome and its subscription reaching the mesh would otherwise be lost to it (messenger.ts follow)
    const store = new MemoryDepartment()
    for (const device of [asha, bala, phone]) device.departments.reach(store)
    // first seen under a handle Bala talks to: new, with its line, as before
    await waitFor('bala sees the phone as new', async () => await stateAt(bala, 'asha', keyOf(phone)) === 'new')
    await waitFor('asha sees her phone', async () => await stateAt(asha, 'asha', keyOf(phone)) != null)

    const outcome = await asha.messenger.vouchDevice(keyOf(phone).slice(0, 12))
    expect(outcome).toMatchObject({ device: { deviceKey: keyOf(phone), state: 'accepted' }, conversations: 1 })
    await waitFor('bala accepts the vouched phone', async () => await stateAt(bala, 'asha', keyOf(phone)) === 'accepted', { timeoutMs: 30_000 })
    const lines = (await bala.messenger.history(chat)).messages.filter(m => m.kind === 'system').map(m => m.text)
    expect(lines.some(t => t.startsWith('asha has a new device'))).toBe(true)
    expect(lines.some(t => /vouched for the new device .* it is accepted/.test(t))).toBe(true)
    // the safety number covers every device: it changed
    expect((await bala.messenger.safetyNumber('asha')).digits).not.toBe(before)

    // the phone joins the chat, titled by the other officer, and reads what is written from now on
    await waitFor('the phone joined', async () => (await phone.messenger.conversations()).find(c => c.id === chat)?.title === 'bala', { timeoutMs: 30_000 })
    await bala.messenger.send(chat, 'to all your devices')
    await waitFor('both asha devices read bala', async () => (await texts(phone, chat)).includes('to all your devices') && (await texts(asha, chat)).includes('to all your devices'), { timeoutMs: 30_000 })
    // what the phone sends appears at Bala and on Asha's desk device
    await asha.messenger.markRead(chat)
    await phone.messenger.send(chat, 'sent from the phone')
    await waitFor('bala and the desk read the phone', async () => (await texts(bala, chat)).includes('sent from the phone') && (await texts(asha, chat)).includes('sent from the phone'), { timeoutMs: 30_000 })
    // on the desk it is the officer's own message: shown as read, never counted unread
    const onDesk = (await asha.messenger.history(chat)).messages.find(m => m.text === 'sent from the phone')
    expect(onDesk).toMatchObject({ state: 'read', fromMyOtherDevice: true })
    expect((await bala.messenger.history(chat)).messages.find(m => m.text === 'sent from the phone')).not.toHaveProperty('fromMyOtherDevice')
    expect((await asha.messenger.conversations()).find(c => c.id === chat)?.unread).toBe(0)
    // the officer's own desk saying "read" is not the other side reading it: the phone's ticks wait for Bala
    const sentId = onDesk?.id ?? ''
    await sendReadReceipt(asha, chat, sentId)
    await asha.messenger.send(chat, 'after the receipt')
    await waitFor('the phone took the desk\'s receipt', async () => (await phone.store.memberReceipts.of(sentId)).some(r => r.deviceKey === keyOf(asha) && r.readAt != null), { timeoutMs: 30_000 })
    expect((await phone.messenger.history(chat)).messages.find(m => m.id === sentId)?.state).not.toBe('read')
    await bala.messenger.markRead(chat)
    await waitFor('read once bala read it', async () => (await phone.messenger.history(chat)).messages.find(m => m.id === sentId)?.state === 'read', { timeoutMs: 30_000 })

    // removed from every conversation by the desk device: the phone reads nothing written after
    expect(await asha.messenger.removeOwnDevice(keyOf(phone).slice(0, 12))).toMatchObject({ device: { deviceKey: keyOf(phone) }, conversations: 1 })
    await waitFor('the phone is out', async () => (await phone.messenger.conversations()).find(c => c.id === chat)?.state === 'closed', { timeoutMs: 30_000 })
    await waitFor('bala sees the phone gone', async () => !(await bala.messenger.conversations()).find(c => c.id === chat)?.members.some(m => m.deviceKey === keyOf(phone)), { timeoutMs: 30_000 })
    await bala.messenger.send(chat, 'after the removal')
    await waitFor('the desk reads it', async () => (await texts(asha, chat)).includes('after the removal'), { timeoutMs: 30_000 })
    await phone.messenger.catchUp()
    await phone.messenger.idle()
    expect(await texts(phone, chat)).not.toContain('after the removal')

    // the phone is still certified (department IT has not revoked it yet), but Bala saw its officer
    // remove it: adding Asha to a group later brings her desk only, never the removed phone
    await waitFor('bala holds the phone as removed', async () => await stateAt(bala, 'asha', keyOf(phone)) === 'removed', { timeoutMs: 30_000 })
    const line = (await bala.messenger.history(chat)).messages.find(m => m.kind === 'system' && /removed one of their own devices/.test(m.text))
    expect(line?.text).toContain(`${keyOf(phone).slice(0, 4)} ${keyOf(phone).slice(4, 8)}`)
    const later = await laterGroupWithAsha(bala, asha, store)
    expect(later.members).toContain(keyOf(asha))
    expect(later.members).not.toContain(keyOf(phone))
    expect((await phone.messenger.conversations()).some(c => c.id === later.id)).toBe(false)
    // Asha's desk, which removed it, does not bring it back either
    expect(await stateAt(asha, 'asha', keyOf(phone))).toBe('removed')
  }, 90_000)

  it('refuses a forged vouch (another officer signs it, or replays a genuine one) and keeps the device new', async () => {
    const { asha, bala, chat } = await chatting()
    const chitra = await world.officer('chitra')
    await waitFor('asha meets chitra', async () => (await asha.messenger.contacts()).some(c => c.handle === 'chitra'))
    const group = (await asha.messenger.createGroup('Budget cell', ['bala', 'chitra'])).id
    await waitFor('chitra joined', async () => (await chitra.messenger.conversations()).some(c => c.id === group), { timeoutMs: 30_000 })
    await waitFor('bala joined', async () => (await bala.messenger.conversations()).some(c => c.id === group), { timeoutMs: 30_000 })
    const ghost = await world.officer('asha')
    await waitFor('bala sees the ghost as new', async () => await stateAt(bala, 'asha', keyOf(ghost)) === 'new')

    const refused: string[] = []
    const off = bala.messenger.on('error', (e) => { if (e.name === 'DeviceVouchRefusedError') refused.push(e.message) })
    // Chitra claims, with her own key, that the ghost is Asha's
    const byChitra = signDeviceVouch(chitra.device, { linkedDeviceKey: ghost.certificate.devicePublicKey, handle: 'asha', issuedAt: Date.now() })
    await sendRaw(chitra, group, byChitra, ghost)
    // and Chitra sends Asha's device's genuine vouch as if it were hers
    const genuine = signDeviceVouch(asha.device, { linkedDeviceKey: ghost.certificate.devicePublicKey, handle: 'asha', issuedAt: Date.now() })
    await sendRaw(chitra, group, genuine, ghost)
    await chitra.messenger.send(group, 'after the forgeries')
    await waitFor('bala got both forgeries', async () => refused.length === 2 && (await texts(bala, group)).includes('after the forgeries'), { timeoutMs: 30_000 })
    off()
    expect(await stateAt(bala, 'asha', keyOf(ghost))).toBe('new')
    expect((await bala.messenger.history(chat)).messages.some(m => /vouched/.test(m.text))).toBe(false)
  }, 90_000)

  it('a contact who accepted a device and shares no conversation with it still hears that its officer removed it', async () => {
    const { asha, bala, chat } = await chatting()
    const store = new MemoryDepartment()
    const phone = await world.officer('asha')
    for (const device of [asha, bala, phone]) device.departments.reach(store)
    await waitFor('asha sees her phone', async () => await stateAt(asha, 'asha', keyOf(phone)) != null)
    await asha.messenger.vouchDevice(keyOf(phone))
    await waitFor('bala accepts the vouched phone', async () => await stateAt(bala, 'asha', keyOf(phone)) === 'accepted', { timeoutMs: 30_000 })
    await waitFor('the phone joined', async () => (await phone.messenger.conversations()).some(c => c.id === chat), { timeoutMs: 30_000 })
    // the phone leaves the chat itself: now it shares no conversation with Bala, and a later removal is no commit he sees
    await phone.messenger.leave(chat)
    await waitFor('bala sees the phone gone', async () => !(await bala.messenger.conversations()).find(c => c.id === chat)?.members.some(m => m.deviceKey === keyOf(phone)), { timeoutMs: 30_000 })
    expect(await asha.messenger.removeOwnDevice(keyOf(phone))).toMatchObject({ conversations: 0 })
    // Asha's word reaches Bala in the chat they share: he holds the phone as removed (before: still accepted)
    await waitFor('bala holds the phone as removed', async () => await stateAt(bala, 'asha', keyOf(phone)) === 'removed', { timeoutMs: 30_000 })
    expect((await texts(bala, chat)).some(t => t.startsWith(`asha removed one of their own devices (${keyOf(phone).slice(0, 4)} ${keyOf(phone).slice(4, 8)}`))).toBe(true)
    // so a group Bala starts with Asha later has her desk, not the phone
    const later = await laterGroupWithAsha(bala, asha, store)
    expect(later.members).toContain(keyOf(asha))
    expect(later.members).not.toContain(keyOf(phone))
  }, 90_000)

  it('shows a link code only for this officer: a node answering with another officer\'s invite is refused', async () => {
    const asha = await world.officer('asha')
    await expect(asha.messenger.linkDevice()).rejects.toMatchObject({ name: 'LinkUnavailableError' })
    const invite = (handle: string, department = 'test.department'): string => createInvite({
      randomBytes: (n) => new Uint8Array(n).fill(7), department, authorityPublicKey: asha.certificate.authorityPublicKey,
      handle, displayName: handle, title: 'Section Officer', expiresAt: Date.now() + 900_000, nodeAddrs: []
    }).url
    const answers = [invite('bala'), invite('asha', 'other.department'), invite('asha')]
    class LinkingDepartment extends MemoryDepartment {
      async linkInvite (): Promise<string> { return answers.shift() as string }
    }
    asha.departments.reach(new LinkingDepartment())
    await expect(asha.messenger.linkDevice()).rejects.toMatchObject({ name: 'LinkInviteMismatchError' })
    await expect(asha.messenger.linkDevice()).rejects.toMatchObject({ name: 'LinkInviteMismatchError' })
    expect(await asha.messenger.linkDevice()).toMatchObject({ handle: 'asha', code: expect.stringMatching(/^DAK-/), url: expect.stringMatching(/^dak:invite\//) })
  })
})

/** Queue a device-vouch content as Chitra's device would send any control content (a forger's own client). */
/** A read receipt for one message, queued raw (as the desk's own engine would never send for its officer's message). */
async function sendReadReceipt (from: TestOfficer, conversationId: string, messageId: string): Promise<void> {
  const payload = encodeAppContent({ kind: 'receipt', type: 'read', messageIds: [fromHex(messageId)], at: Date.now(), clientId: new Uint8Array(16).map(() => Math.floor(Math.random() * 256)) })
  await from.store.outbox.add({ id: 'c' + toHex(new Uint8Array(16).map(() => Math.floor(Math.random() * 256))), conversationId, kind: OUTBOX.control, payload, createdAt: Date.now() })
}

async function sendRaw (from: TestOfficer, conversationId: string, vouch: Uint8Array, linked: TestOfficer): Promise<void> {
  const payload = encodeAppContent({ kind: 'device-vouch', vouch, linkedCertificate: linked.certificate.bytes, clientId: new Uint8Array(16).map(() => Math.floor(Math.random() * 256)) })
  await from.store.outbox.add({ id: 'c' + toHex(new Uint8Array(16).map(() => Math.floor(Math.random() * 256))), conversationId, kind: OUTBOX.control, payload, createdAt: Date.now() })
}
