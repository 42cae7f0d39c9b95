import { sha256 } from '@noble/hashes/sha2.js'
import { FORMAT_VERSION, MAX_CLOCK_SKEW_MS, MAX_ENVELOPE_BYTES, MAX_TOPIC_BYTES, ED25519_PUBLIC_KEY_BYTES } from '../constants.js'
import { decodeBounded } from '../codec.js'
import { bytesEqual, utf8 } from '../bytes.js'
import { FutureTimestampError, InvalidArgumentError, MalformedInputError } from '../errors.js'
import { signFor, verifyFor, type SigningKeyPair } from '../identity/keys.js'
import { Envelope, EnvelopeBody, EnvelopeKind } from '../wire/generated/envelope.js'

export { EnvelopeKind }

/** What a sender puts in an envelope. */
export interface EnvelopeFields {
  kind: EnvelopeKind
  topic: string
  timestamp: number
  senderSeq: number
  payload: Uint8Array
  /**
   * The group's sequencer's encoded CommitAck (COMMIT and WELCOME of a
   * department-sequenced group). Signed into the body by the sender; a
   * receiver checks it itself (openCommitAck), it is the node's statement.
   */
  sequencerAck?: Uint8Array
  /**
   * Disappearing messages: when every copy is to be deleted (ms since epoch,
   * after `timestamp`, at most MAX_ENVELOPE_LIFETIME_MS later). The
   * department node deletes the envelope then and serves it no more; members
   * delete the message. Absent: kept as long as the store's retention allows.
   */
  expiresAt?: number
}

/** The longest timer a sender may put on an envelope: a year (a longer one is no timer, and would be a way to pin an envelope past a shorter policy). */
export const MAX_ENVELOPE_LIFETIME_MS = 366 * 86_400_000

/** An envelope whose signature and shape have been checked (not its sender's certificate). */
export interface OpenedEnvelope extends EnvelopeFields {
  /** SHA-256 of `bytes`: the message id used for dedupe, receipts and store keys. */
  id: Uint8Array
  /** Ed25519 device public key of the sender. */
  sender: Uint8Array
  /** The exact bytes that were signed and sent, canonical encoding. */
  bytes: Uint8Array
}

export function messageId (envelopeBytes: Uint8Array): Uint8Array {
  return sha256(envelopeBytes)
}

function checkFields (fields: EnvelopeFields): void {
  if (fields.kind === EnvelopeKind.ENVELOPE_KIND_UNSPECIFIED || !Object.values(EnvelopeKind).includes(fields.kind)) throw new InvalidArgumentError('envelope kind is not set')
  if (fields.topic.length === 0 || utf8(fields.topic).length > MAX_TOPIC_BYTES) throw new InvalidArgumentError(`envelope topic must be 1-${MAX_TOPIC_BYTES} bytes`)
  if (!Number.isSafeInteger(fields.timestamp) || fields.timestamp < 0) throw new InvalidArgumentError('envelope timestamp must be a non-negative integer')
  if (!Number.isSafeInteger(fields.senderSeq) || fields.senderSeq < 0) throw new InvalidArgumentError('envelope sender sequence must be a non-negative integer')
  if (fields.payload.length === 0) throw new InvalidArgumentError('envelope payload is empty')
  if (fields.sequencerAck != null && fields.sequencerAck.length > MAX_SEQUENCER_ACK_BYTES) throw new InvalidArgumentError(`sequencer ack is over ${MAX_SEQUENCER_ACK_BYTES} bytes`)
  if (fields.expiresAt != null && (!Number.isSafeInteger(fields.expiresAt) || fields.expiresAt <= fields.timestamp || fields.expiresAt > fields.timestamp + MAX_ENVELOPE_LIFETIME_MS)) {
    throw new InvalidArgumentError('envelope expiry must come after its timestamp, within a year')
  }
}

/** An ack is two keys' worth of hashes, a group id of at most 256 bytes, two varints and a signature. */
const MAX_SEQUENCER_ACK_BYTES = 1024

/** Sign and encode an envelope. The result is at most MAX_ENVELOPE_BYTES or this throws. */
export function sealEnvelope (device: SigningKeyPair, fields: EnvelopeFields): OpenedEnvelope {
  checkFields(fields)
  const body = EnvelopeBody.encode({ version: FORMAT_VERSION, ...fields, sender: device.publicKey })
  const bytes = Envelope.encode({ body, signature: signFor('envelope', device.privateKey, body) })
  if (bytes.length > MAX_ENVELOPE_BYTES) throw new InvalidArgumentError(`envelope of ${bytes.length} bytes is over the limit of ${MAX_ENVELOPE_BYTES}`)
  return { ...fields, sender: device.publicKey, id: messageId(bytes), bytes }
}

/**
 * Check an envelope at the door: size, canonical encoding, shape, the sender's
 * signature, and a timestamp not far in the future. Whether the sender holds a
 * valid certificate is the caller's next question (it needs the directory).
 *
 * Canonical encoding matters: the id is a hash of the bytes, so a re-encoded
 * copy of the same envelope (non-minimal varints, reordered fields) would get a
 * new id and slip past dedupe. Only the bytes the encoder itself produces pass.
 */
export function openEnvelope (bytes: Uint8Array, now: number): OpenedEnvelope {
  const outer = decodeBounded(Envelope, bytes, MAX_ENVELOPE_BYTES, 'envelope')
  const body = decodeBounded(EnvelopeBody, outer.body, MAX_ENVELOPE_BYTES, 'envelope body')
  if (!bytesEqual(Envelope.encode(outer), bytes) || !bytesEqual(EnvelopeBody.encode(body), outer.body)) {
    throw new MalformedInputError('envelope is not canonically encoded')
  }
  if (body.version !== FORMAT_VERSION) throw new MalformedInputError(`envelope version ${body.version} is not supported`)
  if (body.sender.length !== ED25519_PUBLIC_KEY_BYTES) throw new MalformedInputError('envelope sender is not an Ed25519 public key')
  const fields: EnvelopeFields = {
    kind: body.kind, topic: body.topic, timestamp: body.timestamp, senderSeq: body.senderSeq, payload: body.payload,
    ...(body.sequencerAck.length > 0 ? { sequencerAck: body.sequencerAck } : {}),
    ...(body.expiresAt > 0 ? { expiresAt: body.expiresAt } : {})
  }
  try {
    checkFields(fields)
  } catch (err) {
    throw new MalformedInputError(`envelope: ${(err as Error).message}`)
  }
  verifyFor('envelope', body.sender, outer.body, outer.signature, 'envelope')
  if (body.timestamp > now + MAX_CLOCK_SKEW_MS) {
    throw new FutureTimestampError(`envelope timestamp is ${Math.round((body.timestamp - now) / 1000)} s ahead of this clock`)
  }
  return { ...fields, sender: body.sender, id: messageId(bytes), bytes }
}
