import { InvalidArgumentError } from '../errors.js'
import { Precedence as WirePrecedence } from '../wire/generated/content.js'

/**
 * A chat message's precedence, as official communication grades traffic
 * (issue 11 part 4, docs/protocol.md "Precedence"): a flash message leaves
 * the sender's outbox first and is shown and notified first on arrival;
 * immediate comes next; routine is everything else and the default.
 *
 * It travels inside the MLS-encrypted content, never on the envelope: the
 * relays and department nodes that carry a message do not learn that it is
 * urgent (docs/protocol.md says why).
 */
export type Precedence = 'flash' | 'immediate' | 'routine'

/** Highest first: the order in which an outbox sends and a device shows them. */
export const PRECEDENCES: readonly Precedence[] = ['flash', 'immediate', 'routine']

/** The content kinds that may carry a precedence: the chat messages an officer writes. */
export const PRECEDENCE_CARRIERS: ReadonlySet<string> = new Set(['text', 'directive', 'file'])

export function isPrecedence (value: unknown): value is Precedence {
  return typeof value === 'string' && (PRECEDENCES as readonly string[]).includes(value)
}

export function checkPrecedence (value: unknown): asserts value is Precedence {
  if (!isPrecedence(value)) throw new InvalidArgumentError(`precedence must be one of ${PRECEDENCES.join(', ')}`)
}

/** 0 for flash, 1 for immediate, 2 for routine: sorts highest first. */
export function precedenceRank (value: Precedence | undefined): number {
  return value === 'flash' ? 0 : value === 'immediate' ? 1 : 2
}

/** Routine is left out on the wire (proto3's zero), so it costs no byte and older messages read as routine. */
export function precedenceToWire (value: Precedence | undefined): WirePrecedence | undefined {
  return value === 'flash' ? WirePrecedence.FLASH : value === 'immediate' ? WirePrecedence.IMMEDIATE : undefined
}

/**
 * Anything but a known higher grade reads as routine: a message from a newer
 * version with a grade this one does not know is still shown, just not raised.
 */
export function precedenceFromWire (value: WirePrecedence | undefined): Precedence {
  return value === WirePrecedence.FLASH ? 'flash' : value === WirePrecedence.IMMEDIATE ? 'immediate' : 'routine'
}
