import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { EnvelopeKind, EpochTooOldError, FutureEpochError, InvalidArgumentError, InvalidSignatureError, MalformedInputError } from '@dak/protocol'
import { envelope, NOW, openTempDb, seededKey, type TempDb } from '../store/test-helpers.js'
import { CommitSequencer } from './commit-sequencer.js'

const alice = seededKey('alice device')
const bob = seededKey('bob device')
const group = new Uint8Array(32).fill(0xa1)
const otherGroup = new Uint8Array(32).fill(0xb2)

function commit (device = alice, n = 1): Uint8Array {
  return envelope(device, 'group-topic', n, { kind: EnvelopeKind.COMMIT }).bytes
}

let temp: TempDb
beforeEach(async () => { temp = await openTempDb() })
afterEach(async () => { await temp.cleanup() })

describe('CommitSequencer', () => {
  it('accepts the first commit of an epoch and hands the winner to a later rival', async () => {
    const sequencer = new CommitSequencer({ db: temp.db })
    expect(await sequencer.submit(group, 0, commit(alice), NOW)).toEqual({ accepted: true, sequence: 1 })
    expect(await sequencer.submit(group, 0, commit(bob), NOW)).toEqual({ accepted: false, sequence: 1, winner: commit(alice) })
    expect(await sequencer.submit(group, 1, commit(bob, 2), NOW)).toEqual({ accepted: true, sequence: 2 })
    expect(await sequencer.submit(otherGroup, 7, commit(bob, 3), NOW)).toEqual({ accepted: true, sequence: 1 })
  })

  it('answers a resubmitted winner as accepted again, with the same sequence', async () => {
    const sequencer = new CommitSequencer({ db: temp.db })
    await sequencer.submit(group, 0, commit(alice), NOW)
    expect(await sequencer.submit(group, 0, commit(alice), NOW + 1000)).toEqual({ accepted: true, sequence: 1 })
  })

  it('lets exactly one of two concurrent commits for one epoch win', async () => {
    const sequencer = new CommitSequencer({ db: temp.db })
    const rivals = [commit(alice, 10), commit(bob, 11), commit(alice, 12), commit(bob, 13)]
    const outcomes = await Promise.all(rivals.map(async bytes => await sequencer.submit(group, 5, bytes, NOW)))
    const winners = outcomes.filter(o => o.accepted)
    expect(winners).toHaveLength(1)
    const winner = rivals[outcomes.findIndex(o => o.accepted)]
    for (const o of outcomes) if (!o.accepted) expect(o.winner).toEqual(winner)
  })

  it('keeps its decisions across a restart', async () => {
    await new CommitSequencer({ db: temp.db }).submit(group, 3, commit(alice), NOW)
    await temp.reopen()
    const sequencer = new CommitSequencer({ db: temp.db })
    expect(await sequencer.submit(group, 3, commit(bob), NOW)).toMatchObject({ accepted: false, winner: commit(alice) })
    expect(await sequencer.submit(group, 4, commit(bob, 2), NOW)).toEqual({ accepted: true, sequence: 2 })
  })

  it('refuses holes in the epoch order and epochs before its log', async () => {
    const sequencer = new CommitSequencer({ db: temp.db })
    await sequencer.submit(group, 3, commit(alice), NOW)
    await expect(sequencer.submit(group, 5, commit(bob), NOW)).rejects.toThrow(FutureEpochError)
    await expect(sequencer.submit(group, 2, commit(bob), NOW)).rejects.toThrow(EpochTooOldError)
    expect(await sequencer.submit(group, 4, commit(bob), NOW)).toEqual({ accepted: true, sequence: 2 })
  })

  it('refuses what is not a valid commit envelope, or a bad group or epoch, deciding nothing', async () => {
    const sequencer = new CommitSequencer({ db: temp.db })
    const tampered = commit(alice).slice()
    tampered[tampered.length - 1] = (tampered[tampered.length - 1] ?? 0) ^ 1
    await expect(sequencer.submit(group, 0, tampered, NOW)).rejects.toThrow(InvalidSignatureError)
    await expect(sequencer.submit(group, 0, envelope(alice, 'group-topic', 1).bytes, NOW)).rejects.toThrow(MalformedInputError)
    await expect(sequencer.submit(group, -1, commit(alice), NOW)).rejects.toThrow(InvalidArgumentError)
    await expect(sequencer.submit(new Uint8Array(0), 0, commit(alice), NOW)).rejects.toThrow(InvalidArgumentError)
    await expect(sequencer.submit(new Uint8Array(257), 0, commit(alice), NOW)).rejects.toThrow(InvalidArgumentError)
    expect(await sequencer.submit(group, 0, commit(bob), NOW)).toEqual({ accepted: true, sequence: 1 })
  })

  it('serves the accepted commits from an epoch on, in order, a page at a time', async () => {
    const sequencer = new CommitSequencer({ db: temp.db })
    for (let epoch = 0; epoch < 5; epoch++) await sequencer.submit(group, epoch, commit(alice, epoch), NOW)
    await sequencer.submit(otherGroup, 0, commit(bob), NOW)
    const fromTwo = await sequencer.commitsFrom(group, 2)
    expect(fromTwo.map(c => [c.epoch, c.sequence])).toEqual([[2, 3], [3, 4], [4, 5]])
    expect(fromTwo[0]?.envelope).toEqual(commit(alice, 2))
    expect((await sequencer.commitsFrom(group, 0, 2)).map(c => c.epoch)).toEqual([0, 1])
    expect(await sequencer.commitsFrom(group, 9)).toEqual([])
  })
})
