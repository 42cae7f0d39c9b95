import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { bytesEqual, utf8 } from '../bytes.js'
import { MAX_MLS_MESSAGE_BYTES } from '../constants.js'
import { DakError, TooLargeError } from '../errors.js'
import { proposeCommit, proposeSelfUpdate } from './commit.js'
import { frameOf } from './framing.js'
import { joinFromWelcome } from './group.js'
import { verifyKeyPackage } from './keypackages.js'
import { encryptMessage, processMessage } from './messages.js'
import { restoreState, serialiseState, type ConversationState } from './state.js'
import { ctx, makeDevice, makeGroup } from './test-fixtures.js'

/** Run `fn`; it must fail, and only with a Dak error. */
async function failsTyped (fn: () => Promise<unknown>): Promise<DakError> {
  try {
    await fn()
  } catch (err) {
    expect(err).toBeInstanceOf(DakError)
    return err as DakError
  }
  throw new Error('expected a typed failure, got success')
}

/** Valid bytes, damaged the ways links and attackers damage them. */
function mutated (valid: Uint8Array): fc.Arbitrary<Uint8Array> {
  return fc.oneof(
    // flip one bit
    fc.tuple(fc.nat({ max: valid.length - 1 }), fc.integer({ min: 0, max: 7 })).map(([i, bit]) => {
      const out = valid.slice()
      out[i] = (out[i] ?? 0) ^ (1 << bit)
      return out
    }),
    // truncate
    fc.nat({ max: valid.length - 1 }).map(n => valid.slice(0, n)),
    // append junk
    fc.uint8Array({ minLength: 1, maxLength: 16 }).map(junk => new Uint8Array([...valid, ...junk])),
    // overwrite a run of bytes
    fc.tuple(fc.nat({ max: valid.length - 1 }), fc.uint8Array({ minLength: 1, maxLength: 8 })).map(([i, run]) => {
      const out = valid.slice()
      out.set(run.subarray(0, Math.max(0, out.length - i)), i)
      return out
    })
  ).filter(out => !bytesEqual(out, valid)) // a no-op "mutation" is a valid message
}

describe('hostile bytes', () => {
  it('oversized messages are refused before decoding', async () => {
    const { states } = await makeGroup(['asha.rao'])
    const huge = new Uint8Array(MAX_MLS_MESSAGE_BYTES + 1)
    await expect(processMessage(states[0] as ConversationState, huge, ctx)).rejects.toThrow(TooLargeError)
    expect(() => frameOf(huge)).toThrow(TooLargeError)
  })

  it('random and mutated messages only ever give typed errors, and never change the state', async () => {
    const { states } = await makeGroup(['asha.rao', 'bo.chen'])
    const bo = states[1] as ConversationState
    const application = (await encryptMessage(states[0] as ConversationState, utf8('a valid message'))).messageBytes
    const commit = (await proposeSelfUpdate(states[0] as ConversationState, ctx)).commitBytes
    const before = serialiseState(bo)

    const hostile = fc.oneof(fc.uint8Array({ maxLength: 512 }), mutated(application), mutated(commit))

    await fc.assert(fc.asyncProperty(hostile, async (bytes) => {
      await failsTyped(async () => await processMessage(bo, bytes, ctx))
      expect(serialiseState(bo)).toEqual(before)
    }), { numRuns: 150 })

    // The untouched messages still work on the same state afterwards.
    const ok = await processMessage(bo, application, ctx)
    expect(ok.kind).toBe('application')
  })

  it('welcome, key package and stored-state decoders give typed errors on random and mutated bytes', async () => {
    const { devices, states } = await makeGroup(['asha.rao'])
    const joiner = await makeDevice('bo.chen')
    const bundle = await joiner.keyPackage()
    const welcome = (await proposeCommit(states[0] as ConversationState, { add: [bundle.publicBytes] }, ctx)).welcomeBytes ?? new Uint8Array()
    const keyPackage = (await devices[0]?.keyPackage())?.publicBytes ?? new Uint8Array()
    const stored = serialiseState(states[0] as ConversationState)
    const garbage = fc.uint8Array({ maxLength: 256 })
    await fc.assert(fc.asyncProperty(fc.oneof(garbage, mutated(welcome)), async (bytes) => {
      await failsTyped(async () => await joinFromWelcome(bytes, [bundle], ctx))
    }), { numRuns: 60 })
    await fc.assert(fc.asyncProperty(fc.oneof(garbage, mutated(keyPackage)), async (bytes) => {
      await failsTyped(async () => await verifyKeyPackage(bytes, ctx))
    }), { numRuns: 100 })
    await fc.assert(fc.asyncProperty(fc.oneof(garbage, mutated(stored)), async (bytes) => {
      try {
        await restoreState(bytes)
      } catch (err) {
        // Storage is not authenticated by MLS: a flipped secret byte may restore; anything else must be typed.
        expect(err).toBeInstanceOf(DakError)
      }
    }), { numRuns: 100 })
    await fc.assert(fc.asyncProperty(garbage, async (bytes) => {
      try {
        frameOf(bytes)
      } catch (err) {
        expect(err).toBeInstanceOf(DakError)
      }
    }), { numRuns: 200 })
  })
})
