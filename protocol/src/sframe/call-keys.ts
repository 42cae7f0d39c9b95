import { expand } from '@noble/hashes/hkdf.js'
import { MalformedInputError } from '../errors.js'
import { deriveKeySalt, SFrameSender, type SFrameKey } from './sframe.js'
import { AES_128_GCM_SHA256_128, type SFrameSuite } from './suites.js'

/**
 * SFrame keys for a Dak call, from the conversation's MLS exporter (RFC 9605
 * section 5.2, adapted):
 *
 *   call_secret = MLS-Exporter(CALL_EXPORTER_LABEL, call_id, CALL_SECRET_BYTES)
 *   base_key    = HKDF-Expand(call_secret, encode_big_endian(KID, 8), AEAD.Nk)
 *   KID         = (session << LEAF_BITS) | leaf_index
 *
 * `leaf_index` is the sender's MLS leaf, so every member sends under its own
 * keys; `session` is a random 31-bit number the sender picks each time it
 * joins a call, so a device that leaves and joins the same call again starts
 * a fresh key rather than reusing counters under the old one. Every member
 * of the conversation at the call's epoch can derive every sender's key (as
 * in RFC 9605 5.2: SFrame gives group, not per-sender, authentication);
 * nobody outside it can, a relay or a forwarding server included.
 */

export const CALL_EXPORTER_LABEL = 'dak call'
export const CALL_SECRET_BYTES = 32
export const CALL_ID_BYTES = 16
/** Leaf indexes below 2^16: far above MLS groups Dak makes (and a call has at most a handful of senders). */
export const LEAF_BITS = 16n
const LEAF_MASK = (1n << LEAF_BITS) - 1n
/** Session numbers: 31 bits, so a KID fits in 6 bytes of header. */
const SESSION_LIMIT = 2 ** 31

export const CALL_SFRAME_SUITE: SFrameSuite = AES_128_GCM_SHA256_128

export function callKid (leafIndex: number, session: number): bigint {
  if (!Number.isInteger(leafIndex) || leafIndex < 0 || BigInt(leafIndex) > LEAF_MASK) throw new MalformedInputError(`leaf index ${leafIndex} out of range`)
  if (!Number.isInteger(session) || session < 0 || session >= SESSION_LIMIT) throw new MalformedInputError(`session ${session} out of range`)
  return (BigInt(session) << LEAF_BITS) | BigInt(leafIndex)
}

/** The sender's leaf index that a KID names. */
export function leafOfKid (kid: bigint): number {
  return Number(kid & LEAF_MASK)
}

export function callKey (callSecret: Uint8Array, kid: bigint, suite: SFrameSuite = CALL_SFRAME_SUITE): SFrameKey {
  if (callSecret.length !== CALL_SECRET_BYTES) throw new MalformedInputError(`a call secret has ${CALL_SECRET_BYTES} bytes`)
  const kidBytes = new Uint8Array(8)
  new DataView(kidBytes.buffer).setBigUint64(0, kid)
  const baseKey = expand(suite.hash, callSecret, kidBytes, suite.nk)
  const key = deriveKeySalt(suite, kid, baseKey)
  baseKey.fill(0)
  return key
}

/** This device's sending key for a call. */
export function callSender (callSecret: Uint8Array, leafIndex: number, session: number): SFrameSender {
  return new SFrameSender(callKey(callSecret, callKid(leafIndex, session)))
}

/** Receiving keys met in one call, kept for this many key ids: bounded, whatever KIDs a peer sends. */
export const MAX_RECEIVE_KEYS = 32

/**
 * The receiving side of a call: derives a sender's key the first time its KID
 * is seen, if `accepts` allows that leaf (the transform allows only the leaf
 * of the device at the other end of its connection).
 */
export class CallKeyring {
  private readonly keys = new Map<bigint, SFrameKey>()
  constructor (private readonly callSecret: Uint8Array, private readonly accepts: (leafIndex: number) => boolean) {}

  keyFor = (kid: bigint): SFrameKey | undefined => {
    const known = this.keys.get(kid)
    if (known !== undefined) return known
    if (!this.accepts(leafOfKid(kid)) || kid >> LEAF_BITS >= BigInt(SESSION_LIMIT)) return undefined
    const key = callKey(this.callSecret, kid)
    if (this.keys.size >= MAX_RECEIVE_KEYS) {
      const oldest = this.keys.keys().next().value
      if (oldest !== undefined) this.keys.delete(oldest)
    }
    this.keys.set(kid, key)
    return key
  }
}
