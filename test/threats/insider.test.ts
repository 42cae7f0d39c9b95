import { afterEach, describe, expect, it } from 'vitest'
import {
  applyPendingCommit, createGroup, createKeyPackage, EnvelopeKind, fromHex, issueCommitAck, loadSuite, mlsHash, proposeCommit, proposeSelfUpdate,
  restoreState, RevocationState, sealEnvelope, signGroupRegistration, messageId, toHex, type ConversationState, type SigningKeyPair
} from '@dak/protocol'
import { createDepartmentClient, type DepartmentClient } from '@dak/node/department'
import { loadDepartmentKeys } from '../../bootstrap/src/identity/node-keys.js'
import type { OpenDevice } from '../../node/src/device/open-device.js'
import { DepartmentWorld } from '../messenger/department.js'
import { waitFor } from '../helpers/wait.js'
import { deviceKeyOf, feed, groupIdOfConversation, historyOf, shows, waitMembers } from './lan.js'

/**
 * THREATS.md, "Insider: an enrolled officer's device, in no conversation", and
 * "Department node acting alone" (acknowledging two commits for one epoch).
 *
 * Mallory is an ordinary enrolled device, connected to the real department
 * node, a member of nothing. She learns a real group's id (it is on the wire
 * as the topic name) and submits to the node's sequencer every commit she can
 * make for it: a look-alike group under the id with her own registration, for
 * the group's current epoch, epoch 0 and the next; and real members' commits
 * replayed under her connection. None may be sequenced, and the admin's next
 * real change must go through. Then the node itself misbehaves: it signs a
 * second ack for an epoch already decided, and the members show the fork.
 */

const world = new DepartmentWorld()
afterEach(async () => { await world.stop() })

async function stateOf (device: OpenDevice, groupId: string): Promise<ConversationState> {
  const bytes = await device.store.groups.get(groupId)
  if (bytes == null) throw new Error('no group state')
  return await restoreState(bytes)
}

async function ready (...devices: OpenDevice[]): Promise<void> {
  for (const d of devices) await waitFor('department reached', () => d.messenger.status().mode === 'department', { timeoutMs: 20_000 })
}

