import { sha256 } from '@noble/hashes/sha2.js'
import { decodeBounded } from '../codec.js'
import { bytesEqual } from '../bytes.js'
import { ED25519_PUBLIC_KEY_BYTES } from '../constants.js'
import { InvalidArgumentError, InvalidSignatureError, MalformedInputError } from '../errors.js'
import { signFor, verifyFor, type SigningKeyPair } from '../identity/keys.js'
import { MAX_GROUP_ID_BYTES } from '../mls/limits.js'
import { CommitAck, CommitAckBody } from '../wire/generated/envelope.js'

/**
 * A department sequencer's signed acknowledgement of one commit: "this is the
 * commit I accepted for epoch E of group G, at position S of its log" (and,
 * when the committer declared one, "its Welcome has this hash"). Members apply
 * a commit of a department-sequenced group only with a valid ack, and two
 * valid acks for one epoch naming different commits are a fork: proof, in the
 * node's own signatures, that it showed members different histories.
 */

/** A 32-byte key, a group id of at most 256 bytes, two hashes, two varints, a signature and tags. */
export const MAX_COMMIT_ACK_BYTES = 512

const HASH_BYTES = 32

export interface CommitAckFields {
  groupId: Uint8Array
  epoch: number
  sequence: number
  /** SHA-256 of the MLS commit bytes (commitHash()). */
  commitHash: Uint8Array
  /** SHA-256 of the MLS Welcome the commit makes, or empty. */
  welcomeHash: Uint8Array
}

export interface SignedCommitAck extends CommitAckFields {
  nodePublicKey: Uint8Array
  bytes: Uint8Array
}

/** What an ack names a commit or Welcome by. */
export function mlsHash (mlsBytes: Uint8Array): Uint8Array {
  return sha256(mlsBytes)
}

function checkFields (fields: CommitAckFields): void {
  if (fields.groupId.length === 0 || fields.groupId.length > MAX_GROUP_ID_BYTES) throw new InvalidArgumentError(`ack group id must be 1-${MAX_GROUP_ID_BYTES} bytes`)
  if (!Number.isSafeInteger(fields.epoch) || fields.epoch < 0) throw new InvalidArgumentError('ack epoch must be a non-negative integer')
  if (!Number.isSafeInteger(fields.sequence) || fields.sequence < 1) throw new InvalidArgumentError('ack sequence must be a positive integer')
  if (fields.commitHash.length !== HASH_BYTES) throw new InvalidArgumentError(`ack commit hash must be ${HASH_BYTES} bytes`)
  if (fields.welcomeHash.length !== 0 && fields.welcomeHash.length !== HASH_BYTES) throw new InvalidArgumentError(`ack Welcome hash must be empty or ${HASH_BYTES} bytes`)
}

export function issueCommitAck (node: SigningKeyPair, fields: CommitAckFields): SignedCommitAck {
  checkFields(fields)
  const body = CommitAckBody.encode({ nodePublicKey: node.publicKey, ...fields })
  const bytes = CommitAck.encode({ body, signature: signFor('commitAck', node.privateKey, body) })
  return { ...fields, nodePublicKey: node.publicKey, bytes }
}

/**
 * Decode and check an ack: size, canonical encoding, shape, and that
 * `expectedNodeKey` (the group's sequencer, from its policy) signed it. An ack
 * by any other key, however valid, is refused: only the group's sequencer orders it.
 */
export function openCommitAck (bytes: Uint8Array, expectedNodeKey: Uint8Array): SignedCommitAck {
  const outer = decodeBounded(CommitAck, bytes, MAX_COMMIT_ACK_BYTES, 'commit ack')
  const body = decodeBounded(CommitAckBody, outer.body, MAX_COMMIT_ACK_BYTES, 'commit ack body')
  if (!bytesEqual(CommitAck.encode(outer), bytes) || !bytesEqual(CommitAckBody.encode(body), outer.body)) {
    throw new MalformedInputError('commit ack is not canonically encoded')
  }
  if (body.nodePublicKey.length !== ED25519_PUBLIC_KEY_BYTES) throw new MalformedInputError('commit ack node key is not an Ed25519 public key')
  const { nodePublicKey, ...fields } = body
  try {
    checkFields(fields)
  } catch (err) {
    throw new MalformedInputError(`commit ack: ${(err as Error).message}`)
  }
  if (!bytesEqual(nodePublicKey, expectedNodeKey)) throw new InvalidSignatureError('commit ack is signed by another node than the group\'s sequencer')
  verifyFor('commitAck', nodePublicKey, outer.body, outer.signature, 'commit ack')
  return { ...fields, nodePublicKey, bytes }
}
