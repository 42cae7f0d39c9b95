import { decodeMessage, encodeMessage, enumeration, MaxLengthError, message, streamMessage } from 'protons-runtime'
import { alloc as uint8ArrayAlloc } from 'uint8arrays/alloc'
import type { Codec, DecodeOptions } from 'protons-runtime'
import type { Uint8ArrayList } from 'uint8arraylist'

export enum HistoryKind {
  HISTORY_KIND_UNSPECIFIED = 'HISTORY_KIND_UNSPECIFIED',
  HISTORY_TEXT = 'HISTORY_TEXT',
  HISTORY_SYSTEM = 'HISTORY_SYSTEM',
  HISTORY_FILE = 'HISTORY_FILE'
}

enum __HistoryKindValues {
  HISTORY_KIND_UNSPECIFIED = 0,
  HISTORY_TEXT = 1,
  HISTORY_SYSTEM = 2,
  HISTORY_FILE = 3
}

export namespace HistoryKind {
  export const codec = (): Codec<HistoryKind> => {
    return enumeration<HistoryKind>(__HistoryKindValues)
  }
}

export interface HistorySender {
  handle: string
  displayName: string
  title: string
  department: string
  deviceKey: string
}

export namespace HistorySender {
  let _codec: Codec<HistorySender>

  export const codec = (): Codec<HistorySender> => {
    if (_codec == null) {
      _codec = message<HistorySender>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.handle != null && obj.handle !== '')) {
          w.uint32(10)
          w.string(obj.handle)
        }

        if ((obj.displayName != null && obj.displayName !== '')) {
          w.uint32(18)
          w.string(obj.displayName)
        }

        if ((obj.title != null && obj.title !== '')) {
          w.uint32(26)
          w.string(obj.title)
        }

        if ((obj.department != null && obj.department !== '')) {
          w.uint32(34)
          w.string(obj.department)
        }

