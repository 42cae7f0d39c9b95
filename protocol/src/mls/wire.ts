import { decodeMessage, encodeMessage, MaxLengthError, message, streamMessage } from 'protons-runtime'
import { alloc as uint8ArrayAlloc } from 'uint8arrays/alloc'
import type { Codec, DecodeOptions } from 'protons-runtime'
import type { Uint8ArrayList } from 'uint8arraylist'

export interface GroupPolicy {
  version: number
  sequencer: string
  admins: Uint8Array[]
  idSalt: Uint8Array
}

export namespace GroupPolicy {
  let _codec: Codec<GroupPolicy>

  export const codec = (): Codec<GroupPolicy> => {
    if (_codec == null) {
      _codec = message<GroupPolicy>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.version != null && obj.version !== 0)) {
          w.uint32(8)
          w.uint32(obj.version)
        }

        if ((obj.sequencer != null && obj.sequencer !== '')) {
          w.uint32(18)
          w.string(obj.sequencer)
        }

        if (obj.admins != null && obj.admins.length > 0) {
          for (const value of obj.admins) {
            w.uint32(26)
            w.bytes(value)
          }
        }

        if ((obj.idSalt != null && obj.idSalt.byteLength > 0)) {
          w.uint32(34)
          w.bytes(obj.idSalt)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          version: 0,
          sequencer: '',
          admins: [],
          idSalt: uint8ArrayAlloc(0)
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
              obj.sequencer = reader.string()
              break
            }
            case 3: {
              if (opts.limits?.admins != null && obj.admins.length === opts.limits.admins) {
                throw new MaxLengthError('Decode error - repeated field "admins" had too many elements')
              }

              if (obj.admins.length === 64) {
                throw new MaxLengthError('Decode error - repeated field "admins" had too many elements')
              }

              obj.admins.push(reader.bytes())
              break
            }
            case 4: {
              obj.idSalt = reader.bytes()
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
          admins: 64
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
                field: `${prefix}.sequencer`,
                value: reader.string()
              }
              break
            }
            case 3: {
              if (opts.limits?.admins != null && obj.admins === opts.limits.admins) {
                throw new MaxLengthError('Streaming decode error - repeated field "admins" had too many elements')
              }

              if (obj.admins === 64) {
                throw new MaxLengthError('Streaming decode error - repeated field "admins" had too many elements')
              }

              yield {
                field: `${prefix}.admins[]`,
                index: obj.admins,
                value: reader.bytes()
              }

              obj.admins++

              break
            }
            case 4: {
              yield {
                field: `${prefix}.idSalt`,
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

  export interface GroupPolicyVersionFieldEvent {
    field: '$.version'
    value: number
  }

  export interface GroupPolicySequencerFieldEvent {
    field: '$.sequencer'
    value: string
  }

  export interface GroupPolicyAdminsFieldEvent {
    field: '$.admins[]'
    index: number
    value: Uint8Array
  }

  export interface GroupPolicyIdSaltFieldEvent {
    field: '$.idSalt'
    value: Uint8Array
  }

  export function encode (obj: Partial<GroupPolicy>): Uint8Array {
    return encodeMessage(obj, GroupPolicy.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<GroupPolicy>): GroupPolicy {
    return decodeMessage(buf, GroupPolicy.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<GroupPolicy>): Generator<GroupPolicyVersionFieldEvent | GroupPolicySequencerFieldEvent | GroupPolicyAdminsFieldEvent | GroupPolicyIdSaltFieldEvent> {
    return streamMessage(buf, GroupPolicy.codec(), opts)
  }
}
