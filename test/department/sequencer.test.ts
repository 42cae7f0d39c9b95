import { bytesEqual, EnvelopeKind } from '@dak/protocol'
import { randomBytes } from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import { cleanup, connect, enrolDevice, startDepartment, startDevice } from './helpers.js'
import { conversationTopic, seal } from './envelopes.js'

afterEach(cleanup)

describe('commit sequencing', () => {
  it('of concurrent commits for one epoch exactly one wins, the losers get the winner, and it is stored for catch-up', async () => {
    const node = await startDepartment()
    const devices = await Promise.all(['asha.rao', 'ravi.k', 'mina.s'].map(async h => await startDevice(await enrolDevice(node, h))))
    const clients = await Promise.all(devices.map(async d => await connect(d, node)))
    const groupId = new Uint8Array(randomBytes(32))
    const topic = conversationTopic()
    const commits = devices.map((d, i) => seal(d.enrolled.keys, topic, i + 1, { kind: EnvelopeKind.COMMIT }))

    const outcomes = await Promise.all(clients.map(async (c, i) => await c.submitCommit(groupId, 7n, commits[i] as Uint8Array)))
    const winners = outcomes.flatMap((o, i) => o.accepted ? [i] : [])
    expect(winners).toHaveLength(1)
    const winner = commits[winners[0] as number] as Uint8Array
    for (const outcome of outcomes) {
      if (!outcome.accepted) expect(bytesEqual(outcome.winner, winner)).toBe(true)
      expect(outcome.sequence).toBe(1)
    }
    // the winner may resubmit (it lost the answer); the next epoch follows; a gap is refused
    expect(await clients[winners[0] as number]?.submitCommit(groupId, 7, winner)).toEqual({ accepted: true, sequence: 1 })
    const next = seal(devices[0]!.enrolled.keys, topic, 10, { kind: EnvelopeKind.COMMIT })
    expect(await clients[0]?.submitCommit(groupId, 8, next)).toEqual({ accepted: true, sequence: 2 })
    await expect(clients[1]?.submitCommit(groupId, 10, seal(devices[1]!.enrolled.keys, topic, 11, { kind: EnvelopeKind.COMMIT }))).rejects.toMatchObject({ name: 'FutureEpochError' })
    await expect(clients[1]?.submitCommit(groupId, 9, seal(devices[1]!.enrolled.keys, topic, 12))).rejects.toMatchObject({ name: 'MalformedInputError' })

    // accepted commits are in the group topic's store, in sequencer order
    await clients[2]?.registerTopics([topic])
    expect((await clients[2]!.query(topic, 0, 0)).entries.map(e => e.envelope)).toEqual([winner, next])
  })
})
