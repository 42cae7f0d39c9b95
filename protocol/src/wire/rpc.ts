import { decodeMessage, encodeMessage, MaxLengthError, message, streamMessage } from 'protons-runtime'
import { alloc as uint8ArrayAlloc } from 'uint8arrays/alloc'
import type { Codec, DecodeOptions } from 'protons-runtime'
import type { Uint8ArrayList } from 'uint8arraylist'

export interface RegisterTopicsBody {
  version: number
  devicePublicKey: Uint8Array
  topics: string[]
  timestamp: number
}

export namespace RegisterTopicsBody {
  let _codec: Codec<RegisterTopicsBody>

  export const codec = (): Codec<RegisterTopicsBody> => {
    if (_codec == null) {
      _codec = message<RegisterTopicsBody>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.version != null && obj.version !== 0)) {
          w.uint32(8)
          w.uint32(obj.version)
        }

        if ((obj.devicePublicKey != null && obj.devicePublicKey.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.devicePublicKey)
        }

        if (obj.topics != null && obj.topics.length > 0) {
          for (const value of obj.topics) {
            w.uint32(26)
            w.string(value)
          }
        }

        if ((obj.timestamp != null && obj.timestamp !== 0)) {
          w.uint32(32)
          w.uint64Number(obj.timestamp)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          version: 0,
          devicePublicKey: uint8ArrayAlloc(0),
          topics: [],
          timestamp: 0
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
              obj.devicePublicKey = reader.bytes()
              break
            }
            case 3: {
              if (opts.limits?.topics != null && obj.topics.length === opts.limits.topics) {
                throw new MaxLengthError('Decode error - repeated field "topics" had too many elements')
              }

              if (obj.topics.length === 1024) {
                throw new MaxLengthError('Decode error - repeated field "topics" had too many elements')
              }

              obj.topics.push(reader.string())
              break
            }
            case 4: {
              obj.timestamp = reader.uint64Number()
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
        const obj = {
          topics: 1024
        }

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
                field: `${prefix}.devicePublicKey`,
                value: reader.bytes()
              }
              break
            }
            case 3: {
              if (opts.limits?.topics != null && obj.topics === opts.limits.topics) {
                throw new MaxLengthError('Streaming decode error - repeated field "topics" had too many elements')
              }

              if (obj.topics === 1024) {
                throw new MaxLengthError('Streaming decode error - repeated field "topics" had too many elements')
              }

              yield {
                field: `${prefix}.topics[]`,
                index: obj.topics,
                value: reader.string()
              }

              obj.topics++

              break
            }
            case 4: {
              yield {
                field: `${prefix}.timestamp`,
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

  export interface RegisterTopicsBodyVersionFieldEvent {
    field: '$.version'
    value: number
  }

  export interface RegisterTopicsBodyDevicePublicKeyFieldEvent {
    field: '$.devicePublicKey'
    value: Uint8Array
  }

  export interface RegisterTopicsBodyTopicsFieldEvent {
    field: '$.topics[]'
    index: number
    value: string
  }

  export interface RegisterTopicsBodyTimestampFieldEvent {
    field: '$.timestamp'
    value: number
  }

  export function encode (obj: Partial<RegisterTopicsBody>): Uint8Array {
    return encodeMessage(obj, RegisterTopicsBody.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<RegisterTopicsBody>): RegisterTopicsBody {
    return decodeMessage(buf, RegisterTopicsBody.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<RegisterTopicsBody>): Generator<RegisterTopicsBodyVersionFieldEvent | RegisterTopicsBodyDevicePublicKeyFieldEvent | RegisterTopicsBodyTopicsFieldEvent | RegisterTopicsBodyTimestampFieldEvent> {
    return streamMessage(buf, RegisterTopicsBody.codec(), opts)
  }
}

export interface RegisterTopics {
  body: Uint8Array
  signature: Uint8Array
}

export namespace RegisterTopics {
  let _codec: Codec<RegisterTopics>

  export const codec = (): Codec<RegisterTopics> => {
    if (_codec == null) {
      _codec = message<RegisterTopics>((obj, w, opts = {}) => {
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

  export interface RegisterTopicsBodyFieldEvent {
    field: '$.body'
    value: Uint8Array
  }

  export interface RegisterTopicsSignatureFieldEvent {
    field: '$.signature'
    value: Uint8Array
  }

  export function encode (obj: Partial<RegisterTopics>): Uint8Array {
    return encodeMessage(obj, RegisterTopics.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<RegisterTopics>): RegisterTopics {
    return decodeMessage(buf, RegisterTopics.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<RegisterTopics>): Generator<RegisterTopicsBodyFieldEvent | RegisterTopicsSignatureFieldEvent> {
    return streamMessage(buf, RegisterTopics.codec(), opts)
  }
}

export interface RegisterTopicsResult {
  topics: number
}

export namespace RegisterTopicsResult {
  let _codec: Codec<RegisterTopicsResult>

  export const codec = (): Codec<RegisterTopicsResult> => {
    if (_codec == null) {
      _codec = message<RegisterTopicsResult>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.topics != null && obj.topics !== 0)) {
          w.uint32(8)
          w.uint32(obj.topics)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          topics: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.topics = reader.uint32()
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
                field: `${prefix}.topics`,
                value: reader.uint32()
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

  export interface RegisterTopicsResultTopicsFieldEvent {
    field: '$.topics'
    value: number
  }

  export function encode (obj: Partial<RegisterTopicsResult>): Uint8Array {
    return encodeMessage(obj, RegisterTopicsResult.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<RegisterTopicsResult>): RegisterTopicsResult {
    return decodeMessage(buf, RegisterTopicsResult.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<RegisterTopicsResult>): Generator<RegisterTopicsResultTopicsFieldEvent> {
    return streamMessage(buf, RegisterTopicsResult.codec(), opts)
  }
}

export interface Deposit {
  envelope: Uint8Array
}

export namespace Deposit {
  let _codec: Codec<Deposit>

  export const codec = (): Codec<Deposit> => {
    if (_codec == null) {
      _codec = message<Deposit>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.envelope != null && obj.envelope.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.envelope)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          envelope: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.envelope = reader.bytes()
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
                field: `${prefix}.envelope`,
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

  export interface DepositEnvelopeFieldEvent {
    field: '$.envelope'
    value: Uint8Array
  }

  export function encode (obj: Partial<Deposit>): Uint8Array {
    return encodeMessage(obj, Deposit.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Deposit>): Deposit {
    return decodeMessage(buf, Deposit.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Deposit>): Generator<DepositEnvelopeFieldEvent> {
    return streamMessage(buf, Deposit.codec(), opts)
  }
}

export interface DepositResult {
  receipt: Uint8Array
  sequence: number
  duplicate: boolean
}

export namespace DepositResult {
  let _codec: Codec<DepositResult>

  export const codec = (): Codec<DepositResult> => {
    if (_codec == null) {
      _codec = message<DepositResult>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.receipt != null && obj.receipt.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.receipt)
        }

        if ((obj.sequence != null && obj.sequence !== 0)) {
          w.uint32(16)
          w.uint64Number(obj.sequence)
        }

        if ((obj.duplicate != null && obj.duplicate !== false)) {
          w.uint32(24)
          w.bool(obj.duplicate)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          receipt: uint8ArrayAlloc(0),
          sequence: 0,
          duplicate: false
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.receipt = reader.bytes()
              break
            }
            case 2: {
              obj.sequence = reader.uint64Number()
              break
            }
            case 3: {
              obj.duplicate = reader.bool()
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
                field: `${prefix}.receipt`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.sequence`,
                value: reader.uint64Number()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.duplicate`,
                value: reader.bool()
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

  export interface DepositResultReceiptFieldEvent {
    field: '$.receipt'
    value: Uint8Array
  }

  export interface DepositResultSequenceFieldEvent {
    field: '$.sequence'
    value: number
  }

  export interface DepositResultDuplicateFieldEvent {
    field: '$.duplicate'
    value: boolean
  }

  export function encode (obj: Partial<DepositResult>): Uint8Array {
    return encodeMessage(obj, DepositResult.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<DepositResult>): DepositResult {
    return decodeMessage(buf, DepositResult.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<DepositResult>): Generator<DepositResultReceiptFieldEvent | DepositResultSequenceFieldEvent | DepositResultDuplicateFieldEvent> {
    return streamMessage(buf, DepositResult.codec(), opts)
  }
}

export interface Query {
  topic: string
  afterSequence: number
  limit: number
  maxBytes: number
}

export namespace Query {
  let _codec: Codec<Query>

  export const codec = (): Codec<Query> => {
    if (_codec == null) {
      _codec = message<Query>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.topic != null && obj.topic !== '')) {
          w.uint32(10)
          w.string(obj.topic)
        }

        if ((obj.afterSequence != null && obj.afterSequence !== 0)) {
          w.uint32(16)
          w.uint64Number(obj.afterSequence)
        }

        if ((obj.limit != null && obj.limit !== 0)) {
          w.uint32(24)
          w.uint32(obj.limit)
        }

        if ((obj.maxBytes != null && obj.maxBytes !== 0)) {
          w.uint32(32)
          w.uint32(obj.maxBytes)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          topic: '',
          afterSequence: 0,
          limit: 0,
          maxBytes: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.topic = reader.string()
              break
            }
            case 2: {
              obj.afterSequence = reader.uint64Number()
              break
            }
            case 3: {
              obj.limit = reader.uint32()
              break
            }
            case 4: {
              obj.maxBytes = reader.uint32()
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
                field: `${prefix}.topic`,
                value: reader.string()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.afterSequence`,
                value: reader.uint64Number()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.limit`,
                value: reader.uint32()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.maxBytes`,
                value: reader.uint32()
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

  export interface QueryTopicFieldEvent {
    field: '$.topic'
    value: string
  }

  export interface QueryAfterSequenceFieldEvent {
    field: '$.afterSequence'
    value: number
  }

  export interface QueryLimitFieldEvent {
    field: '$.limit'
    value: number
  }

  export interface QueryMaxBytesFieldEvent {
    field: '$.maxBytes'
    value: number
  }

  export function encode (obj: Partial<Query>): Uint8Array {
    return encodeMessage(obj, Query.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Query>): Query {
    return decodeMessage(buf, Query.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Query>): Generator<QueryTopicFieldEvent | QueryAfterSequenceFieldEvent | QueryLimitFieldEvent | QueryMaxBytesFieldEvent> {
    return streamMessage(buf, Query.codec(), opts)
  }
}

export interface QueryEntry {
  sequence: number
  envelope: Uint8Array
}

export namespace QueryEntry {
  let _codec: Codec<QueryEntry>

  export const codec = (): Codec<QueryEntry> => {
    if (_codec == null) {
      _codec = message<QueryEntry>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.sequence != null && obj.sequence !== 0)) {
          w.uint32(8)
          w.uint64Number(obj.sequence)
        }

        if ((obj.envelope != null && obj.envelope.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.envelope)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          sequence: 0,
          envelope: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.sequence = reader.uint64Number()
              break
            }
            case 2: {
              obj.envelope = reader.bytes()
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
                field: `${prefix}.sequence`,
                value: reader.uint64Number()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.envelope`,
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

  export interface QueryEntrySequenceFieldEvent {
    field: '$.sequence'
    value: number
  }

  export interface QueryEntryEnvelopeFieldEvent {
    field: '$.envelope'
    value: Uint8Array
  }

  export function encode (obj: Partial<QueryEntry>): Uint8Array {
    return encodeMessage(obj, QueryEntry.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<QueryEntry>): QueryEntry {
    return decodeMessage(buf, QueryEntry.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<QueryEntry>): Generator<QueryEntrySequenceFieldEvent | QueryEntryEnvelopeFieldEvent> {
    return streamMessage(buf, QueryEntry.codec(), opts)
  }
}

export interface QueryPage {
  entries: QueryEntry[]
  nextAfterSequence: number
  hasMore: boolean
}

export namespace QueryPage {
  let _codec: Codec<QueryPage>

  export const codec = (): Codec<QueryPage> => {
    if (_codec == null) {
      _codec = message<QueryPage>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.entries != null && obj.entries.length > 0) {
          for (const value of obj.entries) {
            w.uint32(10)
            QueryEntry.codec().encode(value, w)
          }
        }

        if ((obj.nextAfterSequence != null && obj.nextAfterSequence !== 0)) {
          w.uint32(16)
          w.uint64Number(obj.nextAfterSequence)
        }

        if ((obj.hasMore != null && obj.hasMore !== false)) {
          w.uint32(24)
          w.bool(obj.hasMore)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          entries: [],
          nextAfterSequence: 0,
          hasMore: false
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              if (opts.limits?.entries != null && obj.entries.length === opts.limits.entries) {
                throw new MaxLengthError('Decode error - repeated field "entries" had too many elements')
              }

              if (obj.entries.length === 256) {
                throw new MaxLengthError('Decode error - repeated field "entries" had too many elements')
              }

              obj.entries.push(QueryEntry.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.entries$
              }))
              break
            }
            case 2: {
              obj.nextAfterSequence = reader.uint64Number()
              break
            }
            case 3: {
              obj.hasMore = reader.bool()
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
        const obj = {
          entries: 256
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              if (opts.limits?.entries != null && obj.entries === opts.limits.entries) {
                throw new MaxLengthError('Streaming decode error - repeated field "entries" had too many elements')
              }

              if (obj.entries === 256) {
                throw new MaxLengthError('Streaming decode error - repeated field "entries" had too many elements')
              }

              for (const evt of QueryEntry.codec().stream(reader, reader.uint32(), `${prefix}.entries[]`, {
                limits: opts.limits?.entries$
              })) {
                yield {
                  ...evt,
                  index: obj.entries
                }
              }

              obj.entries++

              break
            }
            case 2: {
              yield {
                field: `${prefix}.nextAfterSequence`,
                value: reader.uint64Number()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.hasMore`,
                value: reader.bool()
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

  export interface QueryPageEntriesSequenceFieldEvent {
    field: '$.entries[].sequence'
    value: number
    index: number
  }

  export interface QueryPageEntriesEnvelopeFieldEvent {
    field: '$.entries[].envelope'
    value: Uint8Array
    index: number
  }

  export interface QueryPageNextAfterSequenceFieldEvent {
    field: '$.nextAfterSequence'
    value: number
  }

  export interface QueryPageHasMoreFieldEvent {
    field: '$.hasMore'
    value: boolean
  }

  export function encode (obj: Partial<QueryPage>): Uint8Array {
    return encodeMessage(obj, QueryPage.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<QueryPage>): QueryPage {
    return decodeMessage(buf, QueryPage.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<QueryPage>): Generator<QueryPageEntriesSequenceFieldEvent | QueryPageEntriesEnvelopeFieldEvent | QueryPageNextAfterSequenceFieldEvent | QueryPageHasMoreFieldEvent> {
    return streamMessage(buf, QueryPage.codec(), opts)
  }
}

export interface EnrolRequest {
  inviteSecret: Uint8Array
  devicePublicKey: Uint8Array
  mlsSignatureKey: Uint8Array
  proof: Uint8Array
}

export namespace EnrolRequest {
  let _codec: Codec<EnrolRequest>

  export const codec = (): Codec<EnrolRequest> => {
    if (_codec == null) {
      _codec = message<EnrolRequest>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.inviteSecret != null && obj.inviteSecret.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.inviteSecret)
        }

        if ((obj.devicePublicKey != null && obj.devicePublicKey.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.devicePublicKey)
        }

        if ((obj.mlsSignatureKey != null && obj.mlsSignatureKey.byteLength > 0)) {
          w.uint32(26)
          w.bytes(obj.mlsSignatureKey)
        }

        if ((obj.proof != null && obj.proof.byteLength > 0)) {
          w.uint32(34)
          w.bytes(obj.proof)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          inviteSecret: uint8ArrayAlloc(0),
          devicePublicKey: uint8ArrayAlloc(0),
          mlsSignatureKey: uint8ArrayAlloc(0),
          proof: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.inviteSecret = reader.bytes()
              break
            }
            case 2: {
              obj.devicePublicKey = reader.bytes()
              break
            }
            case 3: {
              obj.mlsSignatureKey = reader.bytes()
              break
            }
            case 4: {
              obj.proof = reader.bytes()
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
                field: `${prefix}.inviteSecret`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.devicePublicKey`,
                value: reader.bytes()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.mlsSignatureKey`,
                value: reader.bytes()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.proof`,
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

  export interface EnrolRequestInviteSecretFieldEvent {
    field: '$.inviteSecret'
    value: Uint8Array
  }

  export interface EnrolRequestDevicePublicKeyFieldEvent {
    field: '$.devicePublicKey'
    value: Uint8Array
  }

  export interface EnrolRequestMlsSignatureKeyFieldEvent {
    field: '$.mlsSignatureKey'
    value: Uint8Array
  }

  export interface EnrolRequestProofFieldEvent {
    field: '$.proof'
    value: Uint8Array
  }

  export function encode (obj: Partial<EnrolRequest>): Uint8Array {
    return encodeMessage(obj, EnrolRequest.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<EnrolRequest>): EnrolRequest {
    return decodeMessage(buf, EnrolRequest.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<EnrolRequest>): Generator<EnrolRequestInviteSecretFieldEvent | EnrolRequestDevicePublicKeyFieldEvent | EnrolRequestMlsSignatureKeyFieldEvent | EnrolRequestProofFieldEvent> {
    return streamMessage(buf, EnrolRequest.codec(), opts)
  }
}

export interface EnrolResponse {
  certificate: Uint8Array
  trustBundle: Uint8Array
  revocationLists: Uint8Array[]
}

export namespace EnrolResponse {
  let _codec: Codec<EnrolResponse>

  export const codec = (): Codec<EnrolResponse> => {
    if (_codec == null) {
      _codec = message<EnrolResponse>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.certificate != null && obj.certificate.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.certificate)
        }

        if ((obj.trustBundle != null && obj.trustBundle.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.trustBundle)
        }

        if (obj.revocationLists != null && obj.revocationLists.length > 0) {
          for (const value of obj.revocationLists) {
            w.uint32(26)
            w.bytes(value)
          }
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          certificate: uint8ArrayAlloc(0),
          trustBundle: uint8ArrayAlloc(0),
          revocationLists: []
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.certificate = reader.bytes()
              break
            }
            case 2: {
              obj.trustBundle = reader.bytes()
              break
            }
            case 3: {
              if (opts.limits?.revocationLists != null && obj.revocationLists.length === opts.limits.revocationLists) {
                throw new MaxLengthError('Decode error - repeated field "revocationLists" had too many elements')
              }

              if (obj.revocationLists.length === 256) {
                throw new MaxLengthError('Decode error - repeated field "revocationLists" had too many elements')
              }

              obj.revocationLists.push(reader.bytes())
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
        const obj = {
          revocationLists: 256
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.certificate`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.trustBundle`,
                value: reader.bytes()
              }
              break
            }
            case 3: {
              if (opts.limits?.revocationLists != null && obj.revocationLists === opts.limits.revocationLists) {
                throw new MaxLengthError('Streaming decode error - repeated field "revocationLists" had too many elements')
              }

              if (obj.revocationLists === 256) {
                throw new MaxLengthError('Streaming decode error - repeated field "revocationLists" had too many elements')
              }

              yield {
                field: `${prefix}.revocationLists[]`,
                index: obj.revocationLists,
                value: reader.bytes()
              }

              obj.revocationLists++

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

  export interface EnrolResponseCertificateFieldEvent {
    field: '$.certificate'
    value: Uint8Array
  }

  export interface EnrolResponseTrustBundleFieldEvent {
    field: '$.trustBundle'
    value: Uint8Array
  }

  export interface EnrolResponseRevocationListsFieldEvent {
    field: '$.revocationLists[]'
    index: number
    value: Uint8Array
  }

  export function encode (obj: Partial<EnrolResponse>): Uint8Array {
    return encodeMessage(obj, EnrolResponse.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<EnrolResponse>): EnrolResponse {
    return decodeMessage(buf, EnrolResponse.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<EnrolResponse>): Generator<EnrolResponseCertificateFieldEvent | EnrolResponseTrustBundleFieldEvent | EnrolResponseRevocationListsFieldEvent> {
    return streamMessage(buf, EnrolResponse.codec(), opts)
  }
}

export interface UploadKeyPackages {
  keyPackages: Uint8Array[]
  lastResort: Uint8Array
}

export namespace UploadKeyPackages {
  let _codec: Codec<UploadKeyPackages>

  export const codec = (): Codec<UploadKeyPackages> => {
    if (_codec == null) {
      _codec = message<UploadKeyPackages>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.keyPackages != null && obj.keyPackages.length > 0) {
          for (const value of obj.keyPackages) {
            w.uint32(10)
            w.bytes(value)
          }
        }

        if ((obj.lastResort != null && obj.lastResort.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.lastResort)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          keyPackages: [],
          lastResort: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              if (opts.limits?.keyPackages != null && obj.keyPackages.length === opts.limits.keyPackages) {
                throw new MaxLengthError('Decode error - repeated field "keyPackages" had too many elements')
              }

              if (obj.keyPackages.length === 256) {
                throw new MaxLengthError('Decode error - repeated field "keyPackages" had too many elements')
              }

              obj.keyPackages.push(reader.bytes())
              break
            }
            case 2: {
              obj.lastResort = reader.bytes()
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
        const obj = {
          keyPackages: 256
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              if (opts.limits?.keyPackages != null && obj.keyPackages === opts.limits.keyPackages) {
                throw new MaxLengthError('Streaming decode error - repeated field "keyPackages" had too many elements')
              }

              if (obj.keyPackages === 256) {
                throw new MaxLengthError('Streaming decode error - repeated field "keyPackages" had too many elements')
              }

              yield {
                field: `${prefix}.keyPackages[]`,
                index: obj.keyPackages,
                value: reader.bytes()
              }

              obj.keyPackages++

              break
            }
            case 2: {
              yield {
                field: `${prefix}.lastResort`,
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

  export interface UploadKeyPackagesKeyPackagesFieldEvent {
    field: '$.keyPackages[]'
    index: number
    value: Uint8Array
  }

  export interface UploadKeyPackagesLastResortFieldEvent {
    field: '$.lastResort'
    value: Uint8Array
  }

  export function encode (obj: Partial<UploadKeyPackages>): Uint8Array {
    return encodeMessage(obj, UploadKeyPackages.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<UploadKeyPackages>): UploadKeyPackages {
    return decodeMessage(buf, UploadKeyPackages.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<UploadKeyPackages>): Generator<UploadKeyPackagesKeyPackagesFieldEvent | UploadKeyPackagesLastResortFieldEvent> {
    return streamMessage(buf, UploadKeyPackages.codec(), opts)
  }
}

export interface UploadKeyPackagesResult {
  stock: number
}

export namespace UploadKeyPackagesResult {
  let _codec: Codec<UploadKeyPackagesResult>

  export const codec = (): Codec<UploadKeyPackagesResult> => {
    if (_codec == null) {
      _codec = message<UploadKeyPackagesResult>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.stock != null && obj.stock !== 0)) {
          w.uint32(8)
          w.uint32(obj.stock)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          stock: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.stock = reader.uint32()
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
                field: `${prefix}.stock`,
                value: reader.uint32()
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

  export interface UploadKeyPackagesResultStockFieldEvent {
    field: '$.stock'
    value: number
  }

  export function encode (obj: Partial<UploadKeyPackagesResult>): Uint8Array {
    return encodeMessage(obj, UploadKeyPackagesResult.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<UploadKeyPackagesResult>): UploadKeyPackagesResult {
    return decodeMessage(buf, UploadKeyPackagesResult.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<UploadKeyPackagesResult>): Generator<UploadKeyPackagesResultStockFieldEvent> {
    return streamMessage(buf, UploadKeyPackagesResult.codec(), opts)
  }
}

export interface FetchKeyPackage {
  handle?: string
  devicePublicKey?: Uint8Array
}

export namespace FetchKeyPackage {
  let _codec: Codec<FetchKeyPackage>

  export const codec = (): Codec<FetchKeyPackage> => {
    if (_codec == null) {
      _codec = message<FetchKeyPackage>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        obj = { ...obj }

        if (obj.devicePublicKey != null) {
          obj.handle = undefined
        }

        if (obj.handle != null) {
          obj.devicePublicKey = undefined
        }

        if (obj.handle != null) {
          w.uint32(10)
          w.string(obj.handle)
        }

        if (obj.devicePublicKey != null) {
          w.uint32(18)
          w.bytes(obj.devicePublicKey)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {}

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.handle = reader.string()
              break
            }
            case 2: {
              obj.devicePublicKey = reader.bytes()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        if (obj.devicePublicKey != null) {
          delete obj.handle
        }

        if (obj.handle != null) {
          delete obj.devicePublicKey
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.handle`,
                value: reader.string()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.devicePublicKey`,
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

  export interface FetchKeyPackageHandleFieldEvent {
    field: '$.handle'
    value: string
  }

  export interface FetchKeyPackageDevicePublicKeyFieldEvent {
    field: '$.devicePublicKey'
    value: Uint8Array
  }

  export function encode (obj: Partial<FetchKeyPackage>): Uint8Array {
    return encodeMessage(obj, FetchKeyPackage.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<FetchKeyPackage>): FetchKeyPackage {
    return decodeMessage(buf, FetchKeyPackage.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<FetchKeyPackage>): Generator<FetchKeyPackageHandleFieldEvent | FetchKeyPackageDevicePublicKeyFieldEvent> {
    return streamMessage(buf, FetchKeyPackage.codec(), opts)
  }
}

export interface DeviceKeyPackage {
  devicePublicKey: Uint8Array
  keyPackage: Uint8Array
  lastResort: boolean
}

export namespace DeviceKeyPackage {
  let _codec: Codec<DeviceKeyPackage>

  export const codec = (): Codec<DeviceKeyPackage> => {
    if (_codec == null) {
      _codec = message<DeviceKeyPackage>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.devicePublicKey != null && obj.devicePublicKey.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.devicePublicKey)
        }

        if ((obj.keyPackage != null && obj.keyPackage.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.keyPackage)
        }

        if ((obj.lastResort != null && obj.lastResort !== false)) {
          w.uint32(24)
          w.bool(obj.lastResort)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          devicePublicKey: uint8ArrayAlloc(0),
          keyPackage: uint8ArrayAlloc(0),
          lastResort: false
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.devicePublicKey = reader.bytes()
              break
            }
            case 2: {
              obj.keyPackage = reader.bytes()
              break
            }
            case 3: {
              obj.lastResort = reader.bool()
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
                field: `${prefix}.devicePublicKey`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.keyPackage`,
                value: reader.bytes()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.lastResort`,
                value: reader.bool()
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

  export interface DeviceKeyPackageDevicePublicKeyFieldEvent {
    field: '$.devicePublicKey'
    value: Uint8Array
  }

  export interface DeviceKeyPackageKeyPackageFieldEvent {
    field: '$.keyPackage'
    value: Uint8Array
  }

  export interface DeviceKeyPackageLastResortFieldEvent {
    field: '$.lastResort'
    value: boolean
  }

  export function encode (obj: Partial<DeviceKeyPackage>): Uint8Array {
    return encodeMessage(obj, DeviceKeyPackage.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<DeviceKeyPackage>): DeviceKeyPackage {
    return decodeMessage(buf, DeviceKeyPackage.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<DeviceKeyPackage>): Generator<DeviceKeyPackageDevicePublicKeyFieldEvent | DeviceKeyPackageKeyPackageFieldEvent | DeviceKeyPackageLastResortFieldEvent> {
    return streamMessage(buf, DeviceKeyPackage.codec(), opts)
  }
}

export interface FetchKeyPackageResult {
  packages: DeviceKeyPackage[]
}

export namespace FetchKeyPackageResult {
  let _codec: Codec<FetchKeyPackageResult>

  export const codec = (): Codec<FetchKeyPackageResult> => {
    if (_codec == null) {
      _codec = message<FetchKeyPackageResult>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.packages != null && obj.packages.length > 0) {
          for (const value of obj.packages) {
            w.uint32(10)
            DeviceKeyPackage.codec().encode(value, w)
          }
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          packages: []
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              if (opts.limits?.packages != null && obj.packages.length === opts.limits.packages) {
                throw new MaxLengthError('Decode error - repeated field "packages" had too many elements')
              }

              if (obj.packages.length === 64) {
                throw new MaxLengthError('Decode error - repeated field "packages" had too many elements')
              }

              obj.packages.push(DeviceKeyPackage.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.packages$
              }))
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
        const obj = {
          packages: 64
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              if (opts.limits?.packages != null && obj.packages === opts.limits.packages) {
                throw new MaxLengthError('Streaming decode error - repeated field "packages" had too many elements')
              }

              if (obj.packages === 64) {
                throw new MaxLengthError('Streaming decode error - repeated field "packages" had too many elements')
              }

              for (const evt of DeviceKeyPackage.codec().stream(reader, reader.uint32(), `${prefix}.packages[]`, {
                limits: opts.limits?.packages$
              })) {
                yield {
                  ...evt,
                  index: obj.packages
                }
              }

              obj.packages++

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

  export interface FetchKeyPackageResultPackagesDevicePublicKeyFieldEvent {
    field: '$.packages[].devicePublicKey'
    value: Uint8Array
    index: number
  }

  export interface FetchKeyPackageResultPackagesKeyPackageFieldEvent {
    field: '$.packages[].keyPackage'
    value: Uint8Array
    index: number
  }

  export interface FetchKeyPackageResultPackagesLastResortFieldEvent {
    field: '$.packages[].lastResort'
    value: boolean
    index: number
  }

  export function encode (obj: Partial<FetchKeyPackageResult>): Uint8Array {
    return encodeMessage(obj, FetchKeyPackageResult.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<FetchKeyPackageResult>): FetchKeyPackageResult {
    return decodeMessage(buf, FetchKeyPackageResult.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<FetchKeyPackageResult>): Generator<FetchKeyPackageResultPackagesDevicePublicKeyFieldEvent | FetchKeyPackageResultPackagesKeyPackageFieldEvent | FetchKeyPackageResultPackagesLastResortFieldEvent> {
    return streamMessage(buf, FetchKeyPackageResult.codec(), opts)
  }
}

export interface SubmitCommit {
  groupId: Uint8Array
  epoch: number
  envelope: Uint8Array
  leavingLeaves: number[]
  welcomeHash: Uint8Array
  registration: Uint8Array
}

export namespace SubmitCommit {
  let _codec: Codec<SubmitCommit>

  export const codec = (): Codec<SubmitCommit> => {
    if (_codec == null) {
      _codec = message<SubmitCommit>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.groupId != null && obj.groupId.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.groupId)
        }

        if ((obj.epoch != null && obj.epoch !== 0)) {
          w.uint32(16)
          w.uint64Number(obj.epoch)
        }

        if ((obj.envelope != null && obj.envelope.byteLength > 0)) {
          w.uint32(26)
          w.bytes(obj.envelope)
        }

        if (obj.leavingLeaves != null && obj.leavingLeaves.length > 0) {
          for (const value of obj.leavingLeaves) {
            w.uint32(40)
            w.uint32(value)
          }
        }

        if ((obj.welcomeHash != null && obj.welcomeHash.byteLength > 0)) {
          w.uint32(50)
          w.bytes(obj.welcomeHash)
        }

        if ((obj.registration != null && obj.registration.byteLength > 0)) {
          w.uint32(66)
          w.bytes(obj.registration)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          groupId: uint8ArrayAlloc(0),
          epoch: 0,
          envelope: uint8ArrayAlloc(0),
          leavingLeaves: [],
          welcomeHash: uint8ArrayAlloc(0),
          registration: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.groupId = reader.bytes()
              break
            }
            case 2: {
              obj.epoch = reader.uint64Number()
              break
            }
            case 3: {
              obj.envelope = reader.bytes()
              break
            }
            case 5: {
              if (opts.limits?.leavingLeaves != null && obj.leavingLeaves.length === opts.limits.leavingLeaves) {
                throw new MaxLengthError('Decode error - repeated field "leavingLeaves" had too many elements')
              }

              if (obj.leavingLeaves.length === 1024) {
                throw new MaxLengthError('Decode error - repeated field "leavingLeaves" had too many elements')
              }

              obj.leavingLeaves.push(reader.uint32())
              break
            }
            case 6: {
              obj.welcomeHash = reader.bytes()
              break
            }
            case 8: {
              obj.registration = reader.bytes()
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
        const obj = {
          leavingLeaves: 1024
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.groupId`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.epoch`,
                value: reader.uint64Number()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.envelope`,
                value: reader.bytes()
              }
              break
            }
            case 5: {
              if (opts.limits?.leavingLeaves != null && obj.leavingLeaves === opts.limits.leavingLeaves) {
                throw new MaxLengthError('Streaming decode error - repeated field "leavingLeaves" had too many elements')
              }

              if (obj.leavingLeaves === 1024) {
                throw new MaxLengthError('Streaming decode error - repeated field "leavingLeaves" had too many elements')
              }

              yield {
                field: `${prefix}.leavingLeaves[]`,
                index: obj.leavingLeaves,
                value: reader.uint32()
              }

              obj.leavingLeaves++

              break
            }
            case 6: {
              yield {
                field: `${prefix}.welcomeHash`,
                value: reader.bytes()
              }
              break
            }
            case 8: {
              yield {
                field: `${prefix}.registration`,
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

  export interface SubmitCommitGroupIdFieldEvent {
    field: '$.groupId'
    value: Uint8Array
  }

  export interface SubmitCommitEpochFieldEvent {
    field: '$.epoch'
    value: number
  }

  export interface SubmitCommitEnvelopeFieldEvent {
    field: '$.envelope'
    value: Uint8Array
  }

  export interface SubmitCommitLeavingLeavesFieldEvent {
    field: '$.leavingLeaves[]'
    index: number
    value: number
  }

  export interface SubmitCommitWelcomeHashFieldEvent {
    field: '$.welcomeHash'
    value: Uint8Array
  }

  export interface SubmitCommitRegistrationFieldEvent {
    field: '$.registration'
    value: Uint8Array
  }

  export function encode (obj: Partial<SubmitCommit>): Uint8Array {
    return encodeMessage(obj, SubmitCommit.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SubmitCommit>): SubmitCommit {
    return decodeMessage(buf, SubmitCommit.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SubmitCommit>): Generator<SubmitCommitGroupIdFieldEvent | SubmitCommitEpochFieldEvent | SubmitCommitEnvelopeFieldEvent | SubmitCommitLeavingLeavesFieldEvent | SubmitCommitWelcomeHashFieldEvent | SubmitCommitRegistrationFieldEvent> {
    return streamMessage(buf, SubmitCommit.codec(), opts)
  }
}

export interface SubmitCommitResult {
  accepted: boolean
  sequence: number
  winner: Uint8Array
  ack: Uint8Array
}

export namespace SubmitCommitResult {
  let _codec: Codec<SubmitCommitResult>

  export const codec = (): Codec<SubmitCommitResult> => {
    if (_codec == null) {
      _codec = message<SubmitCommitResult>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.accepted != null && obj.accepted !== false)) {
          w.uint32(8)
          w.bool(obj.accepted)
        }

        if ((obj.sequence != null && obj.sequence !== 0)) {
          w.uint32(16)
          w.uint64Number(obj.sequence)
        }

        if ((obj.winner != null && obj.winner.byteLength > 0)) {
          w.uint32(26)
          w.bytes(obj.winner)
        }

        if ((obj.ack != null && obj.ack.byteLength > 0)) {
          w.uint32(42)
          w.bytes(obj.ack)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          accepted: false,
          sequence: 0,
          winner: uint8ArrayAlloc(0),
          ack: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.accepted = reader.bool()
              break
            }
            case 2: {
              obj.sequence = reader.uint64Number()
              break
            }
            case 3: {
              obj.winner = reader.bytes()
              break
            }
            case 5: {
              obj.ack = reader.bytes()
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
                field: `${prefix}.accepted`,
                value: reader.bool()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.sequence`,
                value: reader.uint64Number()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.winner`,
                value: reader.bytes()
              }
              break
            }
            case 5: {
              yield {
                field: `${prefix}.ack`,
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

  export interface SubmitCommitResultAcceptedFieldEvent {
    field: '$.accepted'
    value: boolean
  }

  export interface SubmitCommitResultSequenceFieldEvent {
    field: '$.sequence'
    value: number
  }

  export interface SubmitCommitResultWinnerFieldEvent {
    field: '$.winner'
    value: Uint8Array
  }

  export interface SubmitCommitResultAckFieldEvent {
    field: '$.ack'
    value: Uint8Array
  }

  export function encode (obj: Partial<SubmitCommitResult>): Uint8Array {
    return encodeMessage(obj, SubmitCommitResult.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SubmitCommitResult>): SubmitCommitResult {
    return decodeMessage(buf, SubmitCommitResult.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SubmitCommitResult>): Generator<SubmitCommitResultAcceptedFieldEvent | SubmitCommitResultSequenceFieldEvent | SubmitCommitResultWinnerFieldEvent | SubmitCommitResultAckFieldEvent> {
    return streamMessage(buf, SubmitCommitResult.codec(), opts)
  }
}

export interface ErrorResponse {
  name: string
  message: string
}

export namespace ErrorResponse {
  let _codec: Codec<ErrorResponse>

  export const codec = (): Codec<ErrorResponse> => {
    if (_codec == null) {
      _codec = message<ErrorResponse>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.name != null && obj.name !== '')) {
          w.uint32(10)
          w.string(obj.name)
        }

        if ((obj.message != null && obj.message !== '')) {
          w.uint32(18)
          w.string(obj.message)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          name: '',
          message: ''
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.name = reader.string()
              break
            }
            case 2: {
              obj.message = reader.string()
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
                field: `${prefix}.name`,
                value: reader.string()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.message`,
                value: reader.string()
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

  export interface ErrorResponseNameFieldEvent {
    field: '$.name'
    value: string
  }

  export interface ErrorResponseMessageFieldEvent {
    field: '$.message'
    value: string
  }

  export function encode (obj: Partial<ErrorResponse>): Uint8Array {
    return encodeMessage(obj, ErrorResponse.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ErrorResponse>): ErrorResponse {
    return decodeMessage(buf, ErrorResponse.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ErrorResponse>): Generator<ErrorResponseNameFieldEvent | ErrorResponseMessageFieldEvent> {
    return streamMessage(buf, ErrorResponse.codec(), opts)
  }
}

export interface Request {
  registerTopics?: RegisterTopics
  deposit?: Deposit
  query?: Query
  enrol?: EnrolRequest
  uploadKeyPackages?: UploadKeyPackages
  fetchKeyPackage?: FetchKeyPackage
  submitCommit?: SubmitCommit
}

export namespace Request {
  let _codec: Codec<Request>

  export const codec = (): Codec<Request> => {
    if (_codec == null) {
      _codec = message<Request>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        obj = { ...obj }

        if (obj.submitCommit != null) {
          obj.fetchKeyPackage = undefined
          obj.uploadKeyPackages = undefined
          obj.enrol = undefined
          obj.query = undefined
          obj.deposit = undefined
          obj.registerTopics = undefined
        }

        if (obj.fetchKeyPackage != null) {
          obj.submitCommit = undefined
          obj.uploadKeyPackages = undefined
          obj.enrol = undefined
          obj.query = undefined
          obj.deposit = undefined
          obj.registerTopics = undefined
        }

        if (obj.uploadKeyPackages != null) {
          obj.submitCommit = undefined
          obj.fetchKeyPackage = undefined
          obj.enrol = undefined
          obj.query = undefined
          obj.deposit = undefined
          obj.registerTopics = undefined
        }

        if (obj.enrol != null) {
          obj.submitCommit = undefined
          obj.fetchKeyPackage = undefined
          obj.uploadKeyPackages = undefined
          obj.query = undefined
          obj.deposit = undefined
          obj.registerTopics = undefined
        }

        if (obj.query != null) {
          obj.submitCommit = undefined
          obj.fetchKeyPackage = undefined
          obj.uploadKeyPackages = undefined
          obj.enrol = undefined
          obj.deposit = undefined
          obj.registerTopics = undefined
        }

        if (obj.deposit != null) {
          obj.submitCommit = undefined
          obj.fetchKeyPackage = undefined
          obj.uploadKeyPackages = undefined
          obj.enrol = undefined
          obj.query = undefined
          obj.registerTopics = undefined
        }

        if (obj.registerTopics != null) {
          obj.submitCommit = undefined
          obj.fetchKeyPackage = undefined
          obj.uploadKeyPackages = undefined
          obj.enrol = undefined
          obj.query = undefined
          obj.deposit = undefined
        }

        if (obj.registerTopics != null) {
          w.uint32(10)
          RegisterTopics.codec().encode(obj.registerTopics, w)
        }

        if (obj.deposit != null) {
          w.uint32(18)
          Deposit.codec().encode(obj.deposit, w)
        }

        if (obj.query != null) {
          w.uint32(26)
          Query.codec().encode(obj.query, w)
        }

        if (obj.enrol != null) {
          w.uint32(82)
          EnrolRequest.codec().encode(obj.enrol, w)
        }

        if (obj.uploadKeyPackages != null) {
          w.uint32(162)
          UploadKeyPackages.codec().encode(obj.uploadKeyPackages, w)
        }

        if (obj.fetchKeyPackage != null) {
          w.uint32(170)
          FetchKeyPackage.codec().encode(obj.fetchKeyPackage, w)
        }

        if (obj.submitCommit != null) {
          w.uint32(242)
          SubmitCommit.codec().encode(obj.submitCommit, w)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {}

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.registerTopics = RegisterTopics.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.registerTopics
              })
              break
            }
            case 2: {
              obj.deposit = Deposit.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.deposit
              })
              break
            }
            case 3: {
              obj.query = Query.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.query
              })
              break
            }
            case 10: {
              obj.enrol = EnrolRequest.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.enrol
              })
              break
            }
            case 20: {
              obj.uploadKeyPackages = UploadKeyPackages.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.uploadKeyPackages
              })
              break
            }
            case 21: {
              obj.fetchKeyPackage = FetchKeyPackage.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.fetchKeyPackage
              })
              break
            }
            case 30: {
              obj.submitCommit = SubmitCommit.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.submitCommit
              })
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        if (obj.submitCommit != null) {
          delete obj.fetchKeyPackage
          delete obj.uploadKeyPackages
          delete obj.enrol
          delete obj.query
          delete obj.deposit
          delete obj.registerTopics
        }

        if (obj.fetchKeyPackage != null) {
          delete obj.submitCommit
          delete obj.uploadKeyPackages
          delete obj.enrol
          delete obj.query
          delete obj.deposit
          delete obj.registerTopics
        }

        if (obj.uploadKeyPackages != null) {
          delete obj.submitCommit
          delete obj.fetchKeyPackage
          delete obj.enrol
          delete obj.query
          delete obj.deposit
          delete obj.registerTopics
        }

        if (obj.enrol != null) {
          delete obj.submitCommit
          delete obj.fetchKeyPackage
          delete obj.uploadKeyPackages
          delete obj.query
          delete obj.deposit
          delete obj.registerTopics
        }

        if (obj.query != null) {
          delete obj.submitCommit
          delete obj.fetchKeyPackage
          delete obj.uploadKeyPackages
          delete obj.enrol
          delete obj.deposit
          delete obj.registerTopics
        }

        if (obj.deposit != null) {
          delete obj.submitCommit
          delete obj.fetchKeyPackage
          delete obj.uploadKeyPackages
          delete obj.enrol
          delete obj.query
          delete obj.registerTopics
        }

        if (obj.registerTopics != null) {
          delete obj.submitCommit
          delete obj.fetchKeyPackage
          delete obj.uploadKeyPackages
          delete obj.enrol
          delete obj.query
          delete obj.deposit
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield * RegisterTopics.codec().stream(reader, reader.uint32(), `${prefix}.registerTopics`, {
                limits: opts.limits?.registerTopics
              })

              break
            }
            case 2: {
              yield * Deposit.codec().stream(reader, reader.uint32(), `${prefix}.deposit`, {
                limits: opts.limits?.deposit
              })

              break
            }
            case 3: {
              yield * Query.codec().stream(reader, reader.uint32(), `${prefix}.query`, {
                limits: opts.limits?.query
              })

              break
            }
            case 10: {
              yield * EnrolRequest.codec().stream(reader, reader.uint32(), `${prefix}.enrol`, {
                limits: opts.limits?.enrol
              })

              break
            }
            case 20: {
              yield * UploadKeyPackages.codec().stream(reader, reader.uint32(), `${prefix}.uploadKeyPackages`, {
                limits: opts.limits?.uploadKeyPackages
              })

              break
            }
            case 21: {
              yield * FetchKeyPackage.codec().stream(reader, reader.uint32(), `${prefix}.fetchKeyPackage`, {
                limits: opts.limits?.fetchKeyPackage
              })

              break
            }
            case 30: {
              yield * SubmitCommit.codec().stream(reader, reader.uint32(), `${prefix}.submitCommit`, {
                limits: opts.limits?.submitCommit
              })

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

  export interface RequestRegisterTopicsBodyFieldEvent {
    field: '$.registerTopics.body'
    value: Uint8Array
  }

  export interface RequestRegisterTopicsSignatureFieldEvent {
    field: '$.registerTopics.signature'
    value: Uint8Array
  }

  export interface RequestDepositEnvelopeFieldEvent {
    field: '$.deposit.envelope'
    value: Uint8Array
  }

  export interface RequestQueryTopicFieldEvent {
    field: '$.query.topic'
    value: string
  }

  export interface RequestQueryAfterSequenceFieldEvent {
    field: '$.query.afterSequence'
    value: number
  }

  export interface RequestQueryLimitFieldEvent {
    field: '$.query.limit'
    value: number
  }

  export interface RequestQueryMaxBytesFieldEvent {
    field: '$.query.maxBytes'
    value: number
  }

  export interface RequestEnrolInviteSecretFieldEvent {
    field: '$.enrol.inviteSecret'
    value: Uint8Array
  }

  export interface RequestEnrolDevicePublicKeyFieldEvent {
    field: '$.enrol.devicePublicKey'
    value: Uint8Array
  }

  export interface RequestEnrolMlsSignatureKeyFieldEvent {
    field: '$.enrol.mlsSignatureKey'
    value: Uint8Array
  }

  export interface RequestEnrolProofFieldEvent {
    field: '$.enrol.proof'
    value: Uint8Array
  }

  export interface RequestUploadKeyPackagesKeyPackagesFieldEvent {
    field: '$.uploadKeyPackages.keyPackages[]'
    index: number
    value: Uint8Array
  }

  export interface RequestUploadKeyPackagesLastResortFieldEvent {
    field: '$.uploadKeyPackages.lastResort'
    value: Uint8Array
  }

  export interface RequestFetchKeyPackageHandleFieldEvent {
    field: '$.fetchKeyPackage.handle'
    value: string
  }

  export interface RequestFetchKeyPackageDevicePublicKeyFieldEvent {
    field: '$.fetchKeyPackage.devicePublicKey'
    value: Uint8Array
  }

  export interface RequestSubmitCommitGroupIdFieldEvent {
    field: '$.submitCommit.groupId'
    value: Uint8Array
  }

  export interface RequestSubmitCommitEpochFieldEvent {
    field: '$.submitCommit.epoch'
    value: number
  }

  export interface RequestSubmitCommitEnvelopeFieldEvent {
    field: '$.submitCommit.envelope'
    value: Uint8Array
  }

  export interface RequestSubmitCommitLeavingLeavesFieldEvent {
    field: '$.submitCommit.leavingLeaves[]'
    index: number
    value: number
  }

  export interface RequestSubmitCommitWelcomeHashFieldEvent {
    field: '$.submitCommit.welcomeHash'
    value: Uint8Array
  }

  export interface RequestSubmitCommitRegistrationFieldEvent {
    field: '$.submitCommit.registration'
    value: Uint8Array
  }

  export function encode (obj: Partial<Request>): Uint8Array {
    return encodeMessage(obj, Request.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Request>): Request {
    return decodeMessage(buf, Request.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Request>): Generator<RequestRegisterTopicsBodyFieldEvent | RequestRegisterTopicsSignatureFieldEvent | RequestDepositEnvelopeFieldEvent | RequestQueryTopicFieldEvent | RequestQueryAfterSequenceFieldEvent | RequestQueryLimitFieldEvent | RequestQueryMaxBytesFieldEvent | RequestEnrolInviteSecretFieldEvent | RequestEnrolDevicePublicKeyFieldEvent | RequestEnrolMlsSignatureKeyFieldEvent | RequestEnrolProofFieldEvent | RequestUploadKeyPackagesKeyPackagesFieldEvent | RequestUploadKeyPackagesLastResortFieldEvent | RequestFetchKeyPackageHandleFieldEvent | RequestFetchKeyPackageDevicePublicKeyFieldEvent | RequestSubmitCommitGroupIdFieldEvent | RequestSubmitCommitEpochFieldEvent | RequestSubmitCommitEnvelopeFieldEvent | RequestSubmitCommitLeavingLeavesFieldEvent | RequestSubmitCommitWelcomeHashFieldEvent | RequestSubmitCommitRegistrationFieldEvent> {
    return streamMessage(buf, Request.codec(), opts)
  }
}

export interface Response {
  error?: ErrorResponse
  registerTopics?: RegisterTopicsResult
  deposit?: DepositResult
  query?: QueryPage
  enrol?: EnrolResponse
  uploadKeyPackages?: UploadKeyPackagesResult
  fetchKeyPackage?: FetchKeyPackageResult
  submitCommit?: SubmitCommitResult
}

export namespace Response {
  let _codec: Codec<Response>

  export const codec = (): Codec<Response> => {
    if (_codec == null) {
      _codec = message<Response>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        obj = { ...obj }

        if (obj.submitCommit != null) {
          obj.fetchKeyPackage = undefined
          obj.uploadKeyPackages = undefined
          obj.enrol = undefined
          obj.query = undefined
          obj.deposit = undefined
          obj.registerTopics = undefined
          obj.error = undefined
        }

        if (obj.fetchKeyPackage != null) {
          obj.submitCommit = undefined
          obj.uploadKeyPackages = undefined
          obj.enrol = undefined
          obj.query = undefined
          obj.deposit = undefined
          obj.registerTopics = undefined
          obj.error = undefined
        }

        if (obj.uploadKeyPackages != null) {
          obj.submitCommit = undefined
          obj.fetchKeyPackage = undefined
          obj.enrol = undefined
          obj.query = undefined
          obj.deposit = undefined
          obj.registerTopics = undefined
          obj.error = undefined
        }

        if (obj.enrol != null) {
          obj.submitCommit = undefined
          obj.fetchKeyPackage = undefined
          obj.uploadKeyPackages = undefined
          obj.query = undefined
          obj.deposit = undefined
          obj.registerTopics = undefined
          obj.error = undefined
        }

        if (obj.query != null) {
          obj.submitCommit = undefined
          obj.fetchKeyPackage = undefined
          obj.uploadKeyPackages = undefined
          obj.enrol = undefined
          obj.deposit = undefined
          obj.registerTopics = undefined
          obj.error = undefined
        }

        if (obj.deposit != null) {
          obj.submitCommit = undefined
          obj.fetchKeyPackage = undefined
          obj.uploadKeyPackages = undefined
          obj.enrol = undefined
          obj.query = undefined
          obj.registerTopics = undefined
          obj.error = undefined
        }

        if (obj.registerTopics != null) {
          obj.submitCommit = undefined
          obj.fetchKeyPackage = undefined
          obj.uploadKeyPackages = undefined
          obj.enrol = undefined
          obj.query = undefined
          obj.deposit = undefined
          obj.error = undefined
        }

        if (obj.error != null) {
          obj.submitCommit = undefined
          obj.fetchKeyPackage = undefined
          obj.uploadKeyPackages = undefined
          obj.enrol = undefined
          obj.query = undefined
          obj.deposit = undefined
          obj.registerTopics = undefined
        }

        if (obj.error != null) {
          w.uint32(10)
          ErrorResponse.codec().encode(obj.error, w)
        }

        if (obj.registerTopics != null) {
          w.uint32(18)
          RegisterTopicsResult.codec().encode(obj.registerTopics, w)
        }

        if (obj.deposit != null) {
          w.uint32(26)
          DepositResult.codec().encode(obj.deposit, w)
        }

        if (obj.query != null) {
          w.uint32(34)
          QueryPage.codec().encode(obj.query, w)
        }

        if (obj.enrol != null) {
          w.uint32(82)
          EnrolResponse.codec().encode(obj.enrol, w)
        }

        if (obj.uploadKeyPackages != null) {
          w.uint32(162)
          UploadKeyPackagesResult.codec().encode(obj.uploadKeyPackages, w)
        }

        if (obj.fetchKeyPackage != null) {
          w.uint32(170)
          FetchKeyPackageResult.codec().encode(obj.fetchKeyPackage, w)
        }

        if (obj.submitCommit != null) {
          w.uint32(242)
          SubmitCommitResult.codec().encode(obj.submitCommit, w)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {}

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.error = ErrorResponse.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.error
              })
              break
            }
            case 2: {
              obj.registerTopics = RegisterTopicsResult.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.registerTopics
              })
              break
            }
            case 3: {
              obj.deposit = DepositResult.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.deposit
              })
              break
            }
            case 4: {
              obj.query = QueryPage.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.query
              })
              break
            }
            case 10: {
              obj.enrol = EnrolResponse.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.enrol
              })
              break
            }
            case 20: {
              obj.uploadKeyPackages = UploadKeyPackagesResult.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.uploadKeyPackages
              })
              break
            }
            case 21: {
              obj.fetchKeyPackage = FetchKeyPackageResult.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.fetchKeyPackage
              })
              break
            }
            case 30: {
              obj.submitCommit = SubmitCommitResult.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.submitCommit
              })
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        if (obj.submitCommit != null) {
          delete obj.fetchKeyPackage
          delete obj.uploadKeyPackages
          delete obj.enrol
          delete obj.query
          delete obj.deposit
          delete obj.registerTopics
          delete obj.error
        }

        if (obj.fetchKeyPackage != null) {
          delete obj.submitCommit
          delete obj.uploadKeyPackages
          delete obj.enrol
          delete obj.query
          delete obj.deposit
          delete obj.registerTopics
          delete obj.error
        }

        if (obj.uploadKeyPackages != null) {
          delete obj.submitCommit
          delete obj.fetchKeyPackage
          delete obj.enrol
          delete obj.query
          delete obj.deposit
          delete obj.registerTopics
          delete obj.error
        }

        if (obj.enrol != null) {
          delete obj.submitCommit
          delete obj.fetchKeyPackage
          delete obj.uploadKeyPackages
          delete obj.query
          delete obj.deposit
          delete obj.registerTopics
          delete obj.error
        }

        if (obj.query != null) {
          delete obj.submitCommit
          delete obj.fetchKeyPackage
          delete obj.uploadKeyPackages
          delete obj.enrol
          delete obj.deposit
          delete obj.registerTopics
          delete obj.error
        }

        if (obj.deposit != null) {
          delete obj.submitCommit
          delete obj.fetchKeyPackage
          delete obj.uploadKeyPackages
          delete obj.enrol
          delete obj.query
          delete obj.registerTopics
          delete obj.error
        }

        if (obj.registerTopics != null) {
          delete obj.submitCommit
          delete obj.fetchKeyPackage
          delete obj.uploadKeyPackages
          delete obj.enrol
          delete obj.query
          delete obj.deposit
          delete obj.error
        }

        if (obj.error != null) {
          delete obj.submitCommit
          delete obj.fetchKeyPackage
          delete obj.uploadKeyPackages
          delete obj.enrol
          delete obj.query
          delete obj.deposit
          delete obj.registerTopics
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield * ErrorResponse.codec().stream(reader, reader.uint32(), `${prefix}.error`, {
                limits: opts.limits?.error
              })

              break
            }
            case 2: {
              yield * RegisterTopicsResult.codec().stream(reader, reader.uint32(), `${prefix}.registerTopics`, {
                limits: opts.limits?.registerTopics
              })

              break
            }
            case 3: {
              yield * DepositResult.codec().stream(reader, reader.uint32(), `${prefix}.deposit`, {
                limits: opts.limits?.deposit
              })

              break
            }
            case 4: {
              yield * QueryPage.codec().stream(reader, reader.uint32(), `${prefix}.query`, {
                limits: opts.limits?.query
              })

              break
            }
            case 10: {
              yield * EnrolResponse.codec().stream(reader, reader.uint32(), `${prefix}.enrol`, {
                limits: opts.limits?.enrol
              })

              break
            }
            case 20: {
              yield * UploadKeyPackagesResult.codec().stream(reader, reader.uint32(), `${prefix}.uploadKeyPackages`, {
                limits: opts.limits?.uploadKeyPackages
              })

              break
            }
            case 21: {
              yield * FetchKeyPackageResult.codec().stream(reader, reader.uint32(), `${prefix}.fetchKeyPackage`, {
                limits: opts.limits?.fetchKeyPackage
              })

              break
            }
            case 30: {
              yield * SubmitCommitResult.codec().stream(reader, reader.uint32(), `${prefix}.submitCommit`, {
                limits: opts.limits?.submitCommit
              })

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

  export interface ResponseErrorNameFieldEvent {
    field: '$.error.name'
    value: string
  }

  export interface ResponseErrorMessageFieldEvent {
    field: '$.error.message'
    value: string
  }

  export interface ResponseRegisterTopicsTopicsFieldEvent {
    field: '$.registerTopics.topics'
    value: number
  }

  export interface ResponseDepositReceiptFieldEvent {
    field: '$.deposit.receipt'
    value: Uint8Array
  }

  export interface ResponseDepositSequenceFieldEvent {
    field: '$.deposit.sequence'
    value: number
  }

  export interface ResponseDepositDuplicateFieldEvent {
    field: '$.deposit.duplicate'
    value: boolean
  }

  export interface ResponseQueryEntriesSequenceFieldEvent {
    field: '$.query.entries[].sequence'
    value: number
    index: number
  }

  export interface ResponseQueryEntriesEnvelopeFieldEvent {
    field: '$.query.entries[].envelope'
    value: Uint8Array
    index: number
  }

  export interface ResponseQueryNextAfterSequenceFieldEvent {
    field: '$.query.nextAfterSequence'
    value: number
  }

  export interface ResponseQueryHasMoreFieldEvent {
    field: '$.query.hasMore'
    value: boolean
  }

  export interface ResponseEnrolCertificateFieldEvent {
    field: '$.enrol.certificate'
    value: Uint8Array
  }

  export interface ResponseEnrolTrustBundleFieldEvent {
    field: '$.enrol.trustBundle'
    value: Uint8Array
  }

  export interface ResponseEnrolRevocationListsFieldEvent {
    field: '$.enrol.revocationLists[]'
    index: number
    value: Uint8Array
  }

  export interface ResponseUploadKeyPackagesStockFieldEvent {
    field: '$.uploadKeyPackages.stock'
    value: number
  }

  export interface ResponseFetchKeyPackagePackagesDevicePublicKeyFieldEvent {
    field: '$.fetchKeyPackage.packages[].devicePublicKey'
    value: Uint8Array
    index: number
  }

  export interface ResponseFetchKeyPackagePackagesKeyPackageFieldEvent {
    field: '$.fetchKeyPackage.packages[].keyPackage'
    value: Uint8Array
    index: number
  }

  export interface ResponseFetchKeyPackagePackagesLastResortFieldEvent {
    field: '$.fetchKeyPackage.packages[].lastResort'
    value: boolean
    index: number
  }

  export interface ResponseSubmitCommitAcceptedFieldEvent {
    field: '$.submitCommit.accepted'
    value: boolean
  }

  export interface ResponseSubmitCommitSequenceFieldEvent {
    field: '$.submitCommit.sequence'
    value: number
  }

  export interface ResponseSubmitCommitWinnerFieldEvent {
    field: '$.submitCommit.winner'
    value: Uint8Array
  }

  export interface ResponseSubmitCommitAckFieldEvent {
    field: '$.submitCommit.ack'
    value: Uint8Array
  }

  export function encode (obj: Partial<Response>): Uint8Array {
    return encodeMessage(obj, Response.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Response>): Response {
    return decodeMessage(buf, Response.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Response>): Generator<ResponseErrorNameFieldEvent | ResponseErrorMessageFieldEvent | ResponseRegisterTopicsTopicsFieldEvent | ResponseDepositReceiptFieldEvent | ResponseDepositSequenceFieldEvent | ResponseDepositDuplicateFieldEvent | ResponseQueryEntriesSequenceFieldEvent | ResponseQueryEntriesEnvelopeFieldEvent | ResponseQueryNextAfterSequenceFieldEvent | ResponseQueryHasMoreFieldEvent | ResponseEnrolCertificateFieldEvent | ResponseEnrolTrustBundleFieldEvent | ResponseEnrolRevocationListsFieldEvent | ResponseUploadKeyPackagesStockFieldEvent | ResponseFetchKeyPackagePackagesDevicePublicKeyFieldEvent | ResponseFetchKeyPackagePackagesKeyPackageFieldEvent | ResponseFetchKeyPackagePackagesLastResortFieldEvent | ResponseSubmitCommitAcceptedFieldEvent | ResponseSubmitCommitSequenceFieldEvent | ResponseSubmitCommitWinnerFieldEvent | ResponseSubmitCommitAckFieldEvent> {
    return streamMessage(buf, Response.codec(), opts)
  }
}
