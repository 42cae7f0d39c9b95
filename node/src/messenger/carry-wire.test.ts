import { MalformedInputError } from '@dak/protocol'
import { describe, expect, it } from 'vitest'
import { CARRY_MAX_ANSWER_BYTES, decodeCarryAnswer, decodeCarryRequest, encodeCarryAnswer, encodeCarryRequest, MAX_HAVE } from './carry-wire.js'

describe('the carry wire', () => {
  it('round-trips a request and an answer', () => {
    const have = [new Uint8Array(32).fill(1), new Uint8Array(32).fill(2)]
    const request = decodeCarryRequest(encodeCarryRequest({ topic: 'dak/c/00ff', have }))
    expect(request.topic).toBe('dak/c/00ff')
    expect(request.have).toEqual(have.map(h => h.slice(0, 8)))
    const answer = decodeCarryAnswer(encodeCarryAnswer({ envelopes: [new Uint8Array([1, 2, 3]), new Uint8Array([4])], more: true }))
    expect(answer).toEqual({ envelopes: [new Uint8Array([1, 2, 3]), new Uint8Array([4])], more: true })
  })

  it('refuses malformed bytes with a typed error, never allocating past the bounds', () => {
    const good = encodeCarryRequest({ topic: 'dak/c/00ff', have: [new Uint8Array(8)] })
    const bad: Uint8Array[] = [
      new Uint8Array(0), new Uint8Array([2, 1, 0x61, 0, 0]), // empty, unknown version
      good.slice(0, -1), new Uint8Array([...good, 0]), // an id cut short, a byte too many
      new Uint8Array([1, 0, 0, 0]), // empty topic
      new Uint8Array(4 + 128 + (MAX_HAVE + 1) * 8) // over the size bound
    ]
    for (const bytes of bad) expect(() => decodeCarryRequest(bytes)).toThrow(MalformedInputError)
    const answer = encodeCarryAnswer({ envelopes: [new Uint8Array([1, 2, 3])], more: false })
    const badAnswers: Uint8Array[] = [
      new Uint8Array(2), answer.slice(0, -1), new Uint8Array([...answer, 7]),
      new Uint8Array([0xff, 0xff, 0]), // more envelopes than an answer may hold
      new Uint8Array([0, 1, 2, 0, 0, 0, 0]), // flag not 0|1, zero-length envelope
      new Uint8Array([0, 1, 0, 0xff, 0xff, 0xff, 0xff]), // an envelope longer than the answer
      new Uint8Array(CARRY_MAX_ANSWER_BYTES + 1)
    ]
    for (const bytes of badAnswers) expect(() => decodeCarryAnswer(bytes)).toThrow(MalformedInputError)
  })
})
