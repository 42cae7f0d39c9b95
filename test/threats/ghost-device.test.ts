import { generateSigningKeyPair, issueCertificate, signTreeHead, SplitViewError } from '@dak/protocol'
import { afterEach, describe, expect, it } from 'vitest'
import { loadDepartmentKeys } from '../../bootstrap/src/identity/node-keys.js'
import { LOG_HEADS_PROTOCOL } from '../../node/src/device/mesh-adapter.js'
import { createRpc } from '../../node/src/net/rpc.js'
import type { OpenDevice } from '../../node/src/device/open-device.js'
import { DepartmentWorld } from '../messenger/department.js'
import { waitFor } from '../helpers/wait.js'
import { historyOf, shows } from './lan.js'

/**
 * THREATS.md, "Department node or authority acting alone": enrol a second
 * device under an existing handle (a "ghost"). The department node holds the
 * authority key, so whoever runs it can invite "asha" again and enrol a device
 * of its own under her name. Before the fix: Carol, who already talks to Asha,
 * starts a direct chat with "asha"; the group is (carol, asha, ghost), the
 * ghost prints Carol's message, and Carol's safety number with Asha is the
 * same as before the ghost, so comparing it shows nothing.
 */

const world = new DepartmentWorld()
afterEach(async () => { await world.stop() })

/** Wait until a system line starting with `start` shows in the conversation; returns it. */
async function showsLine (device: OpenDevice, conversationId: string, start: string): Promise<string> {
  let line: string | undefined
  await waitFor(`a line "${start}…" at ${device.messenger.whoami().handle}`, async () => {
    line = (await historyOf(device, conversationId)).find(m => m.kind === 'system' && m.text.startsWith(start))?.text
    return line != null
  }, { timeoutMs: 30_000, subscribe: (wake) => device.messenger.on('message', wake) })
  return line ?? ''
}

async function ready (...devices: OpenDevice[]): Promise<void> {
  for (const d of devices) await waitFor('department reached', () => d.messenger.status().mode === 'department', { timeoutMs: 20_000 })
}