describe('THREATS: an insider in no conversation, against the department sequencer', () => {
  it('sequences no commit from outside the group, and the admin\'s next change still goes through', async () => {
    const node = await world.start()
    const [asha, bala, chitra, mallory] = await Promise.all(['asha', 'bala', 'chitra', 'mallory'].map(async h => await (await world.enrol(h))()))
    if (asha == null || bala == null || chitra == null || mallory == null) throw new Error('devices')
    await ready(asha, bala, chitra, mallory)
    await waitFor('directory loaded', async () => (await asha.messenger.contacts()).length >= 3, { timeoutMs: 20_000 })
    const group = await asha.messenger.createGroup('Audit', ['bala'])
    await waitMembers(bala, group.id, ['asha', 'bala'])
    const groupId = groupIdOfConversation(group.id)
    const realEpoch = Number((await stateOf(asha, groupId)).mls.groupContext.epoch)

    // Mallory's tools: her device key, a department client on her own connection, and a look-alike group under the real id.
    const key = await deviceKeyOf(mallory)
    const client: DepartmentClient = createDepartmentClient({ node: node.peerId, deviceKeys: key, libp2p: mallory.libp2p })
    const context = { trust: node.trust, revocations: new RevocationState(), now: Date.now() }
    const identity = await mallory.store.identity.get()
    const keyPackage = async () => await createKeyPackage({ certificate: identity.certificate!, signatureKeyPair: identity.mlsSignatureKey!, suite: await loadSuite() })
    const policy = { sequencer: node.peerId.toString(), admins: [key.publicKey] }
    let own = await createGroup({ groupId: fromHex(groupId), ...policy, keyPackage: await keyPackage() }, context)
    const attempts: Array<{ label: string, epoch: number, envelope: Uint8Array, registration?: Uint8Array }> = []
    const seal = (k: SigningKeyPair, payload: Uint8Array): Uint8Array => sealEnvelope(k, { kind: EnvelopeKind.COMMIT, topic: group.id, timestamp: Date.now(), senderSeq: attempts.length + 1, payload }).bytes
    const registration = signGroupRegistration(key, fromHex(groupId), policy)
    for (let epoch = 0; epoch <= realEpoch + 1; epoch++) {
      const pending = await proposeSelfUpdate(own, context)
      attempts.push({ label: `look-alike epoch ${epoch}`, epoch, envelope: seal(key, pending.commitBytes) })
      attempts.push({ label: `look-alike epoch ${epoch} with her registration`, epoch, envelope: seal(key, pending.commitBytes), registration })
      own = applyPendingCommit(own, pending)
    }
    // a real member's commit, made on Asha's state (Mallory got it from a stolen backup), sealed by Mallory
    const ashas = await proposeCommit(await stateOf(asha, groupId), {}, context)
    attempts.push({ label: 'a member\'s commit under her own seal', epoch: realEpoch, envelope: seal(key, ashas.commitBytes) })
    // and one with Asha's commit and Asha's seal, replayed over Mallory's connection
    attempts.push({ label: 'a member\'s sealed commit, replayed', epoch: realEpoch, envelope: seal(await deviceKeyOf(asha), ashas.commitBytes) })

    const refusals: Record<string, number> = {}
    let sequenced = 0
    for (const attempt of attempts) {
      try {
        await client.submitCommit(fromHex(groupId), attempt.epoch, attempt.envelope, attempt.registration != null ? { registration: attempt.registration } : {})
        sequenced++
      } catch (err) {
        const name = (err as Error).name
        expect(name, attempt.label).toMatch(/^(NotYourCommitError|NotAMemberError|FutureEpochError|GroupNotRegisteredError)$/)
        refusals[name] = (refusals[name] ?? 0) + 1
      }
    }
    expect(sequenced).toBe(0)

    // The group is not frozen: the admin adds Chitra, everyone moves on, and Chitra reads the next message.
    await asha.messenger.addMembers(group.id, ['chitra'])
    for (const d of [asha, bala, chitra]) await waitMembers(d, group.id, ['asha', 'bala', 'chitra'])
    await asha.messenger.send(group.id, 'after the attack')
    await shows(chitra, group.id, 'after the attack')
    await shows(bala, group.id, 'after the attack')
    expect(await mallory.messenger.conversations()).toEqual([])

    // The conversation's stored envelopes: a member is served them; Mallory can neither register, read nor write the topic.
    const balas = createDepartmentClient({ node: node.peerId, deviceKeys: await deviceKeyOf(bala), libp2p: bala.libp2p })
    await waitFor('the store holds the conversation', async () => (await balas.query(group.id, 0, 0)).entries.length > 0, { timeoutMs: 20_000 })
    const stored = (await balas.query(group.id, 0, 0)).entries.length
    const storeRefusals: string[] = []
    const refusedAs = async (what: Promise<unknown>): Promise<void> => { await what.then(() => { throw new Error('served') }, (err: Error) => { storeRefusals.push(err.name) }) }
    await refusedAs(client.registerTopics([group.id]))
    await refusedAs(client.query(group.id, 0, 0))
    await refusedAs(client.deposit(sealEnvelope(key, { kind: EnvelopeKind.APPLICATION, topic: group.id, timestamp: Date.now(), senderSeq: 1, payload: new Uint8Array([1, 2, 3]) }).bytes))
    expect(storeRefusals).toEqual(['NotAMemberOfTopicError', 'TopicNotRegisteredError', 'NotAMemberOfTopicError'])
    expect((await balas.query(group.id, 0, 0)).entries.length).toBe(stored)

    console.info(`[threats] insider: 0 of ${attempts.length} foreign commits sequenced (${Object.entries(refusals).map(([n, c]) => `${c} ${n}`).join(', ')}); ` +
      `valid commit accepted after the attack; the added member reads the group; 0 of ${stored} envelopes of the conversation served to her (register, query and deposit refused)`)
  }, 180_000)

  it('stores no envelope an outsider gossips on a sequenced conversation\'s topic', async () => {
    const node = await world.start()
    const [asha, bala, mallory] = await Promise.all(['asha', 'bala', 'mallory'].map(async h => await (await world.enrol(h))()))
    if (asha == null || bala == null || mallory == null) throw new Error('devices')
    await ready(asha, bala, mallory)
    await waitFor('directory loaded', async () => (await asha.messenger.contacts()).length >= 2, { timeoutMs: 20_000 })
    const group = await asha.messenger.createGroup('Audit', ['bala'])
    await waitMembers(bala, group.id, ['asha', 'bala'])
    const balas = createDepartmentClient({ node: node.peerId, deviceKeys: await deviceKeyOf(bala), libp2p: bala.libp2p })
    const storedIds = async (): Promise<string[]> => (await balas.query(group.id, 0, 0)).entries.map(e => toHex(messageId(e.envelope)))
    const notMember = async (): Promise<number> => Number(/^dak_gossip_not_member_total (\d+)$/m.exec(await (await fetch(new URL('/metrics', node.httpUrl))).text())?.[1] ?? 0)

    // Mallory, a member of nothing, publishes signed envelopes on the conversation's topic by gossip, as a member would.
    const key = await deviceKeyOf(mallory)
    const pubsub = mallory.libp2p.services.pubsub
    // The node no longer tells her it holds the topic (bootstrap/src/node/topic-announcements.ts, and
    // test/threats/topic-announcements.test.ts); a modified client that learnt the id sends to the node anyway.
    expect(pubsub.getSubscribers(group.id).map(String)).not.toContain(node.peerId.toString())
    const heardBy = (pubsub as unknown as { topics: Map<string, Set<string>> }).topics
    heardBy.set(group.id, new Set([...(heardBy.get(group.id) ?? []), node.peerId.toString()]))
    const sent = [1, 2, 3].map(n => sealEnvelope(key, { kind: EnvelopeKind.APPLICATION, topic: group.id, timestamp: Date.now(), senderSeq: n, payload: new Uint8Array([n, n, n]) }))
    for (const envelope of sent) await pubsub.publish(group.id, envelope.bytes)
    const ids = sent.map(e => toHex(e.id))
    // Either the node stores them (the attack works) or it counts them refused: wait for one of the two.
    await waitFor('the node decides on her envelopes', async () => (await notMember()) >= sent.length || (await storedIds()).some(id => ids.includes(id)), { timeoutMs: 20_000 })
    const kept = (await storedIds()).filter(id => ids.includes(id)).length
    expect(kept).toBe(0)
    expect(await notMember()).toBe(sent.length)

    // A member's next text is still stored (deposited and gossiped).
    const before = await storedIds()
    await asha.messenger.send(group.id, 'after the outsider')
    await shows(bala, group.id, 'after the outsider')
    await waitFor('the member\'s text is stored', async () => (await storedIds()).length > before.length, { timeoutMs: 20_000 })
    console.info(`[threats] insider gossip: ${kept} of ${sent.length} envelopes an outsider gossiped on a sequenced conversation's topic stored by the node (gossip_not_member_total ${await notMember()}); a member's next text stored`)
  }, 120_000)

  it('applies no commit without the sequencer\'s ack, and shows a fork when the node acks two commits for one epoch', async () => {
    const node = await world.start()
    const [asha, bala, chitra] = await Promise.all(['asha', 'bala', 'chitra'].map(async h => await (await world.enrol(h))()))
    if (asha == null || bala == null || chitra == null) throw new Error('devices')
    await ready(asha, bala, chitra)
    await waitFor('directory loaded', async () => (await asha.messenger.contacts()).length >= 2, { timeoutMs: 20_000 })
    const group = await asha.messenger.createGroup('Audit', ['bala'])
    await waitMembers(bala, group.id, ['asha', 'bala'])
    const groupId = groupIdOfConversation(group.id)
    const context = { trust: node.trust, revocations: new RevocationState(), now: Date.now() }
    const nodeKey = (await loadDepartmentKeys(world.dataDirectory)).node
    const ashaKey = await deviceKeyOf(asha)
    const before = await stateOf(bala, groupId)
    const epoch = Number(before.mls.groupContext.epoch)
    const seal = (payload: Uint8Array, ack?: Uint8Array): Uint8Array =>
      sealEnvelope(ashaKey, { kind: EnvelopeKind.COMMIT, topic: group.id, timestamp: Date.now(), senderSeq: 900_000 + epoch, payload, ...(ack != null ? { sequencerAck: ack } : {}) }).bytes

    // A commit of Asha's that the sequencer never acknowledged: without an ack, with an ack by another key, or one naming another commit.
    const unacked = await proposeSelfUpdate(await stateOf(asha, groupId), context)
    const stranger = (await import('@dak/protocol')).generateSigningKeyPair()
    const ackFor = (k: SigningKeyPair, bytes: Uint8Array) => issueCommitAck(k, { groupId: fromHex(groupId), epoch, sequence: 99, commitHash: mlsHash(bytes), welcomeHash: new Uint8Array(0) }).bytes
    await feed(bala, [seal(unacked.commitBytes), seal(unacked.commitBytes, ackFor(stranger, unacked.commitBytes)), seal(unacked.commitBytes, ackFor(nodeKey, new Uint8Array([1])))])
    await bala.messenger.idle()
    expect(Number((await stateOf(bala, groupId)).mls.groupContext.epoch)).toBe(epoch)

    // The real next change, acknowledged: everyone moves to epoch + 1.
    await asha.messenger.addMembers(group.id, ['chitra'])
    await waitMembers(bala, group.id, ['asha', 'bala', 'chitra'])
    expect(Number((await stateOf(bala, groupId)).mls.groupContext.epoch)).toBe(epoch + 1)
    // The node now signs a second commit for the decided epoch (the unacked self-update above): a fork, in its own signatures.
    const forked = await feed(bala, [seal(unacked.commitBytes, ackFor(nodeKey, unacked.commitBytes))])
    expect(forked.accepted).toBe(1)
    await bala.messenger.idle()
    const lines = (await historyOf(bala, group.id)).filter(m => m.kind === 'system' && m.text.includes('two different changes'))
    expect(lines).toHaveLength(1)
    console.info(`[threats] node acting alone: 3 of 3 commits without a valid ack left unapplied; a second ack for epoch ${epoch} shown as a fork (${lines.length} line)`)
  }, 180_000)
})
