import { bytesEqual, EnvelopeKind, generateSigningKeyPair, messageId, parseInviteCode, sealEnvelope } from '@dak/protocol'
import { afterEach, describe, expect, it } from 'vitest'
import { inboxTopic, MAX_QUERY_BYTES, MAX_QUERY_ENTRIES } from '@dak/protocol/department'
import { enrolOverHttp } from '../../node/src/department/index.js'
import { MAX_QUERY_ENTRIES as STORE_MAX_QUERY_ENTRIES, MAX_QUERY_BYTES as STORE_MAX_QUERY_BYTES } from '../../bootstrap/src/store/limits.js'
import * as shared from '@dak/protocol/department'
import * as keyPackages from '../../bootstrap/src/keypackages/index.js'
import * as sequencer from '../../bootstrap/src/sequencer/index.js'
import { MAX_RPC_REQUEST_BYTES } from '../../bootstrap/src/store/limits.js'
import { nextEvent } from '../net/helpers.js'
import { isTunedForServer } from '../../bootstrap/src/node/server-gossip.js'
import { cleanup, connect, enrolDevice, startDepartment, startDevice } from './helpers.js'
import { conversationTopic, seal } from './envelopes.js'

afterEach(cleanup)

describe('store and forward', () => {
  it('keeps the client\'s limits equal to the registries\'', () => {
    expect([MAX_QUERY_ENTRIES, MAX_QUERY_BYTES]).toEqual([STORE_MAX_QUERY_ENTRIES, STORE_MAX_QUERY_BYTES])
    expect([shared.MAX_KEY_PACKAGE_BYTES, shared.MAX_KEY_PACKAGES_PER_UPLOAD, shared.MAX_DEVICES_PER_HANDLE, shared.MAX_GROUP_ID_BYTES, shared.MAX_UPLOAD_REQUEST_BYTES])
      .toEqual([keyPackages.MAX_KEY_PACKAGE_BYTES, keyPackages.MAX_KEY_PACKAGES_PER_UPLOAD, keyPackages.MAX_DEVICES_PER_HANDLE, sequencer.MAX_GROUP_ID_BYTES, MAX_RPC_REQUEST_BYTES])
  })

  it('registers topics, answers deposits with verified receipts, and serves pages in order', async () => {
    const node = await startDepartment()
    const device = await startDevice(await enrolDevice(node, 'asha.rao'))
    const client = await connect(device, node)
    const topic = conversationTopic()
    expect(await client.registerTopics([topic, conversationTopic()])).toBe(2)
    expect(await client.registerTopics([topic])).toBe(1)
    // the node keeps the topic, scored as a server scores it
    expect(node.libp2p.services.pubsub.getTopics()).toContain(topic)
    expect(isTunedForServer(node.libp2p.services.pubsub, topic)).toBe(true)

    const sent = [1, 2, 3, 4, 5].map(n => seal(device.enrolled.keys, topic, n))
    const receipts = []
    for (const envelope of sent) receipts.push(await client.deposit(envelope))
    expect(receipts.map(r => r.sequence)).toEqual([1, 2, 3, 4, 5])
    expect(receipts.every((r, i) => bytesEqual(r.messageId, messageId(sent[i] as Uint8Array)) && bytesEqual(r.nodePublicKey, node.peerId.publicKey?.raw ?? new Uint8Array()))).toBe(true)
    const again = await client.deposit(sent[1] as Uint8Array)
    expect([again.duplicate, again.sequence, again.storedAt]).toEqual([true, 2, receipts[1]?.storedAt])

    const first = await client.query(topic, 0, 2)
    expect(first.entries.map(e => e.sequence)).toEqual([1, 2])
    expect([first.nextAfterSequence, first.hasMore]).toEqual([2, true])
    const second = await client.query(topic, first.nextAfterSequence, 2)
    const third = await client.query(topic, second.nextAfterSequence, 2)
    expect([second.entries.map(e => e.sequence), third.entries.map(e => e.sequence), third.hasMore]).toEqual([[3, 4], [5], false])
    expect(third.entries[0]?.envelope).toEqual(sent[4])
    const past = await client.query(topic, 99, 10)
    expect([past.entries, past.nextAfterSequence, past.hasMore]).toEqual([[], 99, false])
  })

  it('clamps a page to the store\'s maximum however many entries are asked for', async () => {
    const node = await startDepartment()
    const device = await startDevice(await enrolDevice(node, 'asha.rao'))
    const client = await connect(device, node)
    const topic = conversationTopic()
    await client.registerTopics([topic])
    for (let n = 1; n <= MAX_QUERY_ENTRIES + 4; n++) await client.deposit(seal(device.enrolled.keys, topic, n))
    const page = await client.query(topic, 0, 100_000)
    expect([page.entries.length, page.hasMore]).toEqual([MAX_QUERY_ENTRIES, true])
    const rest = await client.query(topic, page.nextAfterSequence, 0)
    expect(rest.entries.map(e => e.sequence)).toEqual([257, 258, 259, 260])
  })

  it('refuses catch-up on unregistered topics, deposits from unknown senders and bad cursors', async () => {
    const node = await startDepartment()
    const device = await startDevice(await enrolDevice(node, 'asha.rao'))
    const client = await connect(device, node)
    const topic = conversationTopic()
    await expect(client.query(topic, 0, 10)).rejects.toMatchObject({ name: 'TopicNotRegisteredError' })
    // its own inbox needs no registration
    expect((await client.query(inboxTopic(device.enrolled.keys.publicKey), 0, 10)).entries).toEqual([])
    await client.registerTopics([topic])
    await expect(client.deposit(seal(generateSigningKeyPair(), topic, 1))).rejects.toMatchObject({ name: 'UnknownSenderError' })
    await expect(client.query(topic, -1, 10)).rejects.toMatchObject({ name: 'InvalidArgumentError' })
    expect((await client.query(topic, 0, 10)).entries).toEqual([])
  })

  it('stores what members gossip on registered topics and on inboxes', async () => {
    const node = await startDepartment()
    const asha = await startDevice(await enrolDevice(node, 'asha.rao'))
    const ravi = await startDevice(await enrolDevice(node, 'ravi.k'))
    const ashaClient = await connect(asha, node)
    const raviClient = await connect(ravi, node)
    const topic = conversationTopic()
    await ashaClient.registerTopics([topic])
    await raviClient.registerTopics([topic])
    const pubsub = asha.libp2p.services.pubsub
    // asha must know the node is subscribed before publishing reaches it (docs/network.md, "Publishing")
    if (!pubsub.getSubscribers(topic).some(p => p.equals(node.peerId))) await nextEvent(pubsub, 'subscription-change', () => pubsub.getSubscribers(topic).some(p => p.equals(node.peerId)))
    const envelope = seal(asha.enrolled.keys, topic, 1)
    const stored = nextEvent<{ topic: string, sequence: number }>(node.events, 'gossip:stored', (d) => d.topic === topic)
    await pubsub.publish(topic, envelope)
    expect((await stored).sequence).toBe(1)
    expect((await raviClient.query(topic, 0, 10)).entries.map(e => e.envelope)).toEqual([envelope])

    // a Welcome for asha waits in her inbox, which the node keeps without any registration; the node tells
    // only asha that it holds her inbox (topic-announcements.ts), so ravi's Welcome reaches it by deposit
    const inbox = inboxTopic(asha.enrolled.keys.publicKey)
    if (!pubsub.getSubscribers(inbox).some(p => p.equals(node.peerId))) await nextEvent(pubsub, 'subscription-change', () => pubsub.getSubscribers(inbox).some(p => p.equals(node.peerId)))
    expect(ravi.libp2p.services.pubsub.getSubscribers(inbox).map(String)).not.toContain(node.peerId.toString())
    const welcome = seal(ravi.enrolled.keys, inbox, 1)
    await raviClient.deposit(welcome)
    expect((await ashaClient.query(inbox, 0, 10)).entries.map(e => e.envelope)).toEqual([welcome])
  })

  it('purges envelopes past retention and expired invites when its chores run', async () => {
    let clock = Date.now()
    const node = await startDepartment({ retentionDays: 1 }, { now: () => clock })
    const device = await startDevice(await enrolDevice(node, 'asha.rao'))
    const client = await connect(device, node)
    const topic = conversationTopic()
    await client.registerTopics([topic])
    await client.deposit(seal(device.enrolled.keys, topic, 1))
    const invite = await node.createInvite({ handle: 'ravi.k', displayName: 'Ravi K', title: 'Clerk', validityHours: 1 })

    clock += 2 * 86_400_000
    await node.maintain()
    const page = await client.query(topic, 0, 0)
    expect([page.entries, page.hasMore]).toEqual([[], false])
    expect((await node.status()).store.envelopes).toBe(0)
    // an expired invite is forgotten altogether: it is now unknown, not merely expired
    await expect(enrolOverHttp(node.httpUrl, parseInviteCode(invite.code), generateSigningKeyPair(), generateSigningKeyPair().publicKey)).rejects.toMatchObject({ name: 'UnknownInviteError' })
    // numbering goes on after a purge
    expect((await client.deposit(sealEnvelope(device.enrolled.keys, { kind: EnvelopeKind.APPLICATION, topic, timestamp: clock, senderSeq: 2, payload: new Uint8Array([2]) }).bytes)).sequence).toBe(2)
  })
})
