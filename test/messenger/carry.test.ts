import { afterEach, describe, expect, it } from 'vitest'
import { DakError } from '@dak/protocol'
import type { OpenDevice } from '../../node/src/device/open-device.js'
import { CARRY_PROTOCOL } from '../../node/src/device/mesh-adapter.js'
import { decodeCarryAnswer, encodeCarryRequest } from '../../node/src/messenger/carry-wire.js'
import { createRpc } from '../../node/src/net/rpc.js'
import { connectAll, openOnLoopback } from '../helpers/mesh.js'
import { provisionDevice, testAuthority, type ProvisionedDevice } from '../helpers/provision.js'
import { waitFor } from '../helpers/wait.js'

/**
 * Delay-tolerant carry (docs/messenger.md, "Carry"): real devices on
 * loopback, real libp2p and level, no department node.
 */
const opened: OpenDevice[] = []
const provisioned: ProvisionedDevice[] = []

afterEach(async () => {
  await Promise.all(opened.splice(0).map(async d => { await d.stop().catch(() => {}) }))
  await Promise.all(provisioned.splice(0).map(async d => { await d.cleanup() }))
})

async function open (device: ProvisionedDevice): Promise<OpenDevice> {
  const d = await openOnLoopback(device)
  opened.push(d)
  return d
}

async function stop (device: OpenDevice): Promise<void> {
  opened.splice(opened.indexOf(device), 1)
  await device.stop()
}

/** Three members of one group on a LAN, the group made and joined by all. */
async function groupOfThree (extra: string[] = []): Promise<{ a: OpenDevice, b: OpenDevice, c: OpenDevice, others: OpenDevice[], groupId: string }> {
  const authority = testAuthority()
  for (const handle of ['asha', 'bala', 'chitra', ...extra]) provisioned.push(await provisionDevice(authority, handle))
  const devices: OpenDevice[] = []
  for (const device of provisioned) devices.push(await open(device))
  const [a, b, c, ...others] = devices as [OpenDevice, OpenDevice, OpenDevice, ...OpenDevice[]]
  await connectAll(devices)
  await waitFor('contacts learned', async () => (await a.messenger.contacts()).length === devices.length - 1)
  const group = await a.messenger.createGroup('Budget cell', ['bala', 'chitra'])
  for (const member of [b, c]) await waitFor('joined', async () => (await member.messenger.conversations()).some(x => x.id === group.id), { timeoutMs: 30_000 })
  return { a, b, c, others, groupId: group.id }
}

/** Gossipsub still offers a recent message to a new peer (IHAVE) for a few heartbeats: wait until it no longer can. */
async function gossipForgot (device: OpenDevice, topic: string): Promise<void> {
  const cache = (device.libp2p.services.pubsub as unknown as { mcache: { getGossipIDs: (topics: Set<string>) => Map<string, Uint8Array[]> } }).mcache
  await waitFor('gossip cache past the texts', () => (cache.getGossipIDs(new Set([topic])).get(topic)?.length ?? 0) === 0, { timeoutMs: 30_000 })
}

