import { decodeMessage, encodeMessage, enumeration, MaxLengthError, message, streamMessage } from 'protons-runtime'
import { alloc as uint8ArrayAlloc } from 'uint8arrays/alloc'
import type { Codec, DecodeOptions } from 'protons-runtime'
import type { Uint8ArrayList } from 'uint8arraylist'

export enum ContentKind {
  CONTENT_KIND_UNSPECIFIED = 'CONTENT_KIND_UNSPECIFIED',
  TEXT = 'TEXT',
  RECEIPT = 'RECEIPT',
  DIRECTIVE = 'DIRECTIVE',
  INFO = 'INFO',
  EDIT = 'EDIT',
  DELETE = 'DELETE',
  DIRECTIVE_ACK = 'DIRECTIVE_ACK',
  FILE = 'FILE',
  TIMER = 'TIMER',
  DEVICE_VOUCH = 'DEVICE_VOUCH',
  HISTORY_REQUEST = 'HISTORY_REQUEST',
  DEVICE_DISOWN = 'DEVICE_DISOWN'
}

enum __ContentKindValues {
  CONTENT_KIND_UNSPECIFIED = 0,
  TEXT = 1,
  RECEIPT = 2,
  DIRECTIVE = 3,
  INFO = 4,
  EDIT = 20,
  DELETE = 21,
  DIRECTIVE_ACK = 22,
  FILE = 23,
  TIMER = 30,
  DEVICE_VOUCH = 40,
  HISTORY_REQUEST = 41,
  DEVICE_DISOWN = 42
}

export namespace ContentKind {
  export const codec = (): Codec<ContentKind> => {
    return enumeration<ContentKind>(__ContentKindValues)
  }
}

export enum Precedence {
  ROUTINE = 'ROUTINE',
  IMMEDIATE = 'IMMEDIATE',
  FLASH = 'FLASH'
}

enum __PrecedenceValues {
  ROUTINE = 0,
  IMMEDIATE = 1,
  FLASH = 2
}

export namespace Precedence {
  export const codec = (): Codec<Precedence> => {
    return enumeration<Precedence>(__PrecedenceValues)
  }
}

export enum ReceiptType {
  RECEIPT_TYPE_UNSPECIFIED = 'RECEIPT_TYPE_UNSPECIFIED',
  DELIVERED = 'DELIVERED',
  READ = 'READ'
}

enum __ReceiptTypeValues {
  RECEIPT_TYPE_UNSPECIFIED = 0,
  DELIVERED = 1,
  READ = 2
}

export namespace ReceiptType {
  export const codec = (): Codec<ReceiptType> => {
    return enumeration<ReceiptType>(__ReceiptTypeValues)
  }
}

export interface Receipt {
  type: ReceiptType
  messageIds: Uint8Array[]
  at: number
}

export namespace Receipt {
  let _codec: Codec<Receipt>