describe('THREATS: a ghost device enrolled under an existing handle', () => {
  it('is shown in every shared conversation, covered by the safety number, and gets nothing', async () => {
    await world.start()
    const asha = await (await world.enrol('asha'))()
    const carol = await (await world.enrol('carol'))()
    await ready(asha, carol)
    const alarms: string[] = []
    for (const d of [asha, carol]) d.messenger.on('error', (e) => { if (e.name === 'NotInLogError' || e.name === 'SplitViewError') alarms.push(e.name) })
    await waitFor('carol knows asha', async () => (await carol.messenger.contacts()).some(c => c.handle === 'asha'), { timeoutMs: 20_000 })
    const budget = await carol.messenger.createGroup('Budget', ['asha'])
    await waitFor('asha joined Budget', async () => (await asha.messenger.conversations()).some(c => c.id === budget.id), { timeoutMs: 30_000 })
    const numberBefore = await carol.messenger.safetyNumber('asha')

    // the node enrols a second device under "asha"
    const ghost = await (await world.enrol('asha'))()
    await ready(ghost)
    await ghost.messenger.idle() // its key packages are at the node
    const ghostKey = ghost.messenger.whoami().deviceKey
    await waitFor('carol learnt the ghost certificate', () => carol.messenger.isKnownDevice(Buffer.from(ghostKey, 'hex')), { timeoutMs: 20_000 })

    // every shared conversation shows it, at Carol and at Asha herself
    const short = `${ghostKey.slice(0, 4)} ${ghostKey.slice(4, 8)} ${ghostKey.slice(8, 12)}`
    expect(await showsLine(carol, budget.id, 'Asha has a new device')).toContain(short)
    expect(await showsLine(asha, budget.id, 'A new device was enrolled under your name')).toContain(short)

    // the safety number covers every device: it changed, and both sides show the same
    const numberAfter = await carol.messenger.safetyNumber('asha')
    expect(numberAfter.digits).not.toBe(numberBefore.digits)
    await waitFor('asha knows the ghost too', () => asha.messenger.isKnownDevice(Buffer.from(ghostKey, 'hex')), { timeoutMs: 20_000 })
    expect((await asha.messenger.safetyNumber('carol')).digits).toBe(numberAfter.digits)

    // the officer's devices are listed, the ghost as new
    const devices = await carol.messenger.devices('asha')
    expect(devices.map(d => [d.deviceKey, d.state]).sort()).toEqual([[asha.messenger.whoami().deviceKey, 'accepted'], [ghostKey, 'new']].sort())

    // Carol starts a direct chat with asha and writes: the ghost gets nothing
    const chat = await carol.messenger.startDirect('asha')
    await carol.messenger.send(chat.id, 'the figures for Friday')
    await waitFor('asha has the chat', async () => (await asha.messenger.conversations()).some(c => c.id === chat.id), { timeoutMs: 30_000 })
    await shows(asha, chat.id, 'the figures for Friday')
    await ghost.messenger.catchUp()
    await ghost.messenger.idle()
    const members = (await carol.messenger.conversations()).find(c => c.id === chat.id)?.members.map(m => m.deviceKey) ?? []
    expect(members).not.toContain(ghostKey)
    expect((await ghost.messenger.conversations()).map(c => c.id)).toEqual([])
    // and Carol's own chat says why Asha's second device is not in it
    expect(await showsLine(carol, chat.id, "Asha's new device")).toContain(short)

    // were it Asha's own new phone: Carol accepts it and adds it, a change every member sees
    expect((await carol.messenger.acceptDevice('asha', ghostKey.slice(0, 12))).state).toBe('accepted')
    await carol.messenger.addMembers(budget.id, ['asha'])
    await waitFor('the accepted device joined Budget', async () => (await ghost.messenger.conversations()).some(c => c.id === budget.id), { timeoutMs: 30_000 })
    await waitFor('asha sees her second device in Budget', async () => (await asha.messenger.conversations()).find(c => c.id === budget.id)?.members.some(m => m.deviceKey === ghostKey) === true, { timeoutMs: 30_000 })
    expect((await carol.messenger.conversations()).find(c => c.id === budget.id)?.members.filter(m => m.handle === 'asha')).toHaveLength(2)
    // the ghost was enrolled through the node's front door, so it is in the log: the log raises no alarm here (the safety number does)
    expect(alarms).toEqual([])
    console.info(`[threats] ghost device: announced in 1 of 1 shared conversations at the contact and at the officer herself; safety number changed and equal on both sides; direct chat ${members.length} members (ghost not among them); ghost in 0 conversations, 0 of 1 messages shown`)
  }, 120_000)

  it('shows a certificate the node issued but did not log, and a forged log head, in the conversations they concern', async () => {
    await world.start()
    const asha = await (await world.enrol('asha'))()
    const carol = await (await world.enrol('carol'))()
    await ready(asha, carol)
    await waitFor('carol knows asha', async () => (await carol.messenger.contacts()).some(c => c.handle === 'asha'), { timeoutMs: 20_000 })
    const budget = await carol.messenger.createGroup('Budget', ['asha'])
    await waitFor('asha joined Budget', async () => (await asha.messenger.conversations()).some(c => c.id === budget.id), { timeoutMs: 30_000 })
    await carol.messenger.idle()
    const nodeId = world.node.libp2p.peerId.toString()
    await waitFor('carol holds a log head', () => carol.messenger.logHead(nodeId) != null, { timeoutMs: 20_000 })
    const errors: string[] = []
    carol.messenger.on('error', (e) => { errors.push(e.name) })

    // whoever runs the node signs a certificate for a ghost under asha with the authority key, logs nothing, and shows it to Carol only
    const keys = await loadDepartmentKeys(world.dataDirectory)
    const ghostKey = generateSigningKeyPair().publicKey
    if (keys.authority == null) throw new Error('this world keeps its authority key on the node')
    const ghost = issueCertificate(keys.authority, {
      handle: 'asha', displayName: 'Asha', title: 'Section Officer', department: 'mof.budget', devicePublicKey: ghostKey, mlsSignatureKey: generateSigningKeyPair().publicKey,
      notBefore: Date.now() - 1000, notAfter: Date.now() + 86_400_000, serial: 999
    })
    await carol.messenger.learnOfficer(ghost)
    const line = await showsLine(carol, budget.id, 'Asha\'s device')
    expect(line).toContain('is not in the department\'s certificate log')
    expect(errors).toContain('NotInLogError')

    // a head signed with the node's key over another tree of the same size: a split view
    const head = carol.messenger.logHead(nodeId)!
    const size = Number(new DataView(head.buffer, head.byteOffset).getBigUint64(33))
    const forged = signTreeHead(keys.node, { size, timestamp: Date.now(), root: new Uint8Array(32).fill(7) })
    await expect(carol.messenger.compareLogHead(nodeId, forged.bytes)).rejects.toThrow(SplitViewError)
    await showsLine(carol, budget.id, 'The department node showed this device and another one different lists of certificates')
    expect(errors).toContain('SplitViewError')
    // the honest node's own head agrees
    await carol.messenger.compareLogHead(nodeId, head)

    // over the wire: the node gave Asha's device another tree (her device shows peers that head); Carol meets her
    const forgedForAsha = signTreeHead(keys.node, { size: size + 1, timestamp: Date.now(), root: new Uint8Array(32).fill(9) })
    await asha.libp2p.unhandle(LOG_HEADS_PROTOCOL)
    await createRpc(asha.libp2p, asha.libp2p.services.directory).handle(LOG_HEADS_PROTOCOL, async () => forgedForAsha.bytes, { maxRequestBytes: 0, maxResponseBytes: 4096 })
    const splitLines = async (): Promise<number> => (await historyOf(carol, budget.id)).filter(m => m.text.startsWith('The department node showed this device')).length
    const splitErrors = errors.filter(e => e === 'SplitViewError').length
    await carol.libp2p.hangUp(asha.libp2p.peerId)
    await carol.libp2p.dial(asha.libp2p.getMultiaddrs())
    await waitFor('carol compared heads with asha', () => errors.filter(e => e === 'SplitViewError').length > splitErrors, { timeoutMs: 20_000 })
    expect(await splitLines()).toBe(1) // shown once, however often it is found
    console.info(`[threats] unlogged certificate: a certificate the node signed and did not log, shown to Carol alone: NotInLogError and 1 line in the shared conversation; a forged head of the same size (${size} entries): SplitViewError and 1 line; a forged head shown by Asha's device when Carol meets it: SplitViewError`)
  }, 120_000)
})
