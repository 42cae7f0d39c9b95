import { decodeMessage, encodeMessage, enumeration, message, streamMessage } from 'protons-runtime'
import { alloc as uint8ArrayAlloc } from 'uint8arrays/alloc'
import type { Codec, DecodeOptions } from 'protons-runtime'
import type { Uint8ArrayList } from 'uint8arraylist'

export enum EnvelopeKind {
  ENVELOPE_KIND_UNSPECIFIED = 'ENVELOPE_KIND_UNSPECIFIED',
  APPLICATION = 'APPLICATION',
  COMMIT = 'COMMIT',
  WELCOME = 'WELCOME',
  PROPOSAL = 'PROPOSAL',
  GROUP_INFO = 'GROUP_INFO',
  HISTORY = 'HISTORY'
}

enum __EnvelopeKindValues {
  ENVELOPE_KIND_UNSPECIFIED = 0,
  APPLICATION = 1,
  COMMIT = 2,
  WELCOME = 3,
  PROPOSAL = 4,
  GROUP_INFO = 5,
  HISTORY = 6
}

export namespace EnvelopeKind {
  export const codec = (): Codec<EnvelopeKind> => {
    return enumeration<EnvelopeKind>(__EnvelopeKindValues)
  }
}

export interface EnvelopeBody {
  version: number
  kind: EnvelopeKind
  topic: string
  sender: Uint8Array
  timestamp: number
  senderSeq: number
  payload: Uint8Array
  sequencerAck: Uint8Array
  expiresAt: number
}

export namespace EnvelopeBody {
  let _codec: Codec<EnvelopeBody>

  export const codec = (): Codec<EnvelopeBody> => {
    if (_codec == null) {
      _codec = message<EnvelopeBody>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.version != null && obj.version !== 0)) {
          w.uint32(8)
          w.uint32(obj.version)
        }

        if (obj.kind != null && __EnvelopeKindValues[obj.kind] !== 0) {
          w.uint32(16)
          EnvelopeKind.codec().encode(obj.kind, w)
        }

        if ((obj.topic != null && obj.topic !== '')) {
          w.uint32(26)
          w.string(obj.topic)
        }

        if ((obj.sender != null && obj.sender.byteLength > 0)) {
          w.uint32(34)
          w.bytes(obj.sender)
        }

        if ((obj.timestamp != null && obj.timestamp !== 0)) {
          w.uint32(40)
          w.uint64Number(obj.timestamp)
        }

        if ((obj.senderSeq != null && obj.senderSeq !== 0)) {
          w.uint32(48)
          w.uint64Number(obj.senderSeq)
        }

        if ((obj.payload != null && obj.payload.byteLength > 0)) {
          w.uint32(66)
          w.bytes(obj.payload)
        }

        if ((obj.sequencerAck != null && obj.sequencerAck.byteLength > 0)) {
          w.uint32(98)
          w.bytes(obj.sequencerAck)
        }

