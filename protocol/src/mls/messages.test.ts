import { describe, expect, it } from 'vitest'
import { fromUtf8, utf8 } from '../bytes.js'
import { DuplicateMessageError, EpochTooOldError, FutureEpochError } from '../errors.js'
import { proposeSelfUpdate } from './commit.js'
import { encryptMessage, processMessage } from './messages.js'
import { serialiseState, type ConversationState } from './state.js'
import { ctx, deliverCommit, makeContext, makeGroup } from './test-fixtures.js'

function at (states: ConversationState[], i: number): ConversationState {
  const state = states[i]
  if (state == null) throw new Error(`no state ${i}`)
  return state
}

async function sendMany (state: ConversationState, texts: string[]): Promise<{ state: ConversationState, messages: Uint8Array[] }> {
  const messages: Uint8Array[] = []
  for (const text of texts) {
    const sent = await encryptMessage(state, utf8(text))
    state = sent.state
    messages.push(sent.messageBytes)
  }
  return { state, messages }
}

async function read (state: ConversationState, bytes: Uint8Array, context = ctx): Promise<{ text: string, state: ConversationState }> {
  const got = await processMessage(state, bytes, context)
  if (got.kind !== 'application') throw new Error('expected application data')
  return { text: fromUtf8(got.plaintext), state: got.state }
}

describe('application messages within an epoch', () => {
  it('decrypt in any delivery order', async () => {
    const { states } = await makeGroup(['asha.rao', 'bo.chen'])
    const texts = ['m0', 'm1', 'm2', 'm3', 'm4']
    const { messages } = await sendMany(at(states, 0), texts)
    let bo = at(states, 1)
    const got: string[] = []
    for (const i of [3, 0, 4, 1, 2]) {
      const r = await read(bo, messages[i] as Uint8Array)
      got.push(r.text)
      bo = r.state
    }
    expect(got).toEqual(['m3', 'm0', 'm4', 'm1', 'm2'])
  })

  it('recognise a duplicate ciphertext, leaving the state unchanged', async () => {
    const { states } = await makeGroup(['asha.rao', 'bo.chen'])
    const { messages } = await sendMany(at(states, 0), ['once', 'twice'])
    const first = await read(at(states, 1), messages[0] as Uint8Array)
    const before = serialiseState(first.state)
    await expect(processMessage(first.state, messages[0] as Uint8Array, ctx)).rejects.toThrow(DuplicateMessageError)
    expect(serialiseState(first.state)).toEqual(before)
    // ...and the state goes on working.
    expect((await read(first.state, messages[1] as Uint8Array)).text).toBe('twice')
  })
})

describe('epochs', () => {
  it('a message for a future epoch gives FutureEpochError, and decrypts once the commit is in', async () => {
    const { states } = await makeGroup(['asha.rao', 'bo.chen'])
    const pending = await proposeSelfUpdate(at(states, 0), ctx)
    const asha = (await deliverCommit(pending, 0, [at(states, 0)]))[0] as ConversationState
    const sent = await encryptMessage(asha, utf8('from epoch 2'))
    const before = serialiseState(at(states, 1))
    await expect(processMessage(at(states, 1), sent.messageBytes, ctx)).rejects.toThrow(FutureEpochError)
    expect(serialiseState(at(states, 1))).toEqual(before)
    const commit = await processMessage(at(states, 1), pending.commitBytes, ctx)
    expect((await read(commit.state, sent.messageBytes)).text).toBe('from epoch 2')
  })

  it('a message from an older epoch decrypts inside the window and gives EpochTooOldError beyond it', async () => {
    const retention = { retainKeysForEpochs: 2, retainKeysForGenerations: 10, maximumForwardRatchetSteps: 10 }
    const context = makeContext({ retention })
    const { states } = await makeGroup(['asha.rao', 'bo.chen'])
    // Bo writes in epoch 1 while Asha's commits move the group on.
    const { messages } = await sendMany(at(states, 1), ['late 1', 'late 2'])
    let group = states
    for (let i = 0; i < 3; i++) {
      const pending = await proposeSelfUpdate(at(group, 0), context)
      group = await deliverCommit(pending, 0, group)
      if (i === 0) {
        const r = await read(at(group, 0), messages[0] as Uint8Array, context)
        expect(r.text).toBe('late 1')
        group = [r.state, at(group, 1)]
      }
    }
    await expect(processMessage(at(group, 0), messages[1] as Uint8Array, context)).rejects.toThrow(EpochTooOldError)
  })

  it('refuses a sender that jumps further ahead than maximumForwardRatchetSteps', async () => {
    const context = makeContext({ retention: { retainKeysForEpochs: 2, retainKeysForGenerations: 10, maximumForwardRatchetSteps: 3 } })
    const { states } = await makeGroup(['asha.rao', 'bo.chen'])
    const { messages } = await sendMany(at(states, 0), ['0', '1', '2', '3', '4', '5'])
    await expect(processMessage(at(states, 1), messages[5] as Uint8Array, context)).rejects.toThrow(expect.objectContaining({ name: 'MlsError' }))
    expect((await read(at(states, 1), messages[3] as Uint8Array, context)).text).toBe('3')
  })
})
