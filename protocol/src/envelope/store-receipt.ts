import { ED25519_PUBLIC_KEY_BYTES, MAX_TOPIC_BYTES } from '../constants.js'
import { decodeBounded } from '../codec.js'
import { bytesEqual, utf8 } from '../bytes.js'
import { InvalidArgumentError, InvalidSignatureError, MalformedInputError } from '../errors.js'
import { signFor, verifyFor, type SigningKeyPair } from '../identity/keys.js'
import { MESSAGE_ID_BYTES } from '../content/limits.js'
import { StoreReceipt, StoreReceiptBody } from '../wire/generated/envelope.js'

/**
 * A department node's signed promise that it durably stored one envelope at
 * one position of one topic. The sender's outbox entry is done when it holds
 * a receipt that verifies for a node it trusts and names its message id.
 */

/**
 * A receipt is a 32-byte key, a topic of at most 128 bytes, a 32-byte id, two
 * varints and a 64-byte signature, with tags: under 320 bytes. 512 leaves room.
 */
export const MAX_STORE_RECEIPT_BYTES = 512

export interface StoreReceiptFields {
  topic: string
  /** SHA-256 of the envelope bytes (messageId). */
  messageId: Uint8Array
  /** Position in the topic on that node, from 1. */
  sequence: number
  /** ms since epoch, the node's clock. */
  storedAt: number
}

export interface SignedStoreReceipt extends StoreReceiptFields {
  nodePublicKey: Uint8Array
  /** The encoded StoreReceipt: what the node sends and the sender keeps. */
  bytes: Uint8Array
}

/** Why each check: a receipt with an empty topic or id could never match an envelope and hides a bug. */
function checkFields (fields: StoreReceiptFields): void {
  if (fields.topic.length === 0 || utf8(fields.topic).length > MAX_TOPIC_BYTES) throw new InvalidArgumentError(`receipt topic must be 1-${MAX_TOPIC_BYTES} bytes`)
  if (fields.messageId.length !== MESSAGE_ID_BYTES) throw new InvalidArgumentError(`receipt message id must be ${MESSAGE_ID_BYTES} bytes`)
  if (!Number.isSafeInteger(fields.sequence) || fields.sequence < 1) throw new InvalidArgumentError('receipt sequence must be a positive integer')
  if (!Number.isSafeInteger(fields.storedAt) || fields.storedAt < 0) throw new InvalidArgumentError('receipt time must be a non-negative integer')
}

export function issueStoreReceipt (node: SigningKeyPair, fields: StoreReceiptFields): SignedStoreReceipt {
  checkFields(fields)
  const body = StoreReceiptBody.encode({ nodePublicKey: node.publicKey, ...fields })
  const bytes = StoreReceipt.encode({ body, signature: signFor('storeReceipt', node.privateKey, body) })
  return { ...fields, nodePublicKey: node.publicKey, bytes }
}

/**
 * Decode and check a receipt: size, canonical encoding, shape, and the node's
 * signature. With `expectedNodeKey`, a receipt signed by any other node (even
 * validly) is refused: a sender asked one node and must not be satisfied by
 * another's promise. Every failure is a typed DakError.
 */
export function verifyStoreReceipt (bytes: Uint8Array, expectedNodeKey?: Uint8Array): SignedStoreReceipt {
  const outer = decodeBounded(StoreReceipt, bytes, MAX_STORE_RECEIPT_BYTES, 'store receipt')
  const body = decodeBounded(StoreReceiptBody, outer.body, MAX_STORE_RECEIPT_BYTES, 'store receipt body')
  // Receipts are kept and compared as bytes by outboxes: one receipt, one byte string.
  if (!bytesEqual(StoreReceipt.encode(outer), bytes) || !bytesEqual(StoreReceiptBody.encode(body), outer.body)) {
    throw new MalformedInputError('store receipt is not canonically encoded')
  }
  if (body.nodePublicKey.length !== ED25519_PUBLIC_KEY_BYTES) throw new MalformedInputError('store receipt node key is not an Ed25519 public key')
  const { nodePublicKey, ...fields } = body
  try {
    checkFields(fields)
  } catch (err) {
    throw new MalformedInputError(`store receipt: ${(err as Error).message}`)
  }
  if (expectedNodeKey != null && !bytesEqual(nodePublicKey, expectedNodeKey)) {
    throw new InvalidSignatureError('store receipt is signed by a different node than the one asked')
  }
  verifyFor('storeReceipt', nodePublicKey, outer.body, outer.signature, 'store receipt')
  return { ...fields, nodePublicKey, bytes }
}
