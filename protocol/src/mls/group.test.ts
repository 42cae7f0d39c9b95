import { describe, expect, it } from 'vitest'
import { CLASSICAL_CIPHER_SUITE, DEFAULT_CIPHER_SUITE } from '../constants.js'
import { fromUtf8, utf8 } from '../bytes.js'
import { encryptMessage, processMessage } from './messages.js'
import { epochOf, frameOf, groupIdOf } from './framing.js'
import { epochOfState, members, policyOf } from './state.js'
import { makeGroup, ctx, type TestGroup } from './test-fixtures.js'
import type { ConversationState } from './state.js'

/** Everyone sends one message; everyone else reads it, attributed to its sender. */
async function everyoneTalks (group: TestGroup): Promise<ConversationState[]> {
  let states = group.states
  for (const [from, device] of group.devices.entries()) {
    const sent = await encryptMessage(states[from] as ConversationState, utf8(`hello from ${device.handle}`))
    states = await Promise.all(states.map(async (state, i) => {
      if (i === from) return sent.state
      const got = await processMessage(state, sent.messageBytes, ctx)
      if (got.kind !== 'application') throw new Error('expected application data')
      expect(fromUtf8(got.plaintext)).toBe(`hello from ${device.handle}`)
      expect(got.sender.handle).toBe(device.handle)
      return got.state
    }))
  }
  return states
}

describe.each([DEFAULT_CIPHER_SUITE, CLASSICAL_CIPHER_SUITE] as const)('a three-member group (%s)', (suite) => {
  it('is created, grows by two, and everyone reads everyone', async () => {
    const group = await makeGroup(['asha.rao', 'bo.chen', 'cy.diaz'], suite)
    for (const state of group.states) {
      expect(epochOfState(state)).toBe(1n)
      expect(members(state).map(c => c.handle)).toEqual(['asha.rao', 'bo.chen', 'cy.diaz'])
      expect(state.suite).toBe(suite)
      // Everyone agrees on the sequencer and admins: they are in the GroupContext.
      expect(policyOf(state).sequencer).toBe('peer-asha.rao')
      expect(policyOf(state).admins).toEqual([group.devices[0]?.device.publicKey])
    }
    await everyoneTalks(group)
  })
})

describe('cleartext framing', () => {
  it('gives group id, epoch and kind of a message without membership', async () => {
    const group = await makeGroup(['asha.rao', 'bo.chen'])
    const sent = await encryptMessage(group.states[0] as ConversationState, utf8('x'))
    expect(epochOf(sent.messageBytes)).toBe(1n)
    expect(groupIdOf(sent.messageBytes)).toEqual((group.states[0] as ConversationState).mls.groupContext.groupId)
    expect(frameOf(sent.messageBytes)).toMatchObject({ kind: 'application', wire: 'private' })
  })
})