        if ((obj.expiresAt != null && obj.expiresAt !== 0)) {
          w.uint32(104)
          w.uint64Number(obj.expiresAt)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          version: 0,
          kind: EnvelopeKind.ENVELOPE_KIND_UNSPECIFIED,
          topic: '',
          sender: uint8ArrayAlloc(0),
          timestamp: 0,
          senderSeq: 0,
          payload: uint8ArrayAlloc(0),
          sequencerAck: uint8ArrayAlloc(0),
          expiresAt: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.version = reader.uint32()
              break
            }
            case 2: {
              obj.kind = EnvelopeKind.codec().decode(reader)
              break
            }
            case 3: {
              obj.topic = reader.string()
              break
            }
            case 4: {
              obj.sender = reader.bytes()
              break
            }
            case 5: {
              obj.timestamp = reader.uint64Number()
              break
            }
            case 6: {
              obj.senderSeq = reader.uint64Number()
              break
            }
            case 8: {
              obj.payload = reader.bytes()
              break
            }
            case 12: {
              obj.sequencerAck = reader.bytes()
              break
            }
            case 13: {
              obj.expiresAt = reader.uint64Number()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.version`,
                value: reader.uint32()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.kind`,
                value: EnvelopeKind.codec().decode(reader)
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.topic`,
                value: reader.string()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.sender`,
                value: reader.bytes()
              }
              break
            }
            case 5: {
              yield {
                field: `${prefix}.timestamp`,
                value: reader.uint64Number()
              }
              break
            }
            case 6: {
              yield {
                field: `${prefix}.senderSeq`,
                value: reader.uint64Number()
              }
              break
            }
            case 8: {
              yield {
                field: `${prefix}.payload`,
                value: reader.bytes()
              }
              break
            }
            case 12: {
              yield {
                field: `${prefix}.sequencerAck`,
                value: reader.bytes()
              }
              break
            }
            case 13: {
              yield {
                field: `${prefix}.expiresAt`,
                value: reader.uint64Number()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface EnvelopeBodyVersionFieldEvent {
    field: '$.version'
    value: number
  }

  export interface EnvelopeBodyKindFieldEvent {
    field: '$.kind'
    value: EnvelopeKind
  }

  export interface EnvelopeBodyTopicFieldEvent {
    field: '$.topic'
    value: string
  }

  export interface EnvelopeBodySenderFieldEvent {
    field: '$.sender'
    value: Uint8Array
  }

  export interface EnvelopeBodyTimestampFieldEvent {
    field: '$.timestamp'
    value: number
  }

  export interface EnvelopeBodySenderSeqFieldEvent {
    field: '$.senderSeq'
    value: number
  }

  export interface EnvelopeBodyPayloadFieldEvent {
    field: '$.payload'
    value: Uint8Array
  }

  export interface EnvelopeBodySequencerAckFieldEvent {
    field: '$.sequencerAck'
    value: Uint8Array
  }

  export interface EnvelopeBodyExpiresAtFieldEvent {
    field: '$.expiresAt'
    value: number
  }

  export function encode (obj: Partial<EnvelopeBody>): Uint8Array {
    return encodeMessage(obj, EnvelopeBody.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<EnvelopeBody>): EnvelopeBody {
    return decodeMessage(buf, EnvelopeBody.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<EnvelopeBody>): Generator<EnvelopeBodyVersionFieldEvent | EnvelopeBodyKindFieldEvent | EnvelopeBodyTopicFieldEvent | EnvelopeBodySenderFieldEvent | EnvelopeBodyTimestampFieldEvent | EnvelopeBodySenderSeqFieldEvent | EnvelopeBodyPayloadFieldEvent | EnvelopeBodySequencerAckFieldEvent | EnvelopeBodyExpiresAtFieldEvent> {
    return streamMessage(buf, EnvelopeBody.codec(), opts)
  }
}

export interface Envelope {
  body: Uint8Array
  signature: Uint8Array
}

export namespace Envelope {
  let _codec: Codec<Envelope>

  export const codec = (): Codec<Envelope> => {
    if (_codec == null) {
      _codec = message<Envelope>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.body != null && obj.body.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.body)
        }

        if ((obj.signature != null && obj.signature.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.signature)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          body: uint8ArrayAlloc(0),
          signature: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.body = reader.bytes()
              break
            }
            case 2: {
              obj.signature = reader.bytes()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.body`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.signature`,
                value: reader.bytes()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface EnvelopeBodyFieldEvent {
    field: '$.body'
    value: Uint8Array
  }

  export interface EnvelopeSignatureFieldEvent {
    field: '$.signature'
    value: Uint8Array
  }

  export function encode (obj: Partial<Envelope>): Uint8Array {
    return encodeMessage(obj, Envelope.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Envelope>): Envelope {
    return decodeMessage(buf, Envelope.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Envelope>): Generator<EnvelopeBodyFieldEvent | EnvelopeSignatureFieldEvent> {
    return streamMessage(buf, Envelope.codec(), opts)
  }
}

export interface StoreReceiptBody {
  nodePublicKey: Uint8Array
  topic: string
  messageId: Uint8Array
  sequence: number
  storedAt: number
}

export namespace StoreReceiptBody {
  let _codec: Codec<StoreReceiptBody>

  export const codec = (): Codec<StoreReceiptBody> => {
    if (_codec == null) {
      _codec = message<StoreReceiptBody>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.nodePublicKey != null && obj.nodePublicKey.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.nodePublicKey)
        }

        if ((obj.topic != null && obj.topic !== '')) {
          w.uint32(18)
          w.string(obj.topic)
        }

        if ((obj.messageId != null && obj.messageId.byteLength > 0)) {
          w.uint32(26)
          w.bytes(obj.messageId)
        }

        if ((obj.sequence != null && obj.sequence !== 0)) {
          w.uint32(32)
          w.uint64Number(obj.sequence)
        }

        if ((obj.storedAt != null && obj.storedAt !== 0)) {
          w.uint32(40)
          w.uint64Number(obj.storedAt)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          nodePublicKey: uint8ArrayAlloc(0),
          topic: '',
          messageId: uint8ArrayAlloc(0),
          sequence: 0,
          storedAt: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.nodePublicKey = reader.bytes()
              break
            }
            case 2: {
              obj.topic = reader.string()
              break
            }
            case 3: {
              obj.messageId = reader.bytes()
              break
            }
            case 4: {
              obj.sequence = reader.uint64Number()
              break
            }
            case 5: {
              obj.storedAt = reader.uint64Number()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.nodePublicKey`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.topic`,
                value: reader.string()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.messageId`,
                value: reader.bytes()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.sequence`,
                value: reader.uint64Number()
              }
              break
            }
            case 5: {
              yield {
                field: `${prefix}.storedAt`,
                value: reader.uint64Number()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface StoreReceiptBodyNodePublicKeyFieldEvent {
    field: '$.nodePublicKey'
    value: Uint8Array
  }

  export interface StoreReceiptBodyTopicFieldEvent {
    field: '$.topic'
    value: string
  }

  export interface StoreReceiptBodyMessageIdFieldEvent {
    field: '$.messageId'
    value: Uint8Array
  }

  export interface StoreReceiptBodySequenceFieldEvent {
    field: '$.sequence'
    value: number
  }

  export interface StoreReceiptBodyStoredAtFieldEvent {
    field: '$.storedAt'
    value: number
  }

  export function encode (obj: Partial<StoreReceiptBody>): Uint8Array {
    return encodeMessage(obj, StoreReceiptBody.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<StoreReceiptBody>): StoreReceiptBody {
    return decodeMessage(buf, StoreReceiptBody.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<StoreReceiptBody>): Generator<StoreReceiptBodyNodePublicKeyFieldEvent | StoreReceiptBodyTopicFieldEvent | StoreReceiptBodyMessageIdFieldEvent | StoreReceiptBodySequenceFieldEvent | StoreReceiptBodyStoredAtFieldEvent> {
    return streamMessage(buf, StoreReceiptBody.codec(), opts)
  }
}

export interface StoreReceipt {
  body: Uint8Array
  signature: Uint8Array
}

export namespace StoreReceipt {
  let _codec: Codec<StoreReceipt>

  export const codec = (): Codec<StoreReceipt> => {
    if (_codec == null) {
      _codec = message<StoreReceipt>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.body != null && obj.body.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.body)
        }

        if ((obj.signature != null && obj.signature.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.signature)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          body: uint8ArrayAlloc(0),
          signature: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.body = reader.bytes()
              break
            }
            case 2: {
              obj.signature = reader.bytes()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.body`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.signature`,
                value: reader.bytes()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface StoreReceiptBodyFieldEvent {
    field: '$.body'
    value: Uint8Array
  }

  export interface StoreReceiptSignatureFieldEvent {
    field: '$.signature'
    value: Uint8Array
  }

  export function encode (obj: Partial<StoreReceipt>): Uint8Array {
    return encodeMessage(obj, StoreReceipt.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<StoreReceipt>): StoreReceipt {
    return decodeMessage(buf, StoreReceipt.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<StoreReceipt>): Generator<StoreReceiptBodyFieldEvent | StoreReceiptSignatureFieldEvent> {
    return streamMessage(buf, StoreReceipt.codec(), opts)
  }
}

export interface CommitAckBody {
  nodePublicKey: Uint8Array
  groupId: Uint8Array
  epoch: number
  sequence: number
  commitHash: Uint8Array
  welcomeHash: Uint8Array
}

export namespace CommitAckBody {
  let _codec: Codec<CommitAckBody>

  export const codec = (): Codec<CommitAckBody> => {
    if (_codec == null) {
      _codec = message<CommitAckBody>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.nodePublicKey != null && obj.nodePublicKey.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.nodePublicKey)
        }

        if ((obj.groupId != null && obj.groupId.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.groupId)
        }

        if ((obj.epoch != null && obj.epoch !== 0)) {
          w.uint32(24)
          w.uint64Number(obj.epoch)
        }

        if ((obj.sequence != null && obj.sequence !== 0)) {
          w.uint32(32)
          w.uint64Number(obj.sequence)
        }

        if ((obj.commitHash != null && obj.commitHash.byteLength > 0)) {
          w.uint32(42)
          w.bytes(obj.commitHash)
        }

        if ((obj.welcomeHash != null && obj.welcomeHash.byteLength > 0)) {
          w.uint32(66)
          w.bytes(obj.welcomeHash)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          nodePublicKey: uint8ArrayAlloc(0),
          groupId: uint8ArrayAlloc(0),
          epoch: 0,
          sequence: 0,
          commitHash: uint8ArrayAlloc(0),
          welcomeHash: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.nodePublicKey = reader.bytes()
              break
            }
            case 2: {
              obj.groupId = reader.bytes()
              break
            }
            case 3: {
              obj.epoch = reader.uint64Number()
              break
            }
            case 4: {
              obj.sequence = reader.uint64Number()
              break
            }
            case 5: {
              obj.commitHash = reader.bytes()
              break
            }
            case 8: {
              obj.welcomeHash = reader.bytes()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.nodePublicKey`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.groupId`,
                value: reader.bytes()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.epoch`,
                value: reader.uint64Number()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.sequence`,
                value: reader.uint64Number()
              }
              break
            }
            case 5: {
              yield {
                field: `${prefix}.commitHash`,
                value: reader.bytes()
              }
              break
            }
            case 8: {
              yield {
                field: `${prefix}.welcomeHash`,
                value: reader.bytes()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface CommitAckBodyNodePublicKeyFieldEvent {
    field: '$.nodePublicKey'
    value: Uint8Array
  }

  export interface CommitAckBodyGroupIdFieldEvent {
    field: '$.groupId'
    value: Uint8Array
  }

  export interface CommitAckBodyEpochFieldEvent {
    field: '$.epoch'
    value: number
  }

  export interface CommitAckBodySequenceFieldEvent {
    field: '$.sequence'
    value: number
  }

  export interface CommitAckBodyCommitHashFieldEvent {
    field: '$.commitHash'
    value: Uint8Array
  }

  export interface CommitAckBodyWelcomeHashFieldEvent {
    field: '$.welcomeHash'
    value: Uint8Array
  }

  export function encode (obj: Partial<CommitAckBody>): Uint8Array {
    return encodeMessage(obj, CommitAckBody.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<CommitAckBody>): CommitAckBody {
    return decodeMessage(buf, CommitAckBody.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<CommitAckBody>): Generator<CommitAckBodyNodePublicKeyFieldEvent | CommitAckBodyGroupIdFieldEvent | CommitAckBodyEpochFieldEvent | CommitAckBodySequenceFieldEvent | CommitAckBodyCommitHashFieldEvent | CommitAckBodyWelcomeHashFieldEvent> {
    return streamMessage(buf, CommitAckBody.codec(), opts)
  }
}

export interface CommitAck {
  body: Uint8Array
  signature: Uint8Array
}

export namespace CommitAck {
  let _codec: Codec<CommitAck>

  export const codec = (): Codec<CommitAck> => {
    if (_codec == null) {
      _codec = message<CommitAck>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.body != null && obj.body.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.body)
        }

        if ((obj.signature != null && obj.signature.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.signature)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          body: uint8ArrayAlloc(0),
          signature: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.body = reader.bytes()
              break
            }
            case 2: {
              obj.signature = reader.bytes()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.body`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.signature`,
                value: reader.bytes()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface CommitAckBodyFieldEvent {
    field: '$.body'
    value: Uint8Array
  }

  export interface CommitAckSignatureFieldEvent {
    field: '$.signature'
    value: Uint8Array
  }

  export function encode (obj: Partial<CommitAck>): Uint8Array {
    return encodeMessage(obj, CommitAck.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<CommitAck>): CommitAck {
    return decodeMessage(buf, CommitAck.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<CommitAck>): Generator<CommitAckBodyFieldEvent | CommitAckSignatureFieldEvent> {
    return streamMessage(buf, CommitAck.codec(), opts)
  }
}

export interface GroupRegistrationBody {
  version: number
  groupId: Uint8Array
  firstEpoch: number
  creator: Uint8Array
  policy: Uint8Array
}

export namespace GroupRegistrationBody {
  let _codec: Codec<GroupRegistrationBody>

  export const codec = (): Codec<GroupRegistrationBody> => {
    if (_codec == null) {
      _codec = message<GroupRegistrationBody>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.version != null && obj.version !== 0)) {
          w.uint32(8)
          w.uint32(obj.version)
        }

        if ((obj.groupId != null && obj.groupId.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.groupId)
        }

        if ((obj.firstEpoch != null && obj.firstEpoch !== 0)) {
          w.uint32(24)
          w.uint64Number(obj.firstEpoch)
        }

        if ((obj.creator != null && obj.creator.byteLength > 0)) {
          w.uint32(34)
          w.bytes(obj.creator)
        }

        if ((obj.policy != null && obj.policy.byteLength > 0)) {
          w.uint32(42)
          w.bytes(obj.policy)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          version: 0,
          groupId: uint8ArrayAlloc(0),
          firstEpoch: 0,
          creator: uint8ArrayAlloc(0),
          policy: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.version = reader.uint32()
              break
            }
            case 2: {
              obj.groupId = reader.bytes()
              break
            }
            case 3: {
              obj.firstEpoch = reader.uint64Number()
              break
            }
            case 4: {
              obj.creator = reader.bytes()
              break
            }
            case 5: {
              obj.policy = reader.bytes()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.version`,
                value: reader.uint32()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.groupId`,
                value: reader.bytes()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.firstEpoch`,
                value: reader.uint64Number()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.creator`,
                value: reader.bytes()
              }
              break
            }
            case 5: {
              yield {
                field: `${prefix}.policy`,
                value: reader.bytes()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface GroupRegistrationBodyVersionFieldEvent {
    field: '$.version'
    value: number
  }

  export interface GroupRegistrationBodyGroupIdFieldEvent {
    field: '$.groupId'
    value: Uint8Array
  }

  export interface GroupRegistrationBodyFirstEpochFieldEvent {
    field: '$.firstEpoch'
    value: number
  }

  export interface GroupRegistrationBodyCreatorFieldEvent {
    field: '$.creator'
    value: Uint8Array
  }

  export interface GroupRegistrationBodyPolicyFieldEvent {
    field: '$.policy'
    value: Uint8Array
  }

  export function encode (obj: Partial<GroupRegistrationBody>): Uint8Array {
    return encodeMessage(obj, GroupRegistrationBody.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<GroupRegistrationBody>): GroupRegistrationBody {
    return decodeMessage(buf, GroupRegistrationBody.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<GroupRegistrationBody>): Generator<GroupRegistrationBodyVersionFieldEvent | GroupRegistrationBodyGroupIdFieldEvent | GroupRegistrationBodyFirstEpochFieldEvent | GroupRegistrationBodyCreatorFieldEvent | GroupRegistrationBodyPolicyFieldEvent> {
    return streamMessage(buf, GroupRegistrationBody.codec(), opts)
  }
}

export interface GroupRegistration {
  body: Uint8Array
  signature: Uint8Array
}

export namespace GroupRegistration {
  let _codec: Codec<GroupRegistration>

  export const codec = (): Codec<GroupRegistration> => {
    if (_codec == null) {
      _codec = message<GroupRegistration>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.body != null && obj.body.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.body)
        }

        if ((obj.signature != null && obj.signature.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.signature)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          body: uint8ArrayAlloc(0),
          signature: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.body = reader.bytes()
              break
            }
            case 2: {
              obj.signature = reader.bytes()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.body`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.signature`,
                value: reader.bytes()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface GroupRegistrationBodyFieldEvent {
    field: '$.body'
    value: Uint8Array
  }

  export interface GroupRegistrationSignatureFieldEvent {
    field: '$.signature'
    value: Uint8Array
  }

  export function encode (obj: Partial<GroupRegistration>): Uint8Array {
    return encodeMessage(obj, GroupRegistration.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<GroupRegistration>): GroupRegistration {
    return decodeMessage(buf, GroupRegistration.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<GroupRegistration>): Generator<GroupRegistrationBodyFieldEvent | GroupRegistrationSignatureFieldEvent> {
    return streamMessage(buf, GroupRegistration.codec(), opts)
  }
}
