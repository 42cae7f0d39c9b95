import type { MessageState } from '../messenger/api.js'
import { InvalidStateTransitionError } from './errors.js'

/**
 * The life of a message, as an ordered path per direction. Outgoing:
 * queued (on disk) → sent (published) → stored (a department node's receipt)
 * → delivered (a recipient's receipt) → read. Incoming: received → read.
 *
 * States only move forward. Receipts travel at-least-once and out of order,
 * so a state behind the current one (a store receipt after a delivery
 * receipt) is not an error: it changes nothing. Skipping ahead is allowed
 * (a delivery receipt can overtake the store receipt).
 */
export const OUTGOING_STATES = ['queued', 'sent', 'stored', 'delivered', 'read'] as const satisfies readonly MessageState[]
export const INCOMING_STATES = ['received', 'read'] as const satisfies readonly MessageState[]
export const MESSAGE_STATES: readonly MessageState[] = ['queued', 'sent', 'stored', 'delivered', 'read', 'received']

function pathOf (fromMe: boolean): readonly MessageState[] {
  return fromMe ? OUTGOING_STATES : INCOMING_STATES
}

/** Whether `state` is on the path of a message in this direction. */
export function isStateFor (fromMe: boolean, state: MessageState): boolean {
  return pathOf(fromMe).includes(state)
}

/**
 * The state after `proposed` is applied to a message now in `current`: the
 * later of the two on the message's path.
 */
export function advanceState (fromMe: boolean, current: MessageState, proposed: MessageState): MessageState {
  const path = pathOf(fromMe)
  const from = path.indexOf(current)
  const to = path.indexOf(proposed)
  const direction = fromMe ? 'an outgoing' : 'an incoming'
  if (from < 0) throw new InvalidStateTransitionError(`${direction} message cannot be in state '${current}'`)
  if (to < 0) throw new InvalidStateTransitionError(`${direction} message cannot move to state '${proposed}'`)
  return to > from ? proposed : current
}
