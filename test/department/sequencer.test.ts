import { applyPendingCommit, bytesEqual, EnvelopeKind, groupIdOfState, proposeCommit, type ConversationState } from '@dak/protocol'
import { afterEach, describe, expect, it } from 'vitest'
import { ctx, makeGroup } from '../../protocol/src/mls/test-fixtures.js'
import { cleanup, connect, enrolDevice, startDepartment, startDevice } from './helpers.js'
import { conversationTopic, seal } from './envelopes.js'

afterEach(cleanup)

/** A real MLS commit (a self-update) made on `state`, not applied. */
async function commitOn (state: ConversationState) {
  return await proposeCommit(state, {}, ctx)
}

describe('commit sequencing', () => {
  it('of concurrent commits for one epoch exactly one wins, the losers get the winner, and it is stored for catch-up', async () => {
    const node = await startDepartment()
    const devices = await Promise.all(['asha.rao', 'ravi.k', 'mina.s'].map(async h => await startDevice(await enrolDevice(node, h))))
    const clients = await Promise.all(devices.map(async d => await connect(d, node)))
    const { states: [start] } = await makeGroup(['admin.one'])
    if (start == null) throw new Error('no group')
    const groupId = groupIdOfState(start)
    const topic = conversationTopic()
    const pendings = await Promise.all(devices.map(async () => await commitOn(start)))
    const commits = devices.map((d, i) => seal(d.enrolled.keys, topic, i + 1, { kind: EnvelopeKind.COMMIT, payload: pendings[i]!.commitBytes }))

    const outcomes = await Promise.all(clients.map(async (c, i) => await c.submitCommit(groupId, 0n, commits[i] as Uint8Array)))
    const winners = outcomes.flatMap((o, i) => o.accepted ? [i] : [])
    expect(winners).toHaveLength(1)
    const won = winners[0] as number
    const winner = commits[won] as Uint8Array
    for (const outcome of outcomes) {
      if (!outcome.accepted) expect(bytesEqual(outcome.winner, winner)).toBe(true)
      expect(outcome.sequence).toBe(1)
    }
    // the winner may resubmit (it lost the answer); the next epoch follows; a gap is refused
    expect(await clients[won]?.submitCommit(groupId, 0, winner)).toEqual({ accepted: true, sequence: 1 })
    const epoch1 = applyPendingCommit(start, pendings[won]!)
    const nextPending = await commitOn(epoch1)
    const next = seal(devices[0]!.enrolled.keys, topic, 10, { kind: EnvelopeKind.COMMIT, payload: nextPending.commitBytes })
    expect(await clients[0]?.submitCommit(groupId, 1, next)).toEqual({ accepted: true, sequence: 2 })
    const epoch2 = applyPendingCommit(epoch1, nextPending)
    const epoch3 = applyPendingCommit(epoch2, await commitOn(epoch2))
    const skipping = seal(devices[1]!.enrolled.keys, topic, 11, { kind: EnvelopeKind.COMMIT, payload: (await commitOn(epoch3)).commitBytes })
    await expect(clients[1]?.submitCommit(groupId, 3, skipping)).rejects.toMatchObject({ name: 'FutureEpochError' })
    // the request's epoch must be the commit's own, and only commits are sequenced
    await expect(clients[1]?.submitCommit(groupId, 7, skipping)).rejects.toMatchObject({ name: 'MalformedInputError' })
    await expect(clients[1]?.submitCommit(groupId, 2, seal(devices[1]!.enrolled.keys, topic, 12))).rejects.toMatchObject({ name: 'MalformedInputError' })

    // accepted commits are in the group topic's store, in sequencer order
    await clients[2]?.registerTopics([topic])
    expect((await clients[2]!.query(topic, 0, 0)).entries.map(e => e.envelope)).toEqual([winner, next])
  })
})
