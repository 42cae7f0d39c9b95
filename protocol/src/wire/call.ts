import { decodeMessage, encodeMessage, enumeration, MaxLengthError, message, streamMessage } from 'protons-runtime'
import { alloc as uint8ArrayAlloc } from 'uint8arrays/alloc'
import type { Codec, DecodeOptions } from 'protons-runtime'
import type { Uint8ArrayList } from 'uint8arraylist'

export interface CallSignal {
  type: CallSignal.Type
  conversationId: string
  callId: Uint8Array
  epoch: string
  video: boolean
  sdp: string
  reason: string
  joined: Uint8Array[]
}

export namespace CallSignal {
  export enum Type {
    RING = 'RING',
    JOIN = 'JOIN',
    DECLINE = 'DECLINE',
    LEAVE = 'LEAVE',
    OFFER = 'OFFER',
    ANSWER = 'ANSWER'
  }

  enum __TypeValues {
    RING = 0,
    JOIN = 1,
    DECLINE = 2,
    LEAVE = 3,
    OFFER = 4,
    ANSWER = 5
  }

  export namespace Type {
    export const codec = (): Codec<Type> => {
      return enumeration<Type>(__TypeValues)
    }
  }

  let _codec: Codec<CallSignal>

  export const codec = (): Codec<CallSignal> => {
    if (_codec == null) {
      _codec = message<CallSignal>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.type != null && __TypeValues[obj.type] !== 0) {
          w.uint32(8)
          CallSignal.Type.codec().encode(obj.type, w)
        }

        if ((obj.conversationId != null && obj.conversationId !== '')) {
          w.uint32(18)
          w.string(obj.conversationId)
        }

        if ((obj.callId != null && obj.callId.byteLength > 0)) {
          w.uint32(26)
          w.bytes(obj.callId)
        }

        if ((obj.epoch != null && obj.epoch !== '')) {
          w.uint32(34)
          w.string(obj.epoch)
        }

        if ((obj.video != null && obj.video !== false)) {
          w.uint32(40)
          w.bool(obj.video)
        }

        if ((obj.sdp != null && obj.sdp !== '')) {
          w.uint32(50)
          w.string(obj.sdp)
        }

        if ((obj.reason != null && obj.reason !== '')) {
          w.uint32(82)
          w.string(obj.reason)
        }

        if (obj.joined != null && obj.joined.length > 0) {
          for (const value of obj.joined) {
            w.uint32(90)
            w.bytes(value)
          }
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          type: Type.RING,
          conversationId: '',
          callId: uint8ArrayAlloc(0),
          epoch: '',
          video: false,
          sdp: '',
          reason: '',
          joined: []
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.type = CallSignal.Type.codec().decode(reader)
              break
            }
            case 2: {
              obj.conversationId = reader.string()
              break
            }
            case 3: {
              obj.callId = reader.bytes()
              break
            }
            case 4: {
              obj.epoch = reader.string()
              break
            }
            case 5: {
              obj.video = reader.bool()
              break
            }
            case 6: {
              obj.sdp = reader.string()
              break
            }
            case 10: {
              obj.reason = reader.string()
              break
            }
            case 11: {
              if (opts.limits?.joined != null && obj.joined.length === opts.limits.joined) {
                throw new MaxLengthError('Decode error - repeated field "joined" had too many elements')
              }

              if (obj.joined.length === 4) {
                throw new MaxLengthError('Decode error - repeated field "joined" had too many elements')
              }

              obj.joined.push(reader.bytes())
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
          joined: 4
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.type`,
                value: CallSignal.Type.codec().decode(reader)
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.conversationId`,
                value: reader.string()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.callId`,
                value: reader.bytes()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.epoch`,
                value: reader.string()
              }
              break
            }
            case 5: {
              yield {
                field: `${prefix}.video`,
                value: reader.bool()
              }
              break
            }
            case 6: {
              yield {
                field: `${prefix}.sdp`,
                value: reader.string()
              }
              break
            }
            case 10: {
              yield {
                field: `${prefix}.reason`,
                value: reader.string()
              }
              break
            }
            case 11: {
              if (opts.limits?.joined != null && obj.joined === opts.limits.joined) {
                throw new MaxLengthError('Streaming decode error - repeated field "joined" had too many elements')
              }

              if (obj.joined === 4) {
                throw new MaxLengthError('Streaming decode error - repeated field "joined" had too many elements')
              }

              yield {
                field: `${prefix}.joined[]`,
                index: obj.joined,
                value: reader.bytes()
              }

              obj.joined++

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

  export interface CallSignalTypeFieldEvent {
    field: '$.type'
    value: CallSignal.Type
  }

  export interface CallSignalConversationIdFieldEvent {
    field: '$.conversationId'
    value: string
  }

  export interface CallSignalCallIdFieldEvent {
    field: '$.callId'
    value: Uint8Array
  }

  export interface CallSignalEpochFieldEvent {
    field: '$.epoch'
    value: string
  }

  export interface CallSignalVideoFieldEvent {
    field: '$.video'
    value: boolean
  }

  export interface CallSignalSdpFieldEvent {
    field: '$.sdp'
    value: string
  }

  export interface CallSignalReasonFieldEvent {
    field: '$.reason'
    value: string
  }

  export interface CallSignalJoinedFieldEvent {
    field: '$.joined[]'
    index: number
    value: Uint8Array
  }

  export function encode (obj: Partial<CallSignal>): Uint8Array {
    return encodeMessage(obj, CallSignal.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<CallSignal>): CallSignal {
    return decodeMessage(buf, CallSignal.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<CallSignal>): Generator<CallSignalTypeFieldEvent | CallSignalConversationIdFieldEvent | CallSignalCallIdFieldEvent | CallSignalEpochFieldEvent | CallSignalVideoFieldEvent | CallSignalSdpFieldEvent | CallSignalReasonFieldEvent | CallSignalJoinedFieldEvent> {
    return streamMessage(buf, CallSignal.codec(), opts)
  }
}