  export const codec = (): Codec<Receipt> => {
    if (_codec == null) {
      _codec = message<Receipt>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.type != null && __ReceiptTypeValues[obj.type] !== 0) {
          w.uint32(8)
          ReceiptType.codec().encode(obj.type, w)
        }

        if (obj.messageIds != null && obj.messageIds.length > 0) {
          for (const value of obj.messageIds) {
            w.uint32(18)
            w.bytes(value)
          }
        }

        if ((obj.at != null && obj.at !== 0)) {
          w.uint32(24)
          w.uint64Number(obj.at)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          type: ReceiptType.RECEIPT_TYPE_UNSPECIFIED,
          messageIds: [],
          at: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.type = ReceiptType.codec().decode(reader)
              break
            }
            case 2: {
              if (opts.limits?.messageIds != null && obj.messageIds.length === opts.limits.messageIds) {
                throw new MaxLengthError('Decode error - repeated field "messageIds" had too many elements')
              }

              if (obj.messageIds.length === 256) {
                throw new MaxLengthError('Decode error - repeated field "messageIds" had too many elements')
              }

              obj.messageIds.push(reader.bytes())
              break
            }
            case 3: {
              obj.at = reader.uint64Number()
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
          messageIds: 256
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.type`,
                value: ReceiptType.codec().decode(reader)
              }
              break
            }
            case 2: {
              if (opts.limits?.messageIds != null && obj.messageIds === opts.limits.messageIds) {
                throw new MaxLengthError('Streaming decode error - repeated field "messageIds" had too many elements')
              }

              if (obj.messageIds === 256) {
                throw new MaxLengthError('Streaming decode error - repeated field "messageIds" had too many elements')
              }

              yield {
                field: `${prefix}.messageIds[]`,
                index: obj.messageIds,
                value: reader.bytes()
              }

              obj.messageIds++

              break
            }
            case 3: {
              yield {
                field: `${prefix}.at`,
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

  export interface ReceiptTypeFieldEvent {
    field: '$.type'
    value: ReceiptType
  }

  export interface ReceiptMessageIdsFieldEvent {
    field: '$.messageIds[]'
    index: number
    value: Uint8Array
  }

  export interface ReceiptAtFieldEvent {
    field: '$.at'
    value: number
  }

  export function encode (obj: Partial<Receipt>): Uint8Array {
    return encodeMessage(obj, Receipt.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Receipt>): Receipt {
    return decodeMessage(buf, Receipt.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Receipt>): Generator<ReceiptTypeFieldEvent | ReceiptMessageIdsFieldEvent | ReceiptAtFieldEvent> {
    return streamMessage(buf, Receipt.codec(), opts)
  }
}

export interface Directive {
  text: string
  issuedAt: number
  signerCertificate: Uint8Array
  signature: Uint8Array
  deadline: number
}

export namespace Directive {
  let _codec: Codec<Directive>

  export const codec = (): Codec<Directive> => {
    if (_codec == null) {
      _codec = message<Directive>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.text != null && obj.text !== '')) {
          w.uint32(10)
          w.string(obj.text)
        }

        if ((obj.issuedAt != null && obj.issuedAt !== 0)) {
          w.uint32(16)
          w.uint64Number(obj.issuedAt)
        }

        if ((obj.signerCertificate != null && obj.signerCertificate.byteLength > 0)) {
          w.uint32(26)
          w.bytes(obj.signerCertificate)
        }

        if ((obj.signature != null && obj.signature.byteLength > 0)) {
          w.uint32(34)
          w.bytes(obj.signature)
        }

        if ((obj.deadline != null && obj.deadline !== 0)) {
          w.uint32(40)
          w.uint64Number(obj.deadline)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          text: '',
          issuedAt: 0,
          signerCertificate: uint8ArrayAlloc(0),
          signature: uint8ArrayAlloc(0),
          deadline: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.text = reader.string()
              break
            }
            case 2: {
              obj.issuedAt = reader.uint64Number()
              break
            }
            case 3: {
              obj.signerCertificate = reader.bytes()
              break
            }
            case 4: {
              obj.signature = reader.bytes()
              break
            }
            case 5: {
              obj.deadline = reader.uint64Number()
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
                field: `${prefix}.text`,
                value: reader.string()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.issuedAt`,
                value: reader.uint64Number()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.signerCertificate`,
                value: reader.bytes()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.signature`,
                value: reader.bytes()
              }
              break
            }
            case 5: {
              yield {
                field: `${prefix}.deadline`,
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

  export interface DirectiveTextFieldEvent {
    field: '$.text'
    value: string
  }

  export interface DirectiveIssuedAtFieldEvent {
    field: '$.issuedAt'
    value: number
  }

  export interface DirectiveSignerCertificateFieldEvent {
    field: '$.signerCertificate'
    value: Uint8Array
  }

  export interface DirectiveSignatureFieldEvent {
    field: '$.signature'
    value: Uint8Array
  }

  export interface DirectiveDeadlineFieldEvent {
    field: '$.deadline'
    value: number
  }

  export function encode (obj: Partial<Directive>): Uint8Array {
    return encodeMessage(obj, Directive.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Directive>): Directive {
    return decodeMessage(buf, Directive.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Directive>): Generator<DirectiveTextFieldEvent | DirectiveIssuedAtFieldEvent | DirectiveSignerCertificateFieldEvent | DirectiveSignatureFieldEvent | DirectiveDeadlineFieldEvent> {
    return streamMessage(buf, Directive.codec(), opts)
  }
}

export interface DirectiveAck {
  directiveId: Uint8Array
  directiveHash: Uint8Array
  acknowledgedAt: number
  signerCertificate: Uint8Array
  signature: Uint8Array
}

export namespace DirectiveAck {
  let _codec: Codec<DirectiveAck>

  export const codec = (): Codec<DirectiveAck> => {
    if (_codec == null) {
      _codec = message<DirectiveAck>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.directiveId != null && obj.directiveId.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.directiveId)
        }

        if ((obj.directiveHash != null && obj.directiveHash.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.directiveHash)
        }

        if ((obj.acknowledgedAt != null && obj.acknowledgedAt !== 0)) {
          w.uint32(24)
          w.uint64Number(obj.acknowledgedAt)
        }

        if ((obj.signerCertificate != null && obj.signerCertificate.byteLength > 0)) {
          w.uint32(34)
          w.bytes(obj.signerCertificate)
        }

        if ((obj.signature != null && obj.signature.byteLength > 0)) {
          w.uint32(42)
          w.bytes(obj.signature)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          directiveId: uint8ArrayAlloc(0),
          directiveHash: uint8ArrayAlloc(0),
          acknowledgedAt: 0,
          signerCertificate: uint8ArrayAlloc(0),
          signature: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.directiveId = reader.bytes()
              break
            }
            case 2: {
              obj.directiveHash = reader.bytes()
              break
            }
            case 3: {
              obj.acknowledgedAt = reader.uint64Number()
              break
            }
            case 4: {
              obj.signerCertificate = reader.bytes()
              break
            }
            case 5: {
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
                field: `${prefix}.directiveId`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.directiveHash`,
                value: reader.bytes()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.acknowledgedAt`,
                value: reader.uint64Number()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.signerCertificate`,
                value: reader.bytes()
              }
              break
            }
            case 5: {
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

  export interface DirectiveAckDirectiveIdFieldEvent {
    field: '$.directiveId'
    value: Uint8Array
  }

  export interface DirectiveAckDirectiveHashFieldEvent {
    field: '$.directiveHash'
    value: Uint8Array
  }

  export interface DirectiveAckAcknowledgedAtFieldEvent {
    field: '$.acknowledgedAt'
    value: number
  }

  export interface DirectiveAckSignerCertificateFieldEvent {
    field: '$.signerCertificate'
    value: Uint8Array
  }

  export interface DirectiveAckSignatureFieldEvent {
    field: '$.signature'
    value: Uint8Array
  }

  export function encode (obj: Partial<DirectiveAck>): Uint8Array {
    return encodeMessage(obj, DirectiveAck.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<DirectiveAck>): DirectiveAck {
    return decodeMessage(buf, DirectiveAck.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<DirectiveAck>): Generator<DirectiveAckDirectiveIdFieldEvent | DirectiveAckDirectiveHashFieldEvent | DirectiveAckAcknowledgedAtFieldEvent | DirectiveAckSignerCertificateFieldEvent | DirectiveAckSignatureFieldEvent> {
    return streamMessage(buf, DirectiveAck.codec(), opts)
  }
}

export interface DirectiveEvidence {
  version: number
  directiveId: Uint8Array
  directive?: Directive
  acks: DirectiveAck[]
}

export namespace DirectiveEvidence {
  let _codec: Codec<DirectiveEvidence>

  export const codec = (): Codec<DirectiveEvidence> => {
    if (_codec == null) {
      _codec = message<DirectiveEvidence>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.version != null && obj.version !== 0)) {
          w.uint32(8)
          w.uint32(obj.version)
        }

        if ((obj.directiveId != null && obj.directiveId.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.directiveId)
        }

        if (obj.directive != null) {
          w.uint32(26)
          Directive.codec().encode(obj.directive, w)
        }

        if (obj.acks != null && obj.acks.length > 0) {
          for (const value of obj.acks) {
            w.uint32(34)
            DirectiveAck.codec().encode(value, w)
          }
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          version: 0,
          directiveId: uint8ArrayAlloc(0),
          acks: []
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
              obj.directiveId = reader.bytes()
              break
            }
            case 3: {
              obj.directive = Directive.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.directive
              })
              break
            }
            case 4: {
              if (opts.limits?.acks != null && obj.acks.length === opts.limits.acks) {
                throw new MaxLengthError('Decode error - repeated field "acks" had too many elements')
              }

              if (obj.acks.length === 2048) {
                throw new MaxLengthError('Decode error - repeated field "acks" had too many elements')
              }

              obj.acks.push(DirectiveAck.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.acks$
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
          acks: 2048
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
                field: `${prefix}.directiveId`,
                value: reader.bytes()
              }
              break
            }
            case 3: {
              yield * Directive.codec().stream(reader, reader.uint32(), `${prefix}.directive`, {
                limits: opts.limits?.directive
              })

              break
            }
            case 4: {
              if (opts.limits?.acks != null && obj.acks === opts.limits.acks) {
                throw new MaxLengthError('Streaming decode error - repeated field "acks" had too many elements')
              }

              if (obj.acks === 2048) {
                throw new MaxLengthError('Streaming decode error - repeated field "acks" had too many elements')
              }

              for (const evt of DirectiveAck.codec().stream(reader, reader.uint32(), `${prefix}.acks[]`, {
                limits: opts.limits?.acks$
              })) {
                yield {
                  ...evt,
                  index: obj.acks
                }
              }

              obj.acks++

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

  export interface DirectiveEvidenceVersionFieldEvent {
    field: '$.version'
    value: number
  }

  export interface DirectiveEvidenceDirectiveIdFieldEvent {
    field: '$.directiveId'
    value: Uint8Array
  }

  export interface DirectiveEvidenceDirectiveTextFieldEvent {
    field: '$.directive.text'
    value: string
  }

  export interface DirectiveEvidenceDirectiveIssuedAtFieldEvent {
    field: '$.directive.issuedAt'
    value: number
  }

  export interface DirectiveEvidenceDirectiveSignerCertificateFieldEvent {
    field: '$.directive.signerCertificate'
    value: Uint8Array
  }

  export interface DirectiveEvidenceDirectiveSignatureFieldEvent {
    field: '$.directive.signature'
    value: Uint8Array
  }

  export interface DirectiveEvidenceDirectiveDeadlineFieldEvent {
    field: '$.directive.deadline'
    value: number
  }

  export interface DirectiveEvidenceAcksDirectiveIdFieldEvent {
    field: '$.acks[].directiveId'
    value: Uint8Array
    index: number
  }

  export interface DirectiveEvidenceAcksDirectiveHashFieldEvent {
    field: '$.acks[].directiveHash'
    value: Uint8Array
    index: number
  }

  export interface DirectiveEvidenceAcksAcknowledgedAtFieldEvent {
    field: '$.acks[].acknowledgedAt'
    value: number
    index: number
  }

  export interface DirectiveEvidenceAcksSignerCertificateFieldEvent {
    field: '$.acks[].signerCertificate'
    value: Uint8Array
    index: number
  }

  export interface DirectiveEvidenceAcksSignatureFieldEvent {
    field: '$.acks[].signature'
    value: Uint8Array
    index: number
  }

  export function encode (obj: Partial<DirectiveEvidence>): Uint8Array {
    return encodeMessage(obj, DirectiveEvidence.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<DirectiveEvidence>): DirectiveEvidence {
    return decodeMessage(buf, DirectiveEvidence.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<DirectiveEvidence>): Generator<DirectiveEvidenceVersionFieldEvent | DirectiveEvidenceDirectiveIdFieldEvent | DirectiveEvidenceDirectiveTextFieldEvent | DirectiveEvidenceDirectiveIssuedAtFieldEvent | DirectiveEvidenceDirectiveSignerCertificateFieldEvent | DirectiveEvidenceDirectiveSignatureFieldEvent | DirectiveEvidenceDirectiveDeadlineFieldEvent | DirectiveEvidenceAcksDirectiveIdFieldEvent | DirectiveEvidenceAcksDirectiveHashFieldEvent | DirectiveEvidenceAcksAcknowledgedAtFieldEvent | DirectiveEvidenceAcksSignerCertificateFieldEvent | DirectiveEvidenceAcksSignatureFieldEvent> {
    return streamMessage(buf, DirectiveEvidence.codec(), opts)
  }
}

export interface AppContent {
  version: number
  kind: ContentKind
  text: string
  receipt?: Receipt
  directive?: Directive
  replyTo: Uint8Array
  clientId: Uint8Array
  title: string
  direct: boolean
  target: Uint8Array
  directiveAck?: DirectiveAck
  file?: FileManifest
  timerMs: number
  precedence: Precedence
  deviceVouch: Uint8Array
  linkedCertificate: Uint8Array
  historyRequest?: HistoryRequest
  disownedDevice: Uint8Array
}

export namespace AppContent {
  let _codec: Codec<AppContent>

  export const codec = (): Codec<AppContent> => {
    if (_codec == null) {
      _codec = message<AppContent>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.version != null && obj.version !== 0)) {
          w.uint32(8)
          w.uint32(obj.version)
        }

        if (obj.kind != null && __ContentKindValues[obj.kind] !== 0) {
          w.uint32(16)
          ContentKind.codec().encode(obj.kind, w)
        }

        if ((obj.text != null && obj.text !== '')) {
          w.uint32(26)
          w.string(obj.text)
        }

        if (obj.receipt != null) {
          w.uint32(34)
          Receipt.codec().encode(obj.receipt, w)
        }

        if (obj.directive != null) {
          w.uint32(42)
          Directive.codec().encode(obj.directive, w)
        }

        if ((obj.replyTo != null && obj.replyTo.byteLength > 0)) {
          w.uint32(50)
          w.bytes(obj.replyTo)
        }

        if ((obj.clientId != null && obj.clientId.byteLength > 0)) {
          w.uint32(66)
          w.bytes(obj.clientId)
        }

        if ((obj.title != null && obj.title !== '')) {
          w.uint32(74)
          w.string(obj.title)
        }

        if ((obj.direct != null && obj.direct !== false)) {
          w.uint32(80)
          w.bool(obj.direct)
        }

        if ((obj.target != null && obj.target.byteLength > 0)) {
          w.uint32(162)
          w.bytes(obj.target)
        }

        if (obj.directiveAck != null) {
          w.uint32(170)
          DirectiveAck.codec().encode(obj.directiveAck, w)
        }

        if (obj.file != null) {
          w.uint32(178)
          FileManifest.codec().encode(obj.file, w)
        }

        if ((obj.timerMs != null && obj.timerMs !== 0)) {
          w.uint32(240)
          w.uint64Number(obj.timerMs)
        }

        if (obj.precedence != null && __PrecedenceValues[obj.precedence] !== 0) {
          w.uint32(248)
          Precedence.codec().encode(obj.precedence, w)
        }

        if ((obj.deviceVouch != null && obj.deviceVouch.byteLength > 0)) {
          w.uint32(322)
          w.bytes(obj.deviceVouch)
        }

        if ((obj.linkedCertificate != null && obj.linkedCertificate.byteLength > 0)) {
          w.uint32(330)
          w.bytes(obj.linkedCertificate)
        }

        if (obj.historyRequest != null) {
          w.uint32(338)
          HistoryRequest.codec().encode(obj.historyRequest, w)
        }

        if ((obj.disownedDevice != null && obj.disownedDevice.byteLength > 0)) {
          w.uint32(346)
          w.bytes(obj.disownedDevice)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          version: 0,
          kind: ContentKind.CONTENT_KIND_UNSPECIFIED,
          text: '',
          replyTo: uint8ArrayAlloc(0),
          clientId: uint8ArrayAlloc(0),
          title: '',
          direct: false,
          target: uint8ArrayAlloc(0),
          timerMs: 0,
          precedence: Precedence.ROUTINE,
          deviceVouch: uint8ArrayAlloc(0),
          linkedCertificate: uint8ArrayAlloc(0),
          disownedDevice: uint8ArrayAlloc(0)
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
              obj.kind = ContentKind.codec().decode(reader)
              break
            }
            case 3: {
              obj.text = reader.string()
              break
            }
            case 4: {
              obj.receipt = Receipt.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.receipt
              })
              break
            }
            case 5: {
              obj.directive = Directive.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.directive
              })
              break
            }
            case 6: {
              obj.replyTo = reader.bytes()
              break
            }
            case 8: {
              obj.clientId = reader.bytes()
              break
            }
            case 9: {
              obj.title = reader.string()
              break
            }
            case 10: {
              obj.direct = reader.bool()
              break
            }
            case 20: {
              obj.target = reader.bytes()
              break
            }
            case 21: {
              obj.directiveAck = DirectiveAck.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.directiveAck
              })
              break
            }
            case 22: {
              obj.file = FileManifest.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.file
              })
              break
            }
            case 30: {
              obj.timerMs = reader.uint64Number()
              break
            }
            case 31: {
              obj.precedence = Precedence.codec().decode(reader)
              break
            }
            case 40: {
              obj.deviceVouch = reader.bytes()
              break
            }
            case 41: {
              obj.linkedCertificate = reader.bytes()
              break
            }
            case 42: {
              obj.historyRequest = HistoryRequest.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.historyRequest
              })
              break
            }
            case 43: {
              obj.disownedDevice = reader.bytes()
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
                value: ContentKind.codec().decode(reader)
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.text`,
                value: reader.string()
              }
              break
            }
            case 4: {
              yield * Receipt.codec().stream(reader, reader.uint32(), `${prefix}.receipt`, {
                limits: opts.limits?.receipt
              })

              break
            }
            case 5: {
              yield * Directive.codec().stream(reader, reader.uint32(), `${prefix}.directive`, {
                limits: opts.limits?.directive
              })

              break
            }
            case 6: {
              yield {
                field: `${prefix}.replyTo`,
                value: reader.bytes()
              }
              break
            }
            case 8: {
              yield {
                field: `${prefix}.clientId`,
                value: reader.bytes()
              }
              break
            }
            case 9: {
              yield {
                field: `${prefix}.title`,
                value: reader.string()
              }
              break
            }
            case 10: {
              yield {
                field: `${prefix}.direct`,
                value: reader.bool()
              }
              break
            }
            case 20: {
              yield {
                field: `${prefix}.target`,
                value: reader.bytes()
              }
              break
            }
            case 21: {
              yield * DirectiveAck.codec().stream(reader, reader.uint32(), `${prefix}.directiveAck`, {
                limits: opts.limits?.directiveAck
              })

              break
            }
            case 22: {
              yield * FileManifest.codec().stream(reader, reader.uint32(), `${prefix}.file`, {
                limits: opts.limits?.file
              })

              break
            }
            case 30: {
              yield {
                field: `${prefix}.timerMs`,
                value: reader.uint64Number()
              }
              break
            }
            case 31: {
              yield {
                field: `${prefix}.precedence`,
                value: Precedence.codec().decode(reader)
              }
              break
            }
            case 40: {
              yield {
                field: `${prefix}.deviceVouch`,
                value: reader.bytes()
              }
              break
            }
            case 41: {
              yield {
                field: `${prefix}.linkedCertificate`,
                value: reader.bytes()
              }
              break
            }
            case 42: {
              yield * HistoryRequest.codec().stream(reader, reader.uint32(), `${prefix}.historyRequest`, {
                limits: opts.limits?.historyRequest
              })

              break
            }
            case 43: {
              yield {
                field: `${prefix}.disownedDevice`,
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

  export interface AppContentVersionFieldEvent {
    field: '$.version'
    value: number
  }

  export interface AppContentKindFieldEvent {
    field: '$.kind'
    value: ContentKind
  }

  export interface AppContentTextFieldEvent {
    field: '$.text'
    value: string
  }

  export interface AppContentReceiptTypeFieldEvent {
    field: '$.receipt.type'
    value: ReceiptType
  }

  export interface AppContentReceiptMessageIdsFieldEvent {
    field: '$.receipt.messageIds[]'
    index: number
    value: Uint8Array
  }

  export interface AppContentReceiptAtFieldEvent {
    field: '$.receipt.at'
    value: number
  }

  export interface AppContentDirectiveTextFieldEvent {
    field: '$.directive.text'
    value: string
  }

  export interface AppContentDirectiveIssuedAtFieldEvent {
    field: '$.directive.issuedAt'
    value: number
  }

  export interface AppContentDirectiveSignerCertificateFieldEvent {
    field: '$.directive.signerCertificate'
    value: Uint8Array
  }

  export interface AppContentDirectiveSignatureFieldEvent {
    field: '$.directive.signature'
    value: Uint8Array
  }

  export interface AppContentDirectiveDeadlineFieldEvent {
    field: '$.directive.deadline'
    value: number
  }

  export interface AppContentReplyToFieldEvent {
    field: '$.replyTo'
    value: Uint8Array
  }

  export interface AppContentClientIdFieldEvent {
    field: '$.clientId'
    value: Uint8Array
  }

  export interface AppContentTitleFieldEvent {
    field: '$.title'
    value: string
  }

  export interface AppContentDirectFieldEvent {
    field: '$.direct'
    value: boolean
  }

  export interface AppContentTargetFieldEvent {
    field: '$.target'
    value: Uint8Array
  }

  export interface AppContentDirectiveAckDirectiveIdFieldEvent {
    field: '$.directiveAck.directiveId'
    value: Uint8Array
  }

  export interface AppContentDirectiveAckDirectiveHashFieldEvent {
    field: '$.directiveAck.directiveHash'
    value: Uint8Array
  }

  export interface AppContentDirectiveAckAcknowledgedAtFieldEvent {
    field: '$.directiveAck.acknowledgedAt'
    value: number
  }

  export interface AppContentDirectiveAckSignerCertificateFieldEvent {
    field: '$.directiveAck.signerCertificate'
    value: Uint8Array
  }

  export interface AppContentDirectiveAckSignatureFieldEvent {
    field: '$.directiveAck.signature'
    value: Uint8Array
  }

  export interface AppContentFileNameFieldEvent {
    field: '$.file.name'
    value: string
  }

  export interface AppContentFileMediaTypeFieldEvent {
    field: '$.file.mediaType'
    value: string
  }

  export interface AppContentFileSizeFieldEvent {
    field: '$.file.size'
    value: number
  }

  export interface AppContentFileChunkSizeFieldEvent {
    field: '$.file.chunkSize'
    value: number
  }

  export interface AppContentFileChunkHashesFieldEvent {
    field: '$.file.chunkHashes[]'
    index: number
    value: Uint8Array
  }

  export interface AppContentFileKeyFieldEvent {
    field: '$.file.key'
    value: Uint8Array
  }

  export interface AppContentFileThumbnailFieldEvent {
    field: '$.file.thumbnail'
    value: Uint8Array
  }

  export interface AppContentFileDurationMsFieldEvent {
    field: '$.file.durationMs'
    value: number
  }

  export interface AppContentTimerMsFieldEvent {
    field: '$.timerMs'
    value: number
  }

  export interface AppContentPrecedenceFieldEvent {
    field: '$.precedence'
    value: Precedence
  }

  export interface AppContentDeviceVouchFieldEvent {
    field: '$.deviceVouch'
    value: Uint8Array
  }

  export interface AppContentLinkedCertificateFieldEvent {
    field: '$.linkedCertificate'
    value: Uint8Array
  }

  export interface AppContentHistoryRequestRequestIdFieldEvent {
    field: '$.historyRequest.requestId'
    value: Uint8Array
  }

  export interface AppContentHistoryRequestPublicKeyFieldEvent {
    field: '$.historyRequest.publicKey'
    value: Uint8Array
  }

  export interface AppContentHistoryRequestAskedDeviceFieldEvent {
    field: '$.historyRequest.askedDevice'
    value: Uint8Array
  }

  export interface AppContentDisownedDeviceFieldEvent {
    field: '$.disownedDevice'
    value: Uint8Array
  }

  export function encode (obj: Partial<AppContent>): Uint8Array {
    return encodeMessage(obj, AppContent.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<AppContent>): AppContent {
    return decodeMessage(buf, AppContent.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<AppContent>): Generator<AppContentVersionFieldEvent | AppContentKindFieldEvent | AppContentTextFieldEvent | AppContentReceiptTypeFieldEvent | AppContentReceiptMessageIdsFieldEvent | AppContentReceiptAtFieldEvent | AppContentDirectiveTextFieldEvent | AppContentDirectiveIssuedAtFieldEvent | AppContentDirectiveSignerCertificateFieldEvent | AppContentDirectiveSignatureFieldEvent | AppContentDirectiveDeadlineFieldEvent | AppContentReplyToFieldEvent | AppContentClientIdFieldEvent | AppContentTitleFieldEvent | AppContentDirectFieldEvent | AppContentTargetFieldEvent | AppContentDirectiveAckDirectiveIdFieldEvent | AppContentDirectiveAckDirectiveHashFieldEvent | AppContentDirectiveAckAcknowledgedAtFieldEvent | AppContentDirectiveAckSignerCertificateFieldEvent | AppContentDirectiveAckSignatureFieldEvent | AppContentFileNameFieldEvent | AppContentFileMediaTypeFieldEvent | AppContentFileSizeFieldEvent | AppContentFileChunkSizeFieldEvent | AppContentFileChunkHashesFieldEvent | AppContentFileKeyFieldEvent | AppContentFileThumbnailFieldEvent | AppContentFileDurationMsFieldEvent | AppContentTimerMsFieldEvent | AppContentPrecedenceFieldEvent | AppContentDeviceVouchFieldEvent | AppContentLinkedCertificateFieldEvent | AppContentHistoryRequestRequestIdFieldEvent | AppContentHistoryRequestPublicKeyFieldEvent | AppContentHistoryRequestAskedDeviceFieldEvent | AppContentDisownedDeviceFieldEvent> {
    return streamMessage(buf, AppContent.codec(), opts)
  }
}

export interface HistoryRequest {
  requestId: Uint8Array
  publicKey: Uint8Array
  askedDevice: Uint8Array
}

export namespace HistoryRequest {
  let _codec: Codec<HistoryRequest>

  export const codec = (): Codec<HistoryRequest> => {
    if (_codec == null) {
      _codec = message<HistoryRequest>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.requestId != null && obj.requestId.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.requestId)
        }

        if ((obj.publicKey != null && obj.publicKey.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.publicKey)
        }

        if ((obj.askedDevice != null && obj.askedDevice.byteLength > 0)) {
          w.uint32(26)
          w.bytes(obj.askedDevice)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          requestId: uint8ArrayAlloc(0),
          publicKey: uint8ArrayAlloc(0),
          askedDevice: uint8ArrayAlloc(0)
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
              obj.publicKey = reader.bytes()
              break
            }
            case 3: {
              obj.askedDevice = reader.bytes()
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
                field: `${prefix}.publicKey`,
                value: reader.bytes()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.askedDevice`,
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

  export interface HistoryRequestRequestIdFieldEvent {
    field: '$.requestId'
    value: Uint8Array
  }

  export interface HistoryRequestPublicKeyFieldEvent {
    field: '$.publicKey'
    value: Uint8Array
  }

  export interface HistoryRequestAskedDeviceFieldEvent {
    field: '$.askedDevice'
    value: Uint8Array
  }

  export function encode (obj: Partial<HistoryRequest>): Uint8Array {
    return encodeMessage(obj, HistoryRequest.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<HistoryRequest>): HistoryRequest {
    return decodeMessage(buf, HistoryRequest.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<HistoryRequest>): Generator<HistoryRequestRequestIdFieldEvent | HistoryRequestPublicKeyFieldEvent | HistoryRequestAskedDeviceFieldEvent> {
    return streamMessage(buf, HistoryRequest.codec(), opts)
  }
}

export interface FileManifest {
  name: string
  mediaType: string
  size: number
  chunkSize: number
  chunkHashes: Uint8Array[]
  key: Uint8Array
  thumbnail: Uint8Array
  durationMs: number
}

export namespace FileManifest {
  let _codec: Codec<FileManifest>

  export const codec = (): Codec<FileManifest> => {
    if (_codec == null) {
      _codec = message<FileManifest>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.name != null && obj.name !== '')) {
          w.uint32(10)
          w.string(obj.name)
        }

        if ((obj.mediaType != null && obj.mediaType !== '')) {
          w.uint32(18)
          w.string(obj.mediaType)
        }

        if ((obj.size != null && obj.size !== 0)) {
          w.uint32(24)
          w.uint64Number(obj.size)
        }

        if ((obj.chunkSize != null && obj.chunkSize !== 0)) {
          w.uint32(32)
          w.uint32(obj.chunkSize)
        }

        if (obj.chunkHashes != null && obj.chunkHashes.length > 0) {
          for (const value of obj.chunkHashes) {
            w.uint32(42)
            w.bytes(value)
          }
        }

        if ((obj.key != null && obj.key.byteLength > 0)) {
          w.uint32(50)
          w.bytes(obj.key)
        }

        if ((obj.thumbnail != null && obj.thumbnail.byteLength > 0)) {
          w.uint32(58)
          w.bytes(obj.thumbnail)
        }

        if ((obj.durationMs != null && obj.durationMs !== 0)) {
          w.uint32(64)
          w.uint32(obj.durationMs)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          name: '',
          mediaType: '',
          size: 0,
          chunkSize: 0,
          chunkHashes: [],
          key: uint8ArrayAlloc(0),
          thumbnail: uint8ArrayAlloc(0),
          durationMs: 0
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
              obj.mediaType = reader.string()
              break
            }
            case 3: {
              obj.size = reader.uint64Number()
              break
            }
            case 4: {
              obj.chunkSize = reader.uint32()
              break
            }
            case 5: {
              if (opts.limits?.chunkHashes != null && obj.chunkHashes.length === opts.limits.chunkHashes) {
                throw new MaxLengthError('Decode error - repeated field "chunkHashes" had too many elements')
              }

              if (obj.chunkHashes.length === 2048) {
                throw new MaxLengthError('Decode error - repeated field "chunkHashes" had too many elements')
              }

              obj.chunkHashes.push(reader.bytes())
              break
            }
            case 6: {
              obj.key = reader.bytes()
              break
            }
            case 7: {
              obj.thumbnail = reader.bytes()
              break
            }
            case 8: {
              obj.durationMs = reader.uint32()
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
          chunkHashes: 2048
        }

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
                field: `${prefix}.mediaType`,
                value: reader.string()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.size`,
                value: reader.uint64Number()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.chunkSize`,
                value: reader.uint32()
              }
              break
            }
            case 5: {
              if (opts.limits?.chunkHashes != null && obj.chunkHashes === opts.limits.chunkHashes) {
                throw new MaxLengthError('Streaming decode error - repeated field "chunkHashes" had too many elements')
              }

              if (obj.chunkHashes === 2048) {
                throw new MaxLengthError('Streaming decode error - repeated field "chunkHashes" had too many elements')
              }

              yield {
                field: `${prefix}.chunkHashes[]`,
                index: obj.chunkHashes,
                value: reader.bytes()
              }

              obj.chunkHashes++

              break
            }
            case 6: {
              yield {
                field: `${prefix}.key`,
                value: reader.bytes()
              }
              break
            }
            case 7: {
              yield {
                field: `${prefix}.thumbnail`,
                value: reader.bytes()
              }
              break
            }
            case 8: {
              yield {
                field: `${prefix}.durationMs`,
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

  export interface FileManifestNameFieldEvent {
    field: '$.name'
    value: string
  }

  export interface FileManifestMediaTypeFieldEvent {
    field: '$.mediaType'
    value: string
  }

  export interface FileManifestSizeFieldEvent {
    field: '$.size'
    value: number
  }

  export interface FileManifestChunkSizeFieldEvent {
    field: '$.chunkSize'
    value: number
  }

  export interface FileManifestChunkHashesFieldEvent {
    field: '$.chunkHashes[]'
    index: number
    value: Uint8Array
  }

  export interface FileManifestKeyFieldEvent {
    field: '$.key'
    value: Uint8Array
  }

  export interface FileManifestThumbnailFieldEvent {
    field: '$.thumbnail'
    value: Uint8Array
  }

  export interface FileManifestDurationMsFieldEvent {
    field: '$.durationMs'
    value: number
  }

  export function encode (obj: Partial<FileManifest>): Uint8Array {
    return encodeMessage(obj, FileManifest.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<FileManifest>): FileManifest {
    return decodeMessage(buf, FileManifest.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<FileManifest>): Generator<FileManifestNameFieldEvent | FileManifestMediaTypeFieldEvent | FileManifestSizeFieldEvent | FileManifestChunkSizeFieldEvent | FileManifestChunkHashesFieldEvent | FileManifestKeyFieldEvent | FileManifestThumbnailFieldEvent | FileManifestDurationMsFieldEvent> {
    return streamMessage(buf, FileManifest.codec(), opts)
  }
}