        if ((obj.deviceKey != null && obj.deviceKey !== '')) {
          w.uint32(42)
          w.string(obj.deviceKey)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          handle: '',
          displayName: '',
          title: '',
          department: '',
          deviceKey: ''
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.handle = reader.string()
              break
            }
            case 2: {
              obj.displayName = reader.string()
              break
            }
            case 3: {
              obj.title = reader.string()
              break
            }
            case 4: {
              obj.department = reader.string()
              break
            }
            case 5: {
              obj.deviceKey = reader.string()
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
                field: `${prefix}.handle`,
                value: reader.string()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.displayName`,
                value: reader.string()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.title`,
                value: reader.string()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.department`,
                value: reader.string()
              }
              break
            }
            case 5: {
              yield {
                field: `${prefix}.deviceKey`,
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

  export interface HistorySenderHandleFieldEvent {
    field: '$.handle'
    value: string
  }

  export interface HistorySenderDisplayNameFieldEvent {
    field: '$.displayName'
    value: string
  }

  export interface HistorySenderTitleFieldEvent {
    field: '$.title'
    value: string
  }

  export interface HistorySenderDepartmentFieldEvent {
    field: '$.department'
    value: string
  }

  export interface HistorySenderDeviceKeyFieldEvent {
    field: '$.deviceKey'
    value: string
  }

  export function encode (obj: Partial<HistorySender>): Uint8Array {
    return encodeMessage(obj, HistorySender.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<HistorySender>): HistorySender {
    return decodeMessage(buf, HistorySender.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<HistorySender>): Generator<HistorySenderHandleFieldEvent | HistorySenderDisplayNameFieldEvent | HistorySenderTitleFieldEvent | HistorySenderDepartmentFieldEvent | HistorySenderDeviceKeyFieldEvent> {
    return streamMessage(buf, HistorySender.codec(), opts)
  }
}

export interface HistoryMessage {
  id: string
  sender?: HistorySender
  officersOwn: boolean
  kind: HistoryKind
  text: string
  sentAt: number
  replyToId: string
  replyToText: string
  replyToSender: string
  editedAt: number
  deletedAt: number
  directiveIssuedAt: number
  directiveDeadline: number
  precedence: number
  expiresAt: number
  file: Uint8Array
}

export namespace HistoryMessage {
  let _codec: Codec<HistoryMessage>

  export const codec = (): Codec<HistoryMessage> => {
    if (_codec == null) {
      _codec = message<HistoryMessage>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.id != null && obj.id !== '')) {
          w.uint32(10)
          w.string(obj.id)
        }

        if (obj.sender != null) {
          w.uint32(18)
          HistorySender.codec().encode(obj.sender, w)
        }

        if ((obj.officersOwn != null && obj.officersOwn !== false)) {
          w.uint32(24)
          w.bool(obj.officersOwn)
        }

        if (obj.kind != null && __HistoryKindValues[obj.kind] !== 0) {
          w.uint32(32)
          HistoryKind.codec().encode(obj.kind, w)
        }

        if ((obj.text != null && obj.text !== '')) {
          w.uint32(42)
          w.string(obj.text)
        }

        if ((obj.sentAt != null && obj.sentAt !== 0)) {
          w.uint32(48)
          w.uint64Number(obj.sentAt)
        }

        if ((obj.replyToId != null && obj.replyToId !== '')) {
          w.uint32(58)
          w.string(obj.replyToId)
        }

        if ((obj.replyToText != null && obj.replyToText !== '')) {
          w.uint32(66)
          w.string(obj.replyToText)
        }

        if ((obj.replyToSender != null && obj.replyToSender !== '')) {
          w.uint32(74)
          w.string(obj.replyToSender)
        }

        if ((obj.editedAt != null && obj.editedAt !== 0)) {
          w.uint32(80)
          w.uint64Number(obj.editedAt)
        }

        if ((obj.deletedAt != null && obj.deletedAt !== 0)) {
          w.uint32(88)
          w.uint64Number(obj.deletedAt)
        }

        if ((obj.directiveIssuedAt != null && obj.directiveIssuedAt !== 0)) {
          w.uint32(96)
          w.uint64Number(obj.directiveIssuedAt)
        }

        if ((obj.directiveDeadline != null && obj.directiveDeadline !== 0)) {
          w.uint32(104)
          w.uint64Number(obj.directiveDeadline)
        }

        if ((obj.precedence != null && obj.precedence !== 0)) {
          w.uint32(112)
          w.uint32(obj.precedence)
        }

        if ((obj.expiresAt != null && obj.expiresAt !== 0)) {
          w.uint32(120)
          w.uint64Number(obj.expiresAt)
        }

        if ((obj.file != null && obj.file.byteLength > 0)) {
          w.uint32(130)
          w.bytes(obj.file)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          id: '',
          officersOwn: false,
          kind: HistoryKind.HISTORY_KIND_UNSPECIFIED,
          text: '',
          sentAt: 0,
          replyToId: '',
          replyToText: '',
          replyToSender: '',
          editedAt: 0,
          deletedAt: 0,
          directiveIssuedAt: 0,
          directiveDeadline: 0,
          precedence: 0,
          expiresAt: 0,
          file: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.id = reader.string()
              break
            }
            case 2: {
              obj.sender = HistorySender.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.sender
              })
              break
            }
            case 3: {
              obj.officersOwn = reader.bool()
              break
            }
            case 4: {
              obj.kind = HistoryKind.codec().decode(reader)
              break
            }
            case 5: {
              obj.text = reader.string()
              break
            }
            case 6: {
              obj.sentAt = reader.uint64Number()
              break
            }
            case 7: {
              obj.replyToId = reader.string()
              break
            }
            case 8: {
              obj.replyToText = reader.string()
              break
            }
            case 9: {
              obj.replyToSender = reader.string()
              break
            }
            case 10: {
              obj.editedAt = reader.uint64Number()
              break
            }
            case 11: {
              obj.deletedAt = reader.uint64Number()
              break
            }
            case 12: {
              obj.directiveIssuedAt = reader.uint64Number()
              break
            }
            case 13: {
              obj.directiveDeadline = reader.uint64Number()
              break
            }
            case 14: {
              obj.precedence = reader.uint32()
              break
            }
            case 15: {
              obj.expiresAt = reader.uint64Number()
              break
            }
            case 16: {
              obj.file = reader.bytes()
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
                field: `${prefix}.id`,
                value: reader.string()
              }
              break
            }
            case 2: {
              yield * HistorySender.codec().stream(reader, reader.uint32(), `${prefix}.sender`, {
                limits: opts.limits?.sender
              })

              break
            }
            case 3: {
              yield {
                field: `${prefix}.officersOwn`,
                value: reader.bool()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.kind`,
                value: HistoryKind.codec().decode(reader)
              }
              break
            }
            case 5: {
              yield {
                field: `${prefix}.text`,
                value: reader.string()
              }
              break
            }
            case 6: {
              yield {
                field: `${prefix}.sentAt`,
                value: reader.uint64Number()
              }
              break
            }
            case 7: {
              yield {
                field: `${prefix}.replyToId`,
                value: reader.string()
              }
              break
            }
            case 8: {
              yield {
                field: `${prefix}.replyToText`,
                value: reader.string()
              }
              break
            }
            case 9: {
              yield {
                field: `${prefix}.replyToSender`,
                value: reader.string()
              }
              break
            }
            case 10: {
              yield {
                field: `${prefix}.editedAt`,
                value: reader.uint64Number()
              }
              break
            }
            case 11: {
              yield {
                field: `${prefix}.deletedAt`,
                value: reader.uint64Number()
              }
              break
            }
            case 12: {
              yield {
                field: `${prefix}.directiveIssuedAt`,
                value: reader.uint64Number()
              }
              break
            }
            case 13: {
              yield {
                field: `${prefix}.directiveDeadline`,
                value: reader.uint64Number()
              }
              break
            }
            case 14: {
              yield {
                field: `${prefix}.precedence`,
                value: reader.uint32()
              }
              break
            }
            case 15: {
              yield {
                field: `${prefix}.expiresAt`,
                value: reader.uint64Number()
              }
              break
            }
            case 16: {
              yield {
                field: `${prefix}.file`,
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

  export interface HistoryMessageIdFieldEvent {
    field: '$.id'
    value: string
  }

  export interface HistoryMessageSenderHandleFieldEvent {
    field: '$.sender.handle'
    value: string
  }

  export interface HistoryMessageSenderDisplayNameFieldEvent {
    field: '$.sender.displayName'
    value: string
  }

  export interface HistoryMessageSenderTitleFieldEvent {
    field: '$.sender.title'
    value: string
  }

  export interface HistoryMessageSenderDepartmentFieldEvent {
    field: '$.sender.department'
    value: string
  }

  export interface HistoryMessageSenderDeviceKeyFieldEvent {
    field: '$.sender.deviceKey'
    value: string
  }

  export interface HistoryMessageOfficersOwnFieldEvent {
    field: '$.officersOwn'
    value: boolean
  }

  export interface HistoryMessageKindFieldEvent {
    field: '$.kind'
    value: HistoryKind
  }

  export interface HistoryMessageTextFieldEvent {
    field: '$.text'
    value: string
  }

  export interface HistoryMessageSentAtFieldEvent {
    field: '$.sentAt'
    value: number
  }

  export interface HistoryMessageReplyToIdFieldEvent {
    field: '$.replyToId'
    value: string
  }

  export interface HistoryMessageReplyToTextFieldEvent {
    field: '$.replyToText'
    value: string
  }

  export interface HistoryMessageReplyToSenderFieldEvent {
    field: '$.replyToSender'
    value: string
  }

  export interface HistoryMessageEditedAtFieldEvent {
    field: '$.editedAt'
    value: number
  }

  export interface HistoryMessageDeletedAtFieldEvent {
    field: '$.deletedAt'
    value: number
  }

  export interface HistoryMessageDirectiveIssuedAtFieldEvent {
    field: '$.directiveIssuedAt'
    value: number
  }

  export interface HistoryMessageDirectiveDeadlineFieldEvent {
    field: '$.directiveDeadline'
    value: number
  }

  export interface HistoryMessagePrecedenceFieldEvent {
    field: '$.precedence'
    value: number
  }

  export interface HistoryMessageExpiresAtFieldEvent {
    field: '$.expiresAt'
    value: number
  }

  export interface HistoryMessageFileFieldEvent {
    field: '$.file'
    value: Uint8Array
  }

  export function encode (obj: Partial<HistoryMessage>): Uint8Array {
    return encodeMessage(obj, HistoryMessage.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<HistoryMessage>): HistoryMessage {
    return decodeMessage(buf, HistoryMessage.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<HistoryMessage>): Generator<HistoryMessageIdFieldEvent | HistoryMessageSenderHandleFieldEvent | HistoryMessageSenderDisplayNameFieldEvent | HistoryMessageSenderTitleFieldEvent | HistoryMessageSenderDepartmentFieldEvent | HistoryMessageSenderDeviceKeyFieldEvent | HistoryMessageOfficersOwnFieldEvent | HistoryMessageKindFieldEvent | HistoryMessageTextFieldEvent | HistoryMessageSentAtFieldEvent | HistoryMessageReplyToIdFieldEvent | HistoryMessageReplyToTextFieldEvent | HistoryMessageReplyToSenderFieldEvent | HistoryMessageEditedAtFieldEvent | HistoryMessageDeletedAtFieldEvent | HistoryMessageDirectiveIssuedAtFieldEvent | HistoryMessageDirectiveDeadlineFieldEvent | HistoryMessagePrecedenceFieldEvent | HistoryMessageExpiresAtFieldEvent | HistoryMessageFileFieldEvent> {
    return streamMessage(buf, HistoryMessage.codec(), opts)
  }
}

export interface HistoryPart {
  version: number
  conversationId: string
  part: number
  parts: number
  messagesTotal: number
  messages: HistoryMessage[]
}

export namespace HistoryPart {
  let _codec: Codec<HistoryPart>

  export const codec = (): Codec<HistoryPart> => {
    if (_codec == null) {
      _codec = message<HistoryPart>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.version != null && obj.version !== 0)) {
          w.uint32(8)
          w.uint32(obj.version)
        }

        if ((obj.conversationId != null && obj.conversationId !== '')) {
          w.uint32(18)
          w.string(obj.conversationId)
        }

        if ((obj.part != null && obj.part !== 0)) {
          w.uint32(24)
          w.uint32(obj.part)
        }

        if ((obj.parts != null && obj.parts !== 0)) {
          w.uint32(32)
          w.uint32(obj.parts)
        }

        if ((obj.messagesTotal != null && obj.messagesTotal !== 0)) {
          w.uint32(40)
          w.uint32(obj.messagesTotal)
        }

        if (obj.messages != null && obj.messages.length > 0) {
          for (const value of obj.messages) {
            w.uint32(50)
            HistoryMessage.codec().encode(value, w)
          }
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          version: 0,
          conversationId: '',
          part: 0,
          parts: 0,
          messagesTotal: 0,
          messages: []
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
              obj.conversationId = reader.string()
              break
            }
            case 3: {
              obj.part = reader.uint32()
              break
            }
            case 4: {
              obj.parts = reader.uint32()
              break
            }
            case 5: {
              obj.messagesTotal = reader.uint32()
              break
            }
            case 6: {
              if (opts.limits?.messages != null && obj.messages.length === opts.limits.messages) {
                throw new MaxLengthError('Decode error - repeated field "messages" had too many elements')
              }

              if (obj.messages.length === 256) {
                throw new MaxLengthError('Decode error - repeated field "messages" had too many elements')
              }

              obj.messages.push(HistoryMessage.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.messages$
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
          messages: 256
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
                field: `${prefix}.conversationId`,
                value: reader.string()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.part`,
                value: reader.uint32()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.parts`,
                value: reader.uint32()
              }
              break
            }
            case 5: {
              yield {
                field: `${prefix}.messagesTotal`,
                value: reader.uint32()
              }
              break
            }
            case 6: {
              if (opts.limits?.messages != null && obj.messages === opts.limits.messages) {
                throw new MaxLengthError('Streaming decode error - repeated field "messages" had too many elements')
              }

              if (obj.messages === 256) {
                throw new MaxLengthError('Streaming decode error - repeated field "messages" had too many elements')
              }

              for (const evt of HistoryMessage.codec().stream(reader, reader.uint32(), `${prefix}.messages[]`, {
                limits: opts.limits?.messages$
              })) {
                yield {
                  ...evt,
                  index: obj.messages
                }
              }

              obj.messages++

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

  export interface HistoryPartVersionFieldEvent {
    field: '$.version'
    value: number
  }

  export interface HistoryPartConversationIdFieldEvent {
    field: '$.conversationId'
    value: string
  }

  export interface HistoryPartPartFieldEvent {
    field: '$.part'
    value: number
  }

  export interface HistoryPartPartsFieldEvent {
    field: '$.parts'
    value: number
  }

  export interface HistoryPartMessagesTotalFieldEvent {
    field: '$.messagesTotal'
    value: number
  }

  export interface HistoryPartMessagesIdFieldEvent {
    field: '$.messages[].id'
    value: string
    index: number
  }

  export interface HistoryPartMessagesSenderHandleFieldEvent {
    field: '$.messages[].sender.handle'
    value: string
    index: number
  }

  export interface HistoryPartMessagesSenderDisplayNameFieldEvent {
    field: '$.messages[].sender.displayName'
    value: string
    index: number
  }

  export interface HistoryPartMessagesSenderTitleFieldEvent {
    field: '$.messages[].sender.title'
    value: string
    index: number
  }

  export interface HistoryPartMessagesSenderDepartmentFieldEvent {
    field: '$.messages[].sender.department'
    value: string
    index: number
  }

  export interface HistoryPartMessagesSenderDeviceKeyFieldEvent {
    field: '$.messages[].sender.deviceKey'
    value: string
    index: number
  }

  export interface HistoryPartMessagesOfficersOwnFieldEvent {
    field: '$.messages[].officersOwn'
    value: boolean
    index: number
  }

  export interface HistoryPartMessagesKindFieldEvent {
    field: '$.messages[].kind'
    value: HistoryKind
    index: number
  }

  export interface HistoryPartMessagesTextFieldEvent {
    field: '$.messages[].text'
    value: string
    index: number
  }

  export interface HistoryPartMessagesSentAtFieldEvent {
    field: '$.messages[].sentAt'
    value: number
    index: number
  }

  export interface HistoryPartMessagesReplyToIdFieldEvent {
    field: '$.messages[].replyToId'
    value: string
    index: number
  }

  export interface HistoryPartMessagesReplyToTextFieldEvent {
    field: '$.messages[].replyToText'
    value: string
    index: number
  }

  export interface HistoryPartMessagesReplyToSenderFieldEvent {
    field: '$.messages[].replyToSender'
    value: string
    index: number
  }

  export interface HistoryPartMessagesEditedAtFieldEvent {
    field: '$.messages[].editedAt'
    value: number
    index: number
  }

  export interface HistoryPartMessagesDeletedAtFieldEvent {
    field: '$.messages[].deletedAt'
    value: number
    index: number
  }

  export interface HistoryPartMessagesDirectiveIssuedAtFieldEvent {
    field: '$.messages[].directiveIssuedAt'
    value: number
    index: number
  }

  export interface HistoryPartMessagesDirectiveDeadlineFieldEvent {
    field: '$.messages[].directiveDeadline'
    value: number
    index: number
  }

  export interface HistoryPartMessagesPrecedenceFieldEvent {
    field: '$.messages[].precedence'
    value: number
    index: number
  }

  export interface HistoryPartMessagesExpiresAtFieldEvent {
    field: '$.messages[].expiresAt'
    value: number
    index: number
  }

  export interface HistoryPartMessagesFileFieldEvent {
    field: '$.messages[].file'
    value: Uint8Array
    index: number
  }

  export function encode (obj: Partial<HistoryPart>): Uint8Array {
    return encodeMessage(obj, HistoryPart.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<HistoryPart>): HistoryPart {
    return decodeMessage(buf, HistoryPart.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<HistoryPart>): Generator<HistoryPartVersionFieldEvent | HistoryPartConversationIdFieldEvent | HistoryPartPartFieldEvent | HistoryPartPartsFieldEvent | HistoryPartMessagesTotalFieldEvent | HistoryPartMessagesIdFieldEvent | HistoryPartMessagesSenderHandleFieldEvent | HistoryPartMessagesSenderDisplayNameFieldEvent | HistoryPartMessagesSenderTitleFieldEvent | HistoryPartMessagesSenderDepartmentFieldEvent | HistoryPartMessagesSenderDeviceKeyFieldEvent | HistoryPartMessagesOfficersOwnFieldEvent | HistoryPartMessagesKindFieldEvent | HistoryPartMessagesTextFieldEvent | HistoryPartMessagesSentAtFieldEvent | HistoryPartMessagesReplyToIdFieldEvent | HistoryPartMessagesReplyToTextFieldEvent | HistoryPartMessagesReplyToSenderFieldEvent | HistoryPartMessagesEditedAtFieldEvent | HistoryPartMessagesDeletedAtFieldEvent | HistoryPartMessagesDirectiveIssuedAtFieldEvent | HistoryPartMessagesDirectiveDeadlineFieldEvent | HistoryPartMessagesPrecedenceFieldEvent | HistoryPartMessagesExpiresAtFieldEvent | HistoryPartMessagesFileFieldEvent> {
    return streamMessage(buf, HistoryPart.codec(), opts)
  }
}

export interface SealedHistoryPart {
  requestId: Uint8Array
  enc: Uint8Array
  ciphertext: Uint8Array
}

export namespace SealedHistoryPart {
  let _codec: Codec<SealedHistoryPart>

  export const codec = (): Codec<SealedHistoryPart> => {
    if (_codec == null) {
      _codec = message<SealedHistoryPart>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.requestId != null && obj.requestId.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.requestId)
        }

        if ((obj.enc != null && obj.enc.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.enc)
        }

        if ((obj.ciphertext != null && obj.ciphertext.byteLength > 0)) {
          w.uint32(26)
          w.bytes(obj.ciphertext)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          requestId: uint8ArrayAlloc(0),
          enc: uint8ArrayAlloc(0),
          ciphertext: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.requestId = reader.bytes()
              break
            }
            case 2: {
              obj.enc = reader.bytes()
              break
            }
            case 3: {
              obj.ciphertext = reader.bytes()
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
                field: `${prefix}.requestId`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.enc`,
                value: reader.bytes()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.ciphertext`,
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

  export interface SealedHistoryPartRequestIdFieldEvent {
    field: '$.requestId'
    value: Uint8Array
  }

  export interface SealedHistoryPartEncFieldEvent {
    field: '$.enc'
    value: Uint8Array
  }

  export interface SealedHistoryPartCiphertextFieldEvent {
    field: '$.ciphertext'
    value: Uint8Array
  }

  export function encode (obj: Partial<SealedHistoryPart>): Uint8Array {
    return encodeMessage(obj, SealedHistoryPart.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SealedHistoryPart>): SealedHistoryPart {
    return decodeMessage(buf, SealedHistoryPart.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SealedHistoryPart>): Generator<SealedHistoryPartRequestIdFieldEvent | SealedHistoryPartEncFieldEvent | SealedHistoryPartCiphertextFieldEvent> {
    return streamMessage(buf, SealedHistoryPart.codec(), opts)
  }
}
