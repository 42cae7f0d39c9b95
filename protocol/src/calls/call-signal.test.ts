import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { DakError, MalformedInputError, TooLargeError } from '../errors.js'
import { CallSignal as Wire } from '../wire/generated/call.js'
import { CALL_MAX_PARTICIPANTS, decodeCallSignal, encodeCallSignal, MAX_CALL_SDP_CHARS, type CallSignal } from './call-signal.js'

const base: CallSignal = { type: 'ring', conversationId: 'c1', callId: new Uint8Array(16).fill(7), epoch: '12', video: true, joined: [new Uint8Array(32).fill(1)] }

describe('call signals', () => {
  it('round-trips each type', () => {
    const signals: CallSignal[] = [
      base,
      { ...base, type: 'join', joined: undefined },
      { type: 'decline', conversationId: 'c1', callId: base.callId, epoch: '0', video: false, reason: 'busy' },
      { type: 'offer', conversationId: 'c1', callId: base.callId, epoch: '3', video: true, sdp: 'v=0\r\n' },
      { type: 'answer', conversationId: 'c1', callId: base.callId, epoch: '3', video: false, sdp: 'v=0\r\n' },
      { type: 'leave', conversationId: 'c1', callId: base.callId, epoch: '3', video: false }
    ]
    for (const signal of signals) {
      const { joined, ...rest } = signal
      expect(decodeCallSignal(encodeCallSignal(signal))).toEqual({ ...rest, ...(signal.type === 'ring' ? { joined } : {}) })
    }
  })

  it('refuses bad fields with a typed error', () => {
    expect(() => encodeCallSignal({ ...base, callId: new Uint8Array(15) })).toThrow(MalformedInputError)
    expect(() => encodeCallSignal({ ...base, epoch: '01' })).toThrow(MalformedInputError)
    expect(() => encodeCallSignal({ ...base, conversationId: '' })).toThrow(MalformedInputError)
    expect(() => encodeCallSignal({ ...base, type: 'offer', sdp: 'x'.repeat(MAX_CALL_SDP_CHARS + 1) })).toThrow(MalformedInputError)
    expect(() => encodeCallSignal({ ...base, type: 'decline', reason: 'why' as never })).toThrow(MalformedInputError)
    const many = Wire.encode({ type: Wire.Type.RING, conversationId: 'c', callId: base.callId, epoch: '1', video: false, sdp: '', reason: '', joined: Array.from({ length: CALL_MAX_PARTICIPANTS + 1 }, () => new Uint8Array(32)) })
    expect(() => decodeCallSignal(many)).toThrow(MalformedInputError)
    expect(() => decodeCallSignal(new Uint8Array(MAX_CALL_SDP_CHARS + 2048))).toThrow(TooLargeError)
  })

  it('answers random and mutated bytes with a typed error or a valid signal, never anything else', () => {
    const good = encodeCallSignal(base)
    fc.assert(fc.property(fc.oneof(fc.uint8Array({ maxLength: 200 }), fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })).map(([at, flip]) => {
      const bent = good.slice()
      bent[at % bent.length]! ^= flip
      return bent
    })), (bytes) => {
      try {
        const signal = decodeCallSignal(bytes)
        expect(signal.callId.length).toBe(16)
      } catch (err) {
        expect(err).toBeInstanceOf(DakError)
      }
    }), { numRuns: 2000 })
  })
})
