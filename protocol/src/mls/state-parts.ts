import { sha256 } from '@noble/hashes/sha2.js'
import { clientStateEncoder, encode, groupStateEncoder } from 'ts-mls'
import { bytesEqual, concatBytes } from '../bytes.js'
import { MalformedInputError } from '../errors.js'
import { SPLIT_STATE_FORMAT, STATE_FLAG_SEALED, STATE_FORMAT_VERSION, type ConversationState } from './state.js'

export { SPLIT_STATE_FORMAT }

/**
 * A group state stored as two records (issue 13, part 3). The shared part —
 * group context and ratchet tree, most of the bytes with X-Wing keys —
 * changes only when a commit lands; the own part — key schedule, secret tree,
 * private path, a small part — changes with every message sent or read. Writing the
 * shared part only when it changed cuts what each received text writes from
 * the whole state to the own part (docs/storage.md, "Group states").
 *
 * ts-mls encodes a ClientState as its public part followed by its private
 * part, and exports the private part's encoder (groupStateEncoder) but not the
 * public one's: the shared bytes are the prefix of the whole encoding, and the
 * whole is restored by decoding shared ‖ own (restoreState, unchanged).
 *
 * Both records carry a digest of the shared part's identity (epoch, tree hash,
 * confirmed transcript hash): an own record beside a shared record of another
 * epoch or fork line — a torn write, a record restored from an old backup — is
 * refused rather than decoded into a state that mixes two epochs.
 */

const DIGEST_BYTES = 16

export interface StateParts {
  /** Identifies the shared part: equal digests, equal group context and tree. */
  digest: Uint8Array
  own: Uint8Array
  /** Only when asked for: the caller writes it when the digest differs from the stored one. */
  shared?: Uint8Array
}

/** The identity of a state's shared part: epoch, tree hash and confirmed transcript hash. */
export function sharedPartDigest (state: ConversationState): Uint8Array {
  const context = state.mls.groupContext
  const epoch = new Uint8Array(8)
  new DataView(epoch.buffer).setBigUint64(0, context.epoch)
  return sha256(concatBytes(epoch, context.treeHash, context.confirmedTranscriptHash)).subarray(0, DIGEST_BYTES)
}

/** The own record, and the shared one when `withShared`. */
export function splitState (state: ConversationState, withShared: boolean): StateParts {
  const digest = sharedPartDigest(state)
  const privateBytes = encode(groupStateEncoder, state.mls)
  const own = concatBytes(new Uint8Array([SPLIT_STATE_FORMAT, state.sealed ? STATE_FLAG_SEALED : 0]), digest, privateBytes)
  if (!withShared) return { digest, own }
  const whole = encode(clientStateEncoder, state.mls)
  const publicBytes = whole.subarray(0, whole.length - privateBytes.length)
  // the encoding is public ‖ private: if a ts-mls upgrade changes that, fail here, not on restore
  if (!bytesEqual(whole.subarray(publicBytes.length), privateBytes)) throw new Error('ts-mls no longer encodes a client state as public ‖ private: state-parts.ts needs updating')
  return { digest, own, shared: concatBytes(new Uint8Array([SPLIT_STATE_FORMAT]), digest, publicBytes) }
}

/** Whether stored own-record bytes are split (and need their shared record) or a whole state. */
export function isSplitState (own: Uint8Array): boolean {
  return own[0] === SPLIT_STATE_FORMAT
}

/** The whole stored state (serialiseState's format) from the two records; checks that they belong together. */
export function joinStateParts (shared: Uint8Array | undefined, own: Uint8Array): Uint8Array {
  if (own.length < 2 + DIGEST_BYTES || own[0] !== SPLIT_STATE_FORMAT) throw new MalformedInputError('stored group state: not a split own record')
  if (shared == null) throw new MalformedInputError('stored group state: its tree record is missing')
  if (shared.length < 1 + DIGEST_BYTES || shared[0] !== SPLIT_STATE_FORMAT) throw new MalformedInputError('stored group state: not a split tree record')
  if (!bytesEqual(own.subarray(2, 2 + DIGEST_BYTES), shared.subarray(1, 1 + DIGEST_BYTES))) {
    throw new MalformedInputError('stored group state: its tree record is of another epoch (a torn write or a restored backup)')
  }
  return concatBytes(new Uint8Array([STATE_FORMAT_VERSION, own[1] ?? 0]), shared.subarray(1 + DIGEST_BYTES), own.subarray(2 + DIGEST_BYTES))
}
