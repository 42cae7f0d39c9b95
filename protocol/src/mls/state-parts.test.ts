import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { utf8 } from '../bytes.js'
import { MalformedInputError } from '../errors.js'
import { proposeSelfUpdate } from './commit.js'
import { encryptMessage, processMessage } from './messages.js'
import { joinStateParts, sharedPartDigest, splitState } from './state-parts.js'
import { restoreState, serialiseState, type ConversationState } from './state.js'
import { ctx, deliverCommit, makeGroup } from './test-fixtures.js'

async function exchange (sender: ConversationState, receiver: ConversationState): Promise<[ConversationState, ConversationState]> {
  const sent = await encryptMessage(sender, utf8('the revised tables are attached'))
  const read = await processMessage(receiver, sent.messageBytes, ctx)
  return [sent.state, read.state]
}

describe('a group state split into its shared and own records', () => {
  it('joins back to the whole state, byte for byte, and restores', async () => {
    const { states } = await makeGroup(['asha.rao', 'bo.chen', 'chitra.n'])
    const [, bo] = await exchange(states[0]!, states[1]!)
    const parts = splitState(bo, true)
    expect(joinStateParts(parts.shared, parts.own)).toEqual(serialiseState(bo))
    // the own record is the small part: the tree with its public keys is what stays put
    expect(parts.own.length * 4).toBeLessThan(parts.shared!.length)
    const restored = await restoreState(joinStateParts(parts.shared, parts.own))
    expect(sharedPartDigest(restored)).toEqual(parts.digest)
  })

  it('keeps the shared record across messages: an old tree record joins a new own record', async () => {
    const { states } = await makeGroup(['asha.rao', 'bo.chen'])
    let [asha, bo] = [states[0]!, states[1]!]
    const before = splitState(bo, true)
    for (let i = 0; i < 3; i++) [asha, bo] = await exchange(asha, bo)
    const after = splitState(bo, false)
    expect(after.shared).toBeUndefined()
    expect(after.digest).toEqual(before.digest)
    expect(after.own).not.toEqual(before.own)
    expect(joinStateParts(before.shared, after.own)).toEqual(serialiseState(bo))
  })

  it('refuses an own record beside the tree record of another epoch (a torn write)', async () => {
    const { states } = await makeGroup(['asha.rao', 'bo.chen'])
    const old = splitState(states[1]!, true)
    const [, bo] = await deliverCommit(await proposeSelfUpdate(states[0]!, ctx), 0, states)
    const next = splitState(bo!, false)
    expect(next.digest).not.toEqual(old.digest)
    expect(() => joinStateParts(old.shared, next.own)).toThrow(MalformedInputError)
    expect(() => joinStateParts(old.shared, next.own)).toThrow(/another epoch/)
    expect(() => joinStateParts(undefined, next.own)).toThrow(/tree record is missing/)
  })

  it('refuses any bytes that are not a matching pair with a typed error, never anything else', () => {
    fc.assert(fc.property(fc.option(fc.uint8Array({ maxLength: 64 })), fc.uint8Array({ maxLength: 64 }), (shared, own) => {
      try {
        joinStateParts(shared ?? undefined, own)
      } catch (err) {
        expect(err).toBeInstanceOf(MalformedInputError)
      }
    }))
  })
})