describe('delay-tolerant carry between members (no department node)', () => {
  it('an outsider asking a member for a conversation\'s envelopes gets nothing', async () => {
    const { a, b, c, others: [outsider], groupId } = await groupOfThree(['dev'])
    await a.messenger.send(groupId, 'budget figures')
    await waitFor('text at bala', async () => (await b.messenger.history(groupId)).messages.some(m => m.text === 'budget figures'), { timeoutMs: 30_000 })

    // dev is enrolled in the same department and connected to bala, but is no member of the group
    const rpc = createRpc(outsider!.libp2p, outsider!.libp2p.services.directory)
    let refused: unknown
    let answer: Uint8Array | undefined
    try {
      answer = await rpc.request(b.libp2p.peerId, CARRY_PROTOCOL, encodeCarryRequest({ topic: groupId, have: [] }))
    } catch (err) {
      refused = err
    }
    const got = answer == null ? 0 : decodeCarryAnswer(answer).envelopes.length
    console.log(`outsider asked a member for the group's envelopes: ${got} envelopes, refused with ${(refused as Error | undefined)?.name ?? 'nothing'}`)
    expect(got).toBe(0)
    expect(refused).toBeInstanceOf(DakError)
    expect((refused as DakError).name).toBe('CarryRefusedError')
    // a topic nobody has is answered the same: which conversations exist is not told
    const unknown = await rpc.request(b.libp2p.peerId, CARRY_PROTOCOL, encodeCarryRequest({ topic: groupId.replace(/.$/, c => c === '0' ? '1' : '0'), have: [] })).catch((err: unknown) => err)
    expect((unknown as DakError).name).toBe('CarryRefusedError')
    // malformed bytes: a typed error, and bala keeps serving
    const malformed = await rpc.request(b.libp2p.peerId, CARRY_PROTOCOL, new Uint8Array([9, 9, 9, 9])).catch((err: unknown) => err)
    expect((malformed as DakError).name).toBe('MalformedInputError')
    expect(await outsider!.messenger.history(groupId).catch(() => undefined)).toBeUndefined()

    // a member removed is an outsider from then on
    await a.messenger.removeMember(groupId, 'chitra')
    await waitFor('chitra removed at bala', async () => (await b.messenger.conversations()).find(x => x.id === groupId)?.members.length === 2, { timeoutMs: 30_000 })
    const removed = await createRpc(c.libp2p, c.libp2p.services.directory).request(b.libp2p.peerId, CARRY_PROTOCOL, encodeCarryRequest({ topic: groupId, have: [] })).catch((err: unknown) => err)
    expect((removed as DakError).name).toBe('CarryRefusedError')
  }, 120_000)

  it('a member who was away gets what was said from another member, the sender gone', async () => {
    const { a, b, c, groupId } = await groupOfThree()
    const chitra = provisioned[2]!
    await stop(c)
    const texts = ['memo one', 'memo two', 'memo three']
    for (const text of texts) await a.messenger.send(groupId, text)
    await waitFor('texts at bala', async () => (await b.messenger.history(groupId)).messages.filter(m => texts.includes(m.text ?? '')).length === 3, { timeoutMs: 30_000 })
    await stop(a)
    await gossipForgot(b, groupId)

    const c2 = await open(chitra)
    const started = Date.now()
    await c2.libp2p.dial(b.libp2p.getMultiaddrs())
    await waitFor('texts at chitra', async () => (await c2.messenger.history(groupId)).messages.filter(m => texts.includes(m.text ?? '')).length === 3, { timeoutMs: 30_000 })
    console.log(`chitra got ${texts.length} texts from bala (asha offline) ${Date.now() - started} ms after dialling`)
    const history = (await c2.messenger.history(groupId)).messages.filter(m => texts.includes(m.text ?? ''))
    expect(history.map(m => m.text)).toEqual(texts)
    expect(history.every(m => m.sender.handle === 'asha')).toBe(true)
    expect(c2.libp2p.services.directory.peers().map(p => p.certificate.handle)).toEqual(['bala'])
  }, 120_000)

  it('a text published before the sender knew a member\'s subscription is fetched from it once it does', async () => {
    const { a, b, c, groupId } = await groupOfThree()
    const texts = async (device: OpenDevice): Promise<string[]> => (await device.messenger.history(groupId)).messages.filter(m => m.kind === 'text').map(m => m.text)
    await a.messenger.send(groupId, 'one')
    await waitFor('one at chitra', async () => (await texts(c)).includes('one'), { timeoutMs: 30_000 })

    // asha no longer counts chitra among the topic's subscribers (as when chitra's
    // subscription has not reached her yet after a reconnect) while she publishes 'two'
    const pubsub = c.libp2p.services.pubsub
    pubsub.unsubscribe(groupId)
    await waitFor('asha sees chitra gone from the topic', () => !a.libp2p.services.pubsub.getSubscribers(groupId).some(p => p.equals(c.libp2p.peerId)), { timeoutMs: 30_000 })
    await a.messenger.send(groupId, 'two')
    await waitFor('two at bala', async () => (await texts(b)).includes('two'), { timeoutMs: 30_000 })
    await a.messenger.idle()
    await gossipForgot(a, groupId)
    expect(await texts(c)).toEqual(['one'])

    // her subscription reaches asha, and asha sends nothing more: chitra asks asha's carry then
    pubsub.subscribe(groupId)
    await waitFor('two at chitra', async () => (await texts(c)).includes('two'), { timeoutMs: 30_000 })
    expect(await texts(c)).toEqual(['one', 'two'])
  }, 90_000)

  it('a member just added, who grafts the sender itself, fetches what the sender published before her subscription reached it', async () => {
    const authority = testAuthority()
    for (const handle of ['asha', 'bala', 'chitra']) provisioned.push(await provisionDevice(authority, handle))
    const [a, b, c] = await Promise.all(provisioned.map(open)) as [OpenDevice, OpenDevice, OpenDevice]
    await connectAll([a, b, c])
    await waitFor('contacts learned', async () => (await a.messenger.contacts()).length === 2)
    const groupId = (await a.messenger.createGroup('Budget cell', ['bala'])).id
    const texts = async (device: OpenDevice): Promise<string[]> => (await device.messenger.history(groupId)).messages.filter(m => m.kind === 'text').map(m => m.text)

    // chitra's subscription to the group is held back (as on a slow link) while asha adds her and speaks
    const pubsub = c.libp2p.services.pubsub
    const subscribe = pubsub.subscribe.bind(pubsub)
    let held = false
    pubsub.subscribe = (topic: string) => { if (topic === groupId) held = true; else subscribe(topic) }
    const grafts: string[] = []
    pubsub.addEventListener('gossipsub:graft', (event) => { if (event.detail.topic === groupId && event.detail.peerId.toString() === a.libp2p.peerId.toString()) grafts.push(event.detail.direction) })
    await a.messenger.addMembers(groupId, ['chitra'])
    await waitFor('chitra joined, her subscription held', async () => held && (await c.messenger.conversations()).some(x => x.id === groupId), { timeoutMs: 30_000 })
    await a.messenger.send(groupId, 'before she was heard')
    await waitFor('the text at bala', async () => (await texts(b)).includes('before she was heard'), { timeoutMs: 30_000 })
    await a.messenger.idle()
    await gossipForgot(a, groupId)
    expect(await texts(c)).toEqual([])

    // her subscription goes out with her GRAFT (she has no backoff for asha): asha adds her to the mesh and grafts nothing back
    subscribe(groupId)
    await waitFor('the text at chitra', async () => (await texts(c)).includes('before she was heard'), { timeoutMs: 30_000 })
    expect(grafts[0]).toBe('outbound')
  }, 90_000)
})
