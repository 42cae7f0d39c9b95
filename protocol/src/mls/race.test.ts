import { describe, expect, it } from 'vitest'
import { fromUtf8, utf8 } from '../bytes.js'
import { DuplicateMessageError, EpochTooOldError, InvalidArgumentError } from '../errors.js'
import { proposeCommit, proposeSelfUpdate } from './commit.js'
import { applyPendingCommit, settleCommit } from './pending.js'
import { epochOf } from './framing.js'
import { joinFromWelcome } from './group.js'
import { encryptMessage, processMessage } from './messages.js'
import { epochOfState, members, serialiseState, type ConversationState } from './state.js'
import { ctx, makeDevice, makeGroup } from './test-fixtures.js'

function at (states: ConversationState[], i: number): ConversationState {
  const state = states[i]
  if (state == null) throw new Error(`no state ${i}`)
  return state
}

describe('two commits for one epoch', () => {
  it('the sequencer\'s pick applies everywhere, the other is refused, and its author re-proposes', async () => {
    const { states } = await makeGroup(['asha.rao', 'bo.chen', 'cy.diaz'])
    const dee = await makeDevice('dee.ek')
    const deeKp = await dee.keyPackage()
    // Asha (admin) wants to add Dee; Bo refreshes his keys. Both commit for epoch 1.
    const ashaPending = await proposeCommit(at(states, 0), { add: [deeKp.publicBytes] }, ctx)
    const boPending = await proposeSelfUpdate(at(states, 1), ctx)
    // The sequencer, not a member, reads each commit's epoch from the cleartext and keeps the first.
    expect(epochOf(ashaPending.commitBytes)).toBe(1n)
    expect(epochOf(boPending.commitBytes)).toBe(1n)
    const winner = boPending.commitBytes

    // Until acknowledged, nothing was applied: Asha still talks in epoch 1.
    const meanwhile = await encryptMessage(at(states, 0), utf8('still epoch 1'))
    expect(epochOf(meanwhile.messageBytes)).toBe(1n)

    const cy = await settleCommit(at(states, 2), undefined, winner, ctx)
    const bo = await settleCommit(at(states, 1), boPending, winner, ctx)
    const asha = await settleCommit(meanwhile.state, ashaPending, winner, ctx)
    expect([cy.ownCommitApplied, bo.ownCommitApplied, asha.ownCommitApplied]).toEqual([false, true, false])
    expect([cy, bo, asha].map(s => epochOfState(s.state))).toEqual([2n, 2n, 2n])

    // The losing commit is refused by members, and leaves their state as it was.
    const before = serialiseState(cy.state)
    await expect(processMessage(cy.state, ashaPending.commitBytes, ctx)).rejects.toThrow(EpochTooOldError)
    expect(serialiseState(cy.state)).toEqual(before)

    // Asha re-proposes on top of the winner; this time it is accepted.
    const retry = await proposeCommit(asha.state, { add: [deeKp.publicBytes] }, ctx)
    expect(retry.epoch).toBe(2n)
    const a2 = await settleCommit(asha.state, retry, retry.commitBytes, ctx)
    const b2 = await settleCommit(bo.state, undefined, retry.commitBytes, ctx)
    const c2 = await settleCommit(cy.state, undefined, retry.commitBytes, ctx)
    expect(b2.added.map(c => c.handle)).toEqual(['dee.ek'])
    const d = await joinFromWelcome(retry.welcomeBytes ?? new Uint8Array(), [deeKp], ctx)
    expect(members(d.state).map(c => c.handle)).toEqual(['asha.rao', 'bo.chen', 'cy.diaz', 'dee.ek'])

    const hello = await encryptMessage(d.state, utf8('hi all'))
    for (const state of [a2.state, b2.state, c2.state]) {
      const got = await processMessage(state, hello.messageBytes, ctx)
      expect(got.kind === 'application' && fromUtf8(got.plaintext)).toBe('hi all')
    }
  })
})

describe('a commit waiting for the sequencer', () => {
  it('does not stop the conversation, and the closed epoch stays readable after it applies', async () => {
    const { states } = await makeGroup(['asha.rao', 'bo.chen'])
    const pending = await proposeSelfUpdate(at(states, 0), ctx)
    // While it waits: Bo writes, Asha reads and writes, all in epoch 1.
    const m1 = await encryptMessage(at(states, 1), utf8('m1'))
    const asha1 = await processMessage(at(states, 0), m1.messageBytes, ctx)
    const m2 = await encryptMessage(asha1.state, utf8('m2'))
    const bo1 = await processMessage(m1.state, m2.messageBytes, ctx)
    expect(bo1.kind === 'application' && fromUtf8(bo1.plaintext)).toBe('m2')
    // Bo writes once more in epoch 1 before he sees the commit.
    const m3 = await encryptMessage(bo1.state, utf8('m3'))

    // Applying needs the state the group is in now, and only one in the commit's epoch.
    await expect(async () => applyPendingCommit((await proposeSelfUpdate(at(states, 1), ctx)).pendingState, pending)).rejects.toThrow(InvalidArgumentError)
    const asha2 = applyPendingCommit(m2.state, pending)
    expect(epochOfState(asha2)).toBe(2n)
    const late = await processMessage(asha2, m3.messageBytes, ctx)
    expect(late.kind === 'application' && fromUtf8(late.plaintext)).toBe('m3')
    // What was read before the commit applied stays read.
    await expect(processMessage(late.state, m1.messageBytes, ctx)).rejects.toThrow(DuplicateMessageError)

    const bo2 = await processMessage(m3.state, pending.commitBytes, ctx)
    const m4 = await encryptMessage(bo2.state, utf8('m4'))
    const got = await processMessage(late.state, m4.messageBytes, ctx)
    expect(got.kind === 'application' && fromUtf8(got.plaintext)).toBe('m4')
  })
})
