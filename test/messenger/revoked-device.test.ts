import { afterEach, describe, expect, it } from 'vitest'
import type { OpenDevice } from '../../node/src/device/open-device.js'
import { waitFor } from '../helpers/wait.js'
import { DepartmentWorld } from './department.js'

const world = new DepartmentWorld()
afterEach(async () => { await world.stop() })

async function directChat (asha: OpenDevice, bala: OpenDevice): Promise<string> {
  for (const d of [asha, bala]) await waitFor('department reached', () => d.messenger.status().mode === 'department', { timeoutMs: 20_000 })
  await waitFor('asha knows bala', async () => (await asha.messenger.contacts()).some(c => c.handle === 'bala'), { timeoutMs: 20_000 })
  const chat = await asha.messenger.startDirect('bala')
  await waitFor('bala joined', async () => (await bala.messenger.conversations()).some(c => c.id === chat.id), { timeoutMs: 30_000 })
  await asha.messenger.send(chat.id, 'before the revocation')
  await waitFor('bala reads it', async () => (await bala.messenger.history(chat.id)).messages.some(m => m.text === 'before the revocation'), { timeoutMs: 30_000 })
  return chat.id
}

async function expectRevoked (device: OpenDevice, conversationId: string): Promise<void> {
  expect(device.messenger.status().certificate).toBe('revoked')
  await expect(device.messenger.send(conversationId, 'after the revocation')).rejects.toMatchObject({ name: 'DeviceRevokedError' })
  const [summary] = (await device.messenger.conversations()).filter(c => c.id === conversationId)
  expect(summary).toMatchObject({ state: 'closed', closed: { reason: 'revoked' } })
  // what it had stays readable
  expect((await device.messenger.history(conversationId)).messages.some(m => m.text === 'before the revocation')).toBe(true)
}

describe('a device whose certificate is revoked', () => {
  it('learns it from the signed list while connected, says so, refuses to send, and still knows after a restart; the other officer keeps the chat by name', async () => {
    const node = await world.start()
    const asha = await (await world.enrol('asha'))()
    const openBala = await world.enrol('bala')
    let bala = await openBala()
    const chat = await directChat(asha, bala)
    const revoked: Array<{ at: number, department: string }> = []
    bala.messenger.on('revoked', (r) => { revoked.push(r) })

    const before = Date.now()
    await node.revoke({ handle: 'bala' })
    await waitFor('bala told it was revoked', () => revoked.length > 0, { timeoutMs: 20_000 })
    expect(revoked).toHaveLength(1)
    expect(revoked[0]?.department).toBe('Budget Division')
    expect(revoked[0]?.at).toBeGreaterThanOrEqual(before - 1000)
    await expectRevoked(bala, chat)

    // it stops dialling its node, which would only hang up on it again (it used to redial every second or so)
    await waitFor('the node hung up on bala', () => bala.messenger.status().departmentNodes === 0, { timeoutMs: 20_000 })
    let redials = 0
    // counted where the device dials (the node's gate refuses a revoked peer before a connection opens)
    const dial = bala.libp2p.dial.bind(bala.libp2p)
    bala.libp2p.dial = async (...args: Parameters<typeof dial>) => { redials++; return await dial(...args) }
    // an absence can only be watched for a while: several of the link's 1-2 s retries would fall in this window
    await new Promise(resolve => setTimeout(resolve, 6_000))
    bala.libp2p.dial = dial
    expect(redials).toBe(0)

    await bala.stop()
    bala = await openBala()
    await expectRevoked(bala, chat)

    // asha's side: the chat keeps its name and its history after bala's device was removed from it
    await waitFor('bala removed from the chat at asha', async () => (await asha.messenger.conversations()).find(c => c.id === chat)?.members.length === 1, { timeoutMs: 30_000 })
    const [kept] = (await asha.messenger.conversations()).filter(c => c.id === chat)
    expect(kept).toMatchObject({ kind: 'direct', title: 'Bala' })
    expect((await asha.messenger.history(chat)).messages.some(m => m.text === 'before the revocation')).toBe(true)
  }, 180_000)

  it('learns it when it comes back after being revoked while away: the node refuses it, the signed list over HTTP says why', async () => {
    const node = await world.start()
    const asha = await (await world.enrol('asha'))()
    const openBala = await world.enrol('bala')
    let bala = await openBala()
    const chat = await directChat(asha, bala)
    await bala.messenger.idle()
    await bala.stop()

    await node.revoke({ handle: 'bala' })
    bala = await openBala()
    const revoked: Array<{ at: number, department: string }> = []
    bala.messenger.on('revoked', (r) => { revoked.push(r) })
    await waitFor('bala learns it was revoked', () => bala.messenger.status().certificate === 'revoked', { timeoutMs: 20_000 })
    await expectRevoked(bala, chat)
  }, 180_000)
})
