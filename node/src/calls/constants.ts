/** Call signalling between devices (docs/calls.md). */

export const CALL_SIGNAL_PROTOCOL = '/dak/call-signal/1.0.0'

/**
 * Signals per peer: a call is a handful (ring, join, offer, answer, leave per
 * pair); 20 at once and 2 a second after that leave room for a few calls in a
 * row and stop a member from ringing this device in a loop.
 */
export const CALL_SIGNAL_RATE = {
  perPeer: { capacity: 20, refillPerSecond: 2 },
  global: { capacity: 200, refillPerSecond: 20 }
}

/** Opening a stream and getting the answer: through the relay on a slow link a round trip or two. */
export const CALL_SIGNAL_TIMEOUT_MS = 10_000
