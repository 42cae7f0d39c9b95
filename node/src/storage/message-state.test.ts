import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { MessageState } from '../messenger/api.js'
import { InvalidStateTransitionError } from './errors.js'
import { INCOMING_STATES, MESSAGE_STATES, OUTGOING_STATES, advanceState, isStateFor } from './message-state.js'

const direction = fc.boolean()
const anyState = fc.constantFrom(...MESSAGE_STATES)

function path (fromMe: boolean): readonly MessageState[] {
  return fromMe ? OUTGOING_STATES : INCOMING_STATES
}

describe('message state machine', () => {
  it('never moves backwards, and ends at the furthest state applied', () => {
    fc.assert(fc.property(direction, fc.array(anyState, { maxLength: 30 }), (fromMe, proposals) => {
      const states = path(fromMe)
      let current = states[0] as MessageState
      let furthest = 0
      for (const proposed of proposals) {
        if (!isStateFor(fromMe, proposed)) {
          expect(() => advanceState(fromMe, current, proposed)).toThrow(InvalidStateTransitionError)
          continue
        }
        const next = advanceState(fromMe, current, proposed)
        expect(states.indexOf(next)).toBeGreaterThanOrEqual(states.indexOf(current))
        furthest = Math.max(furthest, states.indexOf(proposed))
        current = next
      }
      expect(current).toBe(states[furthest])
    }))
  })

  it('gives the same result whatever order the same receipts arrive in', () => {
    const receipts = fc.tuple(direction, fc.array(fc.nat(4), { minLength: 1, maxLength: 10 }))
      .chain(([fromMe, picks]) => {
        const proposals = picks.map(i => path(fromMe)[i % path(fromMe).length] as MessageState)
        return fc.tuple(fc.constant(fromMe), fc.constant(proposals), fc.shuffledSubarray(proposals, { minLength: proposals.length, maxLength: proposals.length }))
      })
    fc.assert(fc.property(receipts, ([fromMe, inOrder, shuffled]) => {
      const start = path(fromMe)[0] as MessageState
      const apply = (list: MessageState[]): MessageState => list.reduce((s, p) => advanceState(fromMe, s, p), start)
      expect(apply(shuffled)).toBe(apply(inOrder))
    }))
  })

  it('refuses a current state that does not belong to the direction', () => {
    expect(() => advanceState(false, 'sent', 'read')).toThrow(InvalidStateTransitionError)
    expect(() => advanceState(true, 'received', 'read')).toThrow(InvalidStateTransitionError)
  })

  it('lets receipts skip states: delivered may arrive before stored', () => {
    expect(advanceState(true, 'sent', 'delivered')).toBe('delivered')
    expect(advanceState(true, 'delivered', 'stored')).toBe('delivered')
    expect(advanceState(false, 'received', 'read')).toBe('read')
  })
})
