import { fromUtf8, MalformedInputError, MAX_ENVELOPE_BYTES, MAX_TOPIC_BYTES, utf8 } from '@dak/protocol'

/**
 * The two messages of /dak/carry/1.0.0 (carry.ts), hand-encoded and bounded
 * before anything is allocated; anything else is a MalformedInputError.
 *
 * Request:  version (1) · topic length (u8) · topic (UTF-8) · have count (u16) · have × 8-byte id prefixes
 * Response: count (u16) · more (u8: 0|1) · count × (length (u32) · sealed envelope)
 *
 * "have" is what the asker keeps of the topic: the first 8 bytes of each
 * envelope id (SHA-256 of its bytes). A prefix collision can only make the
 * server leave one envelope out; the asker still checks every envelope it gets.
 */
export const CARRY_VERSION = 1
/** Ids an asker lists at most: the per-topic keep (carry.ts) is smaller. */
export const MAX_HAVE = 2048
export const ID_PREFIX_BYTES = 8
/** Envelopes in one answer; the asker asks again while `more`. */
export const MAX_ANSWER_ENVELOPES = 64
/** Bytes of one answer: a page is a few seconds on 2G, not minutes. */
export const CARRY_MAX_ANSWER_BYTES = 512 * 1024
export const CARRY_MAX_REQUEST_BYTES = 4 + MAX_TOPIC_BYTES + MAX_HAVE * ID_PREFIX_BYTES

export interface CarryRequest { topic: string, have: Uint8Array[] }
export interface CarryAnswer { envelopes: Uint8Array[], more: boolean }

export function encodeCarryRequest (request: CarryRequest): Uint8Array {
  const topic = utf8(request.topic)
  if (topic.length === 0 || topic.length > MAX_TOPIC_BYTES) throw new MalformedInputError(`a carry topic is 1-${MAX_TOPIC_BYTES} bytes`)
  const have = request.have.slice(-MAX_HAVE)
  const out = new Uint8Array(4 + topic.length + have.length * ID_PREFIX_BYTES)
  out[0] = CARRY_VERSION
  out[1] = topic.length
  out.set(topic, 2)
  const view = new DataView(out.buffer)
  view.setUint16(2 + topic.length, have.length)
  have.forEach((id, i) => { out.set(id.subarray(0, ID_PREFIX_BYTES), 4 + topic.length + i * ID_PREFIX_BYTES) })
  return out
}

export function decodeCarryRequest (bytes: Uint8Array): CarryRequest {
  if (bytes.length < 4 || bytes.length > CARRY_MAX_REQUEST_BYTES) throw new MalformedInputError('a carry request is malformed (length)')
  if (bytes[0] !== CARRY_VERSION) throw new MalformedInputError(`a carry request of version ${bytes[0] ?? '?'} is not understood`)
  const topicLength = bytes[1] ?? 0
  if (topicLength === 0 || topicLength > MAX_TOPIC_BYTES || bytes.length < 4 + topicLength) throw new MalformedInputError('a carry request is malformed (topic)')
  const topic = fromUtf8(bytes.subarray(2, 2 + topicLength))
  const count = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint16(2 + topicLength)
  if (count > MAX_HAVE || bytes.length !== 4 + topicLength + count * ID_PREFIX_BYTES) throw new MalformedInputError('a carry request is malformed (ids)')
  const start = 4 + topicLength
  const have = Array.from({ length: count }, (_, i) => bytes.slice(start + i * ID_PREFIX_BYTES, start + (i + 1) * ID_PREFIX_BYTES))
  return { topic, have }
}

export function encodeCarryAnswer (answer: CarryAnswer): Uint8Array {
  const total = 3 + answer.envelopes.reduce((n, e) => n + 4 + e.length, 0)
  const out = new Uint8Array(total)
  const view = new DataView(out.buffer)
  view.setUint16(0, answer.envelopes.length)
  out[2] = answer.more ? 1 : 0
  let at = 3
  for (const envelope of answer.envelopes) {
    view.setUint32(at, envelope.length)
    out.set(envelope, at + 4)
    at += 4 + envelope.length
  }
  return out
}

export function decodeCarryAnswer (bytes: Uint8Array): CarryAnswer {
  if (bytes.length < 3 || bytes.length > CARRY_MAX_ANSWER_BYTES) throw new MalformedInputError('a carry answer is malformed (length)')
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const count = view.getUint16(0)
  const flag = bytes[2]
  if (count > MAX_ANSWER_ENVELOPES || (flag !== 0 && flag !== 1)) throw new MalformedInputError('a carry answer is malformed (header)')
  const envelopes: Uint8Array[] = []
  let at = 3
  for (let i = 0; i < count; i++) {
    if (at + 4 > bytes.length) throw new MalformedInputError('a carry answer is cut short')
    const length = view.getUint32(at)
    if (length === 0 || length > MAX_ENVELOPE_BYTES || at + 4 + length > bytes.length) throw new MalformedInputError('a carry answer is malformed (envelope length)')
    envelopes.push(bytes.slice(at + 4, at + 4 + length))
    at += 4 + length
  }
  if (at !== bytes.length) throw new MalformedInputError('a carry answer has bytes after its last envelope')
  return { envelopes, more: flag === 1 }
}
