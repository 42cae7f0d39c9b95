import { ED25519_PUBLIC_KEY_BYTES, FORMAT_VERSION, MAX_CLOCK_SKEW_MS, MAX_REGISTER_TOPICS_BYTES, MAX_TOPIC_BYTES, MAX_TOPICS_PER_DEVICE } from '../constants.js'
import { decodeBounded } from '../codec.js'
import { utf8 } from '../bytes.js'
import { FutureTimestampError, InvalidArgumentError, MalformedInputError } from '../errors.js'
import { signFor, verifyFor, type SigningKeyPair } from '../identity/keys.js'
import * as rpc from '../wire/generated/rpc.js'

/**
 * A device's signed list of the topics it wants its department node to keep.
 * Pure (no storage): the device signs with signRegisterTopics, the node checks
 * with verifyRegisterTopics.
 */
export interface TopicRegistration {
  device: Uint8Array
  /** Distinct, in the order first given. */
  topics: string[]
  timestamp: number
}

function checkTopics (topics: string[]): string[] {
  if (topics.length > MAX_TOPICS_PER_DEVICE) throw new InvalidArgumentError(`at most ${MAX_TOPICS_PER_DEVICE} topics per device`)
  for (const topic of topics) {
    if (topic.length === 0 || utf8(topic).length > MAX_TOPIC_BYTES) throw new InvalidArgumentError(`topics must be 1-${MAX_TOPIC_BYTES} bytes`)
  }
  return [...new Set(topics)]
}

export function signRegisterTopics (device: SigningKeyPair, topics: string[], timestamp: number): Uint8Array {
  if (!Number.isSafeInteger(timestamp) || timestamp < 0) throw new InvalidArgumentError('timestamp must be a non-negative integer')
  const body = rpc.RegisterTopicsBody.encode({ version: FORMAT_VERSION, devicePublicKey: device.publicKey, topics: checkTopics(topics), timestamp })
  return rpc.RegisterTopics.encode({ body, signature: signFor('registerTopics', device.privateKey, body) })
}

/** Size, shape, the device's signature, and a time not ahead of ours. Every failure is a typed DakError. */
export function verifyRegisterTopics (bytes: Uint8Array, now: number): TopicRegistration {
  const outer = decodeBounded(rpc.RegisterTopics, bytes, MAX_REGISTER_TOPICS_BYTES, 'topic registration')
  const body = decodeBounded(rpc.RegisterTopicsBody, outer.body, MAX_REGISTER_TOPICS_BYTES, 'topic registration body')
  if (body.version !== FORMAT_VERSION) throw new MalformedInputError(`topic registration version ${body.version} is not supported`)
  if (body.devicePublicKey.length !== ED25519_PUBLIC_KEY_BYTES) throw new MalformedInputError('topic registration key is not an Ed25519 public key')
  if (!Number.isSafeInteger(body.timestamp)) throw new MalformedInputError('topic registration time is not a safe integer')
  let topics: string[]
  try {
    topics = checkTopics(body.topics)
  } catch (err) {
    throw new MalformedInputError(`topic registration: ${(err as Error).message}`)
  }
  verifyFor('registerTopics', body.devicePublicKey, outer.body, outer.signature, 'topic registration')
  if (body.timestamp > now + MAX_CLOCK_SKEW_MS) throw new FutureTimestampError('topic registration is dated in the future')
  return { device: body.devicePublicKey, topics, timestamp: body.timestamp }
}
