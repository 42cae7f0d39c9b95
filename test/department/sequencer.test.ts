import {
  applyPendingCommit, bytesEqual, createGroup, EnvelopeKind, groupIdOfState, joinFromWelcome, mlsHash, openCommitAck, proposeCommit, signGroupRegistration,
  type ConversationState
} from '@dak/protocol'
import { afterEach, describe, expect, it } from 'vitest'
import { ctx, groupIdFor, makeDevice, type Device as MlsDevice } from '../../protocol/src/mls/test-fixtures.js'
import type { DepartmentNode } from '../../bootstrap/src/node/department-node.js'
import { cleanup, connect, enrolDevice, startDepartment, startDevice } from './helpers.js'
import { conversationTopic, seal } from './envelopes.js'

afterEach(cleanup)

/** An MLS test device whose device key is enrolled at `node`, with a client on its own connection. */
async function member (node: DepartmentNode, handle: string) {
  const mls = await makeDevice(handle)
  const device = await startDevice(await enrolDevice(node, handle, mls.device))
  return { mls, client: await connect(device, node) }
}

/** A group naming `node` as sequencer, made by members[0] who adds the others in the registered epoch-0 commit. */
async function groupAt (node: DepartmentNode, members: Array<{ mls: MlsDevice, client: Awaited<ReturnType<typeof connect>> }>, topic: string): Promise<ConversationState[]> {
  const [creator, ...others] = members
  if (creator == null) throw new Error('no creator')
  const policy = { sequencer: node.peerId.toString(), admins: [creator.mls.device.publicKey], idSalt: groupIdFor(topic).slice(0, 16) }
  const created = await createGroup({ ...policy, keyPackage: await creator.mls.keyPackage() }, ctx)
  const groupId = groupIdOfState(created)
  const packages = await Promise.all(others.map(async o => await o.mls.keyPackage()))
  const add = await proposeCommit(created, { add: packages.map(p => p.publicBytes) }, ctx)
  const outcome = await creator.client.submitCommit(groupId, 0, seal(creator.mls.device, topic, 1, { kind: EnvelopeKind.COMMIT, payload: add.commitBytes }), {
    registration: signGroupRegistration(creator.mls.device, groupId, policy),
    welcomeHash: mlsHash(add.welcomeBytes!)
  })
  expect(outcome.accepted).toBe(true)
  return [applyPendingCommit(created, add), ...await Promise.all(packages.map(async p => (await joinFromWelcome(add.welcomeBytes!, [p], ctx)).state))]
}

describe('commit sequencing', () => {
  it('of concurrent commits for one epoch exactly one wins, every answer carries the winner\'s signed ack, and a gap is refused', async () => {
    const node = await startDepartment()
    const members = await Promise.all(['asha.rao', 'ravi.k', 'mina.s'].map(async h => await member(node, h)))
    const topic = conversationTopic()
    const states = await groupAt(node, members, topic)
    const groupId = groupIdOfState(states[0]!)
    const pendings = await Promise.all(states.map(async s => await proposeCommit(s, {}, ctx)))
    const commits = members.map((m, i) => seal(m.mls.device, topic, i + 10, { kind: EnvelopeKind.COMMIT, payload: pendings[i]!.commitBytes }))

    const outcomes = await Promise.all(members.map(async (m, i) => await m.client.submitCommit(groupId, 1n, commits[i]!)))
    const winners = outcomes.flatMap((o, i) => o.accepted ? [i] : [])
    expect(winners).toHaveLength(1)
    const won = winners[0]!
    for (const outcome of outcomes) {
      if (!outcome.accepted) expect(bytesEqual(outcome.winner, commits[won]!)).toBe(true)
      expect(outcome.sequence).toBe(2)
      const ack = openCommitAck(outcome.ack, members[0]!.client.nodeKey)
      expect([ack.epoch, ack.sequence, bytesEqual(ack.commitHash, mlsHash(pendings[won]!.commitBytes))]).toEqual([1, 2, true])
    }
    // the winner may resubmit (it lost the answer); the next epoch follows; a gap is refused
    expect(await members[won]!.client.submitCommit(groupId, 1, commits[won]!)).toMatchObject({ accepted: true, sequence: 2 })
    const epoch2 = applyPendingCommit(states[won]!, pendings[won]!)
    const nextPending = await proposeCommit(epoch2, {}, ctx)
    const next = seal(members[won]!.mls.device, topic, 20, { kind: EnvelopeKind.COMMIT, payload: nextPending.commitBytes })
    expect(await members[won]!.client.submitCommit(groupId, 2, next)).toMatchObject({ accepted: true, sequence: 3 })
    const epoch3 = applyPendingCommit(epoch2, nextPending)
    const epoch4 = applyPendingCommit(epoch3, await proposeCommit(epoch3, {}, ctx))
    const skipping = seal(members[won]!.mls.device, topic, 21, { kind: EnvelopeKind.COMMIT, payload: (await proposeCommit(epoch4, {}, ctx)).commitBytes })
    await expect(members[won]!.client.submitCommit(groupId, 4, skipping)).rejects.toMatchObject({ name: 'FutureEpochError' })
    // the request's epoch must be the commit's own, and only commits are sequenced
    await expect(members[won]!.client.submitCommit(groupId, 7, skipping)).rejects.toMatchObject({ name: 'MalformedInputError' })
    await expect(members[won]!.client.submitCommit(groupId, 3, seal(members[won]!.mls.device, topic, 22))).rejects.toMatchObject({ name: 'MalformedInputError' })
    // a member's commit submitted over another member's connection is refused
    const loser = (won + 1) % 3
    await expect(members[loser]!.client.submitCommit(groupId, 3, seal(members[won]!.mls.device, topic, 23, { kind: EnvelopeKind.COMMIT, payload: (await proposeCommit(epoch3, {}, ctx)).commitBytes }))).rejects.toMatchObject({ name: 'NotYourCommitError' })
  })
})
