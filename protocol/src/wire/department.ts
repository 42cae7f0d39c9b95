import { decodeMessage, encodeMessage, MaxLengthError, message, streamMessage } from 'protons-runtime'
import { alloc as uint8ArrayAlloc } from 'uint8arrays/alloc'
import type { Codec, DecodeOptions } from 'protons-runtime'
import type { Uint8ArrayList } from 'uint8arraylist'

export interface DirectoryQuery {
  afterDeviceKey: Uint8Array
  limit: number
}

export namespace DirectoryQuery {
  let _codec: Codec<DirectoryQuery>

  export const codec = (): Codec<DirectoryQuery> => {
    if (_codec == null) {
      _codec = message<DirectoryQuery>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.afterDeviceKey != null && obj.afterDeviceKey.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.afterDeviceKey)
        }

        if ((obj.limit != null && obj.limit !== 0)) {
          w.uint32(16)
          w.uint32(obj.limit)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          afterDeviceKey: uint8ArrayAlloc(0),
          limit: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.afterDeviceKey = reader.bytes()
              break
            }
            case 2: {
              obj.limit = reader.uint32()
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
                field: `${prefix}.afterDeviceKey`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.limit`,
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

  export interface DirectoryQueryAfterDeviceKeyFieldEvent {
    field: '$.afterDeviceKey'
    value: Uint8Array
  }

  export interface DirectoryQueryLimitFieldEvent {
    field: '$.limit'
    value: number
  }

  export function encode (obj: Partial<DirectoryQuery>): Uint8Array {
    return encodeMessage(obj, DirectoryQuery.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<DirectoryQuery>): DirectoryQuery {
    return decodeMessage(buf, DirectoryQuery.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<DirectoryQuery>): Generator<DirectoryQueryAfterDeviceKeyFieldEvent | DirectoryQueryLimitFieldEvent> {
    return streamMessage(buf, DirectoryQuery.codec(), opts)
  }
}

export interface DirectoryPage {
  certificates: Uint8Array[]
  nextAfterDeviceKey: Uint8Array
  hasMore: boolean
}

export namespace DirectoryPage {
  let _codec: Codec<DirectoryPage>

  export const codec = (): Codec<DirectoryPage> => {
    if (_codec == null) {
      _codec = message<DirectoryPage>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.certificates != null && obj.certificates.length > 0) {
          for (const value of obj.certificates) {
            w.uint32(10)
            w.bytes(value)
          }
        }

        if ((obj.nextAfterDeviceKey != null && obj.nextAfterDeviceKey.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.nextAfterDeviceKey)
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
          certificates: [],
          nextAfterDeviceKey: uint8ArrayAlloc(0),
          hasMore: false
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              if (opts.limits?.certificates != null && obj.certificates.length === opts.limits.certificates) {
                throw new MaxLengthError('Decode error - repeated field "certificates" had too many elements')
              }

              if (obj.certificates.length === 256) {
                throw new MaxLengthError('Decode error - repeated field "certificates" had too many elements')
              }

              obj.certificates.push(reader.bytes())
              break
            }
            case 2: {
              obj.nextAfterDeviceKey = reader.bytes()
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
          certificates: 256
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              if (opts.limits?.certificates != null && obj.certificates === opts.limits.certificates) {
                throw new MaxLengthError('Streaming decode error - repeated field "certificates" had too many elements')
              }

              if (obj.certificates === 256) {
                throw new MaxLengthError('Streaming decode error - repeated field "certificates" had too many elements')
              }

              yield {
                field: `${prefix}.certificates[]`,
                index: obj.certificates,
                value: reader.bytes()
              }

              obj.certificates++

              break
            }
            case 2: {
              yield {
                field: `${prefix}.nextAfterDeviceKey`,
                value: reader.bytes()
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

  export interface DirectoryPageCertificatesFieldEvent {
    field: '$.certificates[]'
    index: number
    value: Uint8Array
  }

  export interface DirectoryPageNextAfterDeviceKeyFieldEvent {
    field: '$.nextAfterDeviceKey'
    value: Uint8Array
  }

  export interface DirectoryPageHasMoreFieldEvent {
    field: '$.hasMore'
    value: boolean
  }

  export function encode (obj: Partial<DirectoryPage>): Uint8Array {
    return encodeMessage(obj, DirectoryPage.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<DirectoryPage>): DirectoryPage {
    return decodeMessage(buf, DirectoryPage.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<DirectoryPage>): Generator<DirectoryPageCertificatesFieldEvent | DirectoryPageNextAfterDeviceKeyFieldEvent | DirectoryPageHasMoreFieldEvent> {
    return streamMessage(buf, DirectoryPage.codec(), opts)
  }
}

export interface RevocationLists {
  lists: Uint8Array[]
}

export namespace RevocationLists {
  let _codec: Codec<RevocationLists>

  export const codec = (): Codec<RevocationLists> => {
    if (_codec == null) {
      _codec = message<RevocationLists>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.lists != null && obj.lists.length > 0) {
          for (const value of obj.lists) {
            w.uint32(10)
            w.bytes(value)
          }
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          lists: []
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              if (opts.limits?.lists != null && obj.lists.length === opts.limits.lists) {
                throw new MaxLengthError('Decode error - repeated field "lists" had too many elements')
              }

              if (obj.lists.length === 256) {
                throw new MaxLengthError('Decode error - repeated field "lists" had too many elements')
              }

              obj.lists.push(reader.bytes())
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
          lists: 256
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              if (opts.limits?.lists != null && obj.lists === opts.limits.lists) {
                throw new MaxLengthError('Streaming decode error - repeated field "lists" had too many elements')
              }

              if (obj.lists === 256) {
                throw new MaxLengthError('Streaming decode error - repeated field "lists" had too many elements')
              }

              yield {
                field: `${prefix}.lists[]`,
                index: obj.lists,
                value: reader.bytes()
              }

              obj.lists++

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

  export interface RevocationListsListsFieldEvent {
    field: '$.lists[]'
    index: number
    value: Uint8Array
  }

  export function encode (obj: Partial<RevocationLists>): Uint8Array {
    return encodeMessage(obj, RevocationLists.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<RevocationLists>): RevocationLists {
    return decodeMessage(buf, RevocationLists.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<RevocationLists>): Generator<RevocationListsListsFieldEvent> {
    return streamMessage(buf, RevocationLists.codec(), opts)
  }
}

export interface HeldKeyPackages {
  refs: Uint8Array[]
  complete: boolean
}

export namespace HeldKeyPackages {
  let _codec: Codec<HeldKeyPackages>

  export const codec = (): Codec<HeldKeyPackages> => {
    if (_codec == null) {
      _codec = message<HeldKeyPackages>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.refs != null && obj.refs.length > 0) {
          for (const value of obj.refs) {
            w.uint32(10)
            w.bytes(value)
          }
        }

        if ((obj.complete != null && obj.complete !== false)) {
          w.uint32(16)
          w.bool(obj.complete)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          refs: [],
          complete: false
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              if (opts.limits?.refs != null && obj.refs.length === opts.limits.refs) {
                throw new MaxLengthError('Decode error - repeated field "refs" had too many elements')
              }

              if (obj.refs.length === 1024) {
                throw new MaxLengthError('Decode error - repeated field "refs" had too many elements')
              }

              obj.refs.push(reader.bytes())
              break
            }
            case 2: {
              obj.complete = reader.bool()
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
          refs: 1024
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              if (opts.limits?.refs != null && obj.refs === opts.limits.refs) {
                throw new MaxLengthError('Streaming decode error - repeated field "refs" had too many elements')
              }

              if (obj.refs === 1024) {
                throw new MaxLengthError('Streaming decode error - repeated field "refs" had too many elements')
              }

              yield {
                field: `${prefix}.refs[]`,
                index: obj.refs,
                value: reader.bytes()
              }

              obj.refs++

              break
            }
            case 2: {
              yield {
                field: `${prefix}.complete`,
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

  export interface HeldKeyPackagesRefsFieldEvent {
    field: '$.refs[]'
    index: number
    value: Uint8Array
  }

  export interface HeldKeyPackagesCompleteFieldEvent {
    field: '$.complete'
    value: boolean
  }

  export function encode (obj: Partial<HeldKeyPackages>): Uint8Array {
    return encodeMessage(obj, HeldKeyPackages.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<HeldKeyPackages>): HeldKeyPackages {
    return decodeMessage(buf, HeldKeyPackages.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<HeldKeyPackages>): Generator<HeldKeyPackagesRefsFieldEvent | HeldKeyPackagesCompleteFieldEvent> {
    return streamMessage(buf, HeldKeyPackages.codec(), opts)
  }
}

export interface DepartmentSettings {
  editWindowMs: number
  lockAfterMs: number
  autoDownloadBytes?: number
  requirePin?: boolean
}

export namespace DepartmentSettings {
  let _codec: Codec<DepartmentSettings>

  export const codec = (): Codec<DepartmentSettings> => {
    if (_codec == null) {
      _codec = message<DepartmentSettings>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.editWindowMs != null && obj.editWindowMs !== 0)) {
          w.uint32(8)
          w.uint64Number(obj.editWindowMs)
        }

        if ((obj.lockAfterMs != null && obj.lockAfterMs !== 0)) {
          w.uint32(16)
          w.uint64Number(obj.lockAfterMs)
        }

        if (obj.autoDownloadBytes != null) {
          w.uint32(24)
          w.uint64Number(obj.autoDownloadBytes)
        }

        if (obj.requirePin != null) {
          w.uint32(32)
          w.bool(obj.requirePin)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          editWindowMs: 0,
          lockAfterMs: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.editWindowMs = reader.uint64Number()
              break
            }
            case 2: {
              obj.lockAfterMs = reader.uint64Number()
              break
            }
            case 3: {
              obj.autoDownloadBytes = reader.uint64Number()
              break
            }
            case 4: {
              obj.requirePin = reader.bool()
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
                field: `${prefix}.editWindowMs`,
                value: reader.uint64Number()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.lockAfterMs`,
                value: reader.uint64Number()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.autoDownloadBytes`,
                value: reader.uint64Number()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.requirePin`,
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

  export interface DepartmentSettingsEditWindowMsFieldEvent {
    field: '$.editWindowMs'
    value: number
  }

  export interface DepartmentSettingsLockAfterMsFieldEvent {
    field: '$.lockAfterMs'
    value: number
  }

  export interface DepartmentSettingsAutoDownloadBytesFieldEvent {
    field: '$.autoDownloadBytes'
    value: number
  }

  export interface DepartmentSettingsRequirePinFieldEvent {
    field: '$.requirePin'
    value: boolean
  }

  export function encode (obj: Partial<DepartmentSettings>): Uint8Array {
    return encodeMessage(obj, DepartmentSettings.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<DepartmentSettings>): DepartmentSettings {
    return decodeMessage(buf, DepartmentSettings.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<DepartmentSettings>): Generator<DepartmentSettingsEditWindowMsFieldEvent | DepartmentSettingsLockAfterMsFieldEvent | DepartmentSettingsAutoDownloadBytesFieldEvent | DepartmentSettingsRequirePinFieldEvent> {
    return streamMessage(buf, DepartmentSettings.codec(), opts)
  }
}
