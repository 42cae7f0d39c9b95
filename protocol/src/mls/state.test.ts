import { clientStateDecoder, clientStateEncoder, encode } from 'ts-mls'
import { describe, expect, it } from 'vitest'
import { fromUtf8, utf8 } from '../bytes.js'
import { CLASSICAL_CIPHER_SUITE, DEFAULT_CIPHER_SUITE } from '../constants.js'
import { MalformedInputError } from '../errors.js'
import { proposeSelfUpdate } from './commit.js'
import { encryptMessage, processMessage } from './messages.js'
import { members, restoreState, serialiseState, type ConversationState } from './state.js'
import { ctx, deliverCommit, makeGroup } from './test-fixtures.js'

function at (states: ConversationState[], i: number): ConversationState {
  const state = states[i]
  if (state == null) throw new Error(`no state ${i}`)
  return state
}

describe.each([DEFAULT_CIPHER_SUITE, CLASSICAL_CIPHER_SUITE] as const)('stored state (%s)', (suite) => {
  it('survives serialise/restore: messages and commits continue', async () => {
    const { states } = await makeGroup(['asha.rao', 'bo.chen', 'cy.diaz'], suite)
    // Bo reads one message before the restart, so the restored secret tree is mid-ratchet.
    const before = await encryptMessage(at(states, 0), utf8('before restart'))
    const bo = await processMessage(at(states, 1), before.messageBytes, ctx)
    let restored = await Promise.all([before.state, bo.state, at(states, 2)].map(async s => await restoreState(serialiseState(s))))
    expect(members(at(restored, 1)).map(c => c.handle)).toEqual(['asha.rao', 'bo.chen', 'cy.diaz'])
    expect(at(restored, 1).suite).toBe(at(states, 1).suite)
    // The message already read stays read; Cy, who never read it, still can.
    await expect(processMessage(at(restored, 1), before.messageBytes, ctx)).rejects.toThrow(expect.objectContaining({ name: 'DuplicateMessageError' }))
    const cy = await processMessage(at(restored, 2), before.messageBytes, ctx)
    expect(cy.kind === 'application' && fromUtf8(cy.plaintext)).toBe('before restart')

    const pending = await proposeSelfUpdate(at(restored, 1), ctx)
    restored = await deliverCommit(pending, 1, restored)
    const after = await encryptMessage(at(restored, 2), utf8('after restart'))
    const got = await processMessage(at(restored, 0), after.messageBytes, ctx)
    expect(got.kind === 'application' && got.sender.handle).toBe('cy.diaz')
  })
})

describe('restoreState', () => {
  it('refuses a state whose private signature key is not its own leaf\'s', async () => {
    const { states } = await makeGroup(['asha.rao', 'bo.chen'])
    const asha = at(states, 0).mls
    const swapped = encode(clientStateEncoder, { ...asha, signaturePrivateKey: at(states, 1).mls.signaturePrivateKey })
    await expect(restoreState(new Uint8Array([1, 0, ...swapped]))).rejects.toThrow(/does not match own leaf/)
    await expect(restoreState(new Uint8Array([3, 0, ...swapped]))).rejects.toThrow(/format 3/)
    expect((await restoreState(serialiseState(at(states, 0)))).mls.groupContext.epoch).toBe(1n)
  })

  it('refuses trailing bytes and truncation', async () => {
    const { states } = await makeGroup(['asha.rao'])
    const bytes = serialiseState(at(states, 0))
    await expect(restoreState(new Uint8Array([...bytes, 0]))).rejects.toThrow(MalformedInputError)
    await expect(restoreState(bytes.subarray(0, bytes.length - 5))).rejects.toThrow(MalformedInputError)
    expect(clientStateDecoder(bytes.subarray(2), 0)?.[1]).toBe(bytes.length - 2)
  })
})

describe('restoreState and the bytes it was given', () => {
  it('restoring the same stored bytes twice gives two usable states (processing never writes into the input)', async () => {
    const { states } = await makeGroup(['ada.one', 'bo.two'])
    const [alice, bob] = states as [ConversationState, ConversationState]
    const stored = serialiseState(bob)
    const sent = await encryptMessage(alice, utf8('first'))
    const first = await restoreState(stored)
    await processMessage(first, sent.messageBytes, ctx)
    const second = await restoreState(stored)
    const again = await processMessage(second, sent.messageBytes, ctx)
    expect(again.kind).toBe('application')
  })
})
