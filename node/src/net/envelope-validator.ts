import { FutureTimestampError, openEnvelope, type OpenedEnvelope } from '@dak/protocol'
import { TopicValidatorResult, type TopicValidatorFn } from '@libp2p/gossipsub'
import type { PeerId } from '@libp2p/interface'

/**
 * Validation at the door for gossip: nothing is delivered to the app, cached
 * or forwarded unless it is a well-formed envelope, signed by a device that
 * holds a valid certificate, for the topic it arrived on, from a verified peer.
 */

export interface EnvelopeValidatorInit {
  /** ms since epoch; injected so tests and replays are deterministic. */
  now: () => number
  /** True when `deviceKey` (Ed25519) belongs to a certified, unrevoked device we accept messages from. */
  isKnownDevice: (deviceKey: Uint8Array) => boolean
  /** The certificate gate: whoever handed us the message must have passed it (PeerDirectory.isVerified). */
  isVerifiedPeer: (peer: PeerId) => boolean
  /**
   * True for an envelope id we already hold. Gossipsub's own seen-cache
   * forgets after two minutes; this catches replays older than that.
   */
  isDuplicate?: (id: Uint8Array) => boolean
  /** Told about every verdict, for metrics and tests. Must not throw (if it does, it is ignored). */
  onVerdict?: (verdict: EnvelopeVerdict) => void
}

export interface EnvelopeVerdict {
  result: TopicValidatorResult
  /** The peer that forwarded the message (not necessarily its author). */
  from: PeerId
  topic: string
  /** Set when the envelope opened. */
  envelope?: OpenedEnvelope
  /** Why it was not accepted: a typed error name or a short reason. */
  reason?: string
}

/**
 * Reject (the forwarder is penalised by gossipsub's score) for bad input:
 * malformed, bad signature, wrong topic, unknown or revoked sender, forwarder
 * not verified. Ignore (no penalty) where the forwarder may be honest: a
 * timestamp ahead of *our* clock, a duplicate, or a failure of our own
 * callbacks. Never throws.
 */
export function envelopeValidator (init: EnvelopeValidatorInit): TopicValidatorFn {
  const verdict = (v: EnvelopeVerdict): TopicValidatorResult => {
    try {
      init.onVerdict?.(v)
    } catch {
      // a broken observer must not change the verdict
    }
    return v.result
  }

  return (from, message) => {
    const topic = message.topic
    // the forwarder, not the author: an unverified peer's relay is as unwelcome as its own words
    const verified = safe(() => init.isVerifiedPeer(from), undefined)
    if (verified === undefined) return verdict({ result: TopicValidatorResult.Ignore, from, topic, reason: 'isVerifiedPeer failed' })
    if (!verified) return verdict({ result: TopicValidatorResult.Reject, from, topic, reason: 'PeerNotVerifiedError' })
    let envelope: OpenedEnvelope
    try {
      envelope = openEnvelope(message.data, init.now())
    } catch (err) {
      const name = err instanceof Error ? err.name : 'MalformedInputError'
      // our clock may be the one that is wrong
      const result = err instanceof FutureTimestampError ? TopicValidatorResult.Ignore : TopicValidatorResult.Reject
      return verdict({ result, from, topic, reason: name })
    }
    // an envelope copied onto another conversation's topic would reach the wrong members
    if (envelope.topic !== topic) {
      return verdict({ result: TopicValidatorResult.Reject, from, topic, envelope, reason: 'topic mismatch' })
    }
    const known = safe(() => init.isKnownDevice(envelope.sender), undefined)
    if (known === undefined) return verdict({ result: TopicValidatorResult.Ignore, from, topic, envelope, reason: 'isKnownDevice failed' })
    if (!known) return verdict({ result: TopicValidatorResult.Reject, from, topic, envelope, reason: 'unknown sender' })
    const duplicate = safe(() => init.isDuplicate?.(envelope.id) ?? false, undefined)
    if (duplicate !== false) return verdict({ result: TopicValidatorResult.Ignore, from, topic, envelope, reason: duplicate === true ? 'duplicate' : 'isDuplicate failed' })
    return verdict({ result: TopicValidatorResult.Accept, from, topic, envelope })
  }
}

/** Our own callbacks must not make a validator throw: gossipsub would treat that as Ignore silently. */
function safe<T, F> (fn: () => T, fallback: F): T | F {
  try {
    return fn()
  } catch {
    return fallback
  }
}
