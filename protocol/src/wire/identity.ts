import { decodeMessage, encodeMessage, MaxLengthError, message, streamMessage } from 'protons-runtime'
import { alloc as uint8ArrayAlloc } from 'uint8arrays/alloc'
import type { Codec, DecodeOptions } from 'protons-runtime'
import type { Uint8ArrayList } from 'uint8arraylist'

export interface CertificateBody {
  version: number
  handle: string
  displayName: string
  title: string
  department: string
  devicePublicKey: Uint8Array
  mlsSignatureKey: Uint8Array
  notBefore: number
  notAfter: number
  authorityPublicKey: Uint8Array
  serial: number
}

export namespace CertificateBody {
  let _codec: Codec<CertificateBody>

  export const codec = (): Codec<CertificateBody> => {
    if (_codec == null) {
      _codec = message<CertificateBody>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.version != null && obj.version !== 0)) {
          w.uint32(8)
          w.uint32(obj.version)
        }

        if ((obj.handle != null && obj.handle !== '')) {
          w.uint32(18)
          w.string(obj.handle)
        }

        if ((obj.displayName != null && obj.displayName !== '')) {
          w.uint32(26)
          w.string(obj.displayName)
        }

        if ((obj.title != null && obj.title !== '')) {
          w.uint32(34)
          w.string(obj.title)
        }

        if ((obj.department != null && obj.department !== '')) {
          w.uint32(42)
          w.string(obj.department)
        }

        if ((obj.devicePublicKey != null && obj.devicePublicKey.byteLength > 0)) {
          w.uint32(50)
          w.bytes(obj.devicePublicKey)
        }

        if ((obj.mlsSignatureKey != null && obj.mlsSignatureKey.byteLength > 0)) {
          w.uint32(58)
          w.bytes(obj.mlsSignatureKey)
        }

        if ((obj.notBefore != null && obj.notBefore !== 0)) {
          w.uint32(80)
          w.uint64Number(obj.notBefore)
        }

        if ((obj.notAfter != null && obj.notAfter !== 0)) {
          w.uint32(88)
          w.uint64Number(obj.notAfter)
        }

        if ((obj.authorityPublicKey != null && obj.authorityPublicKey.byteLength > 0)) {
          w.uint32(98)
          w.bytes(obj.authorityPublicKey)
        }

        if ((obj.serial != null && obj.serial !== 0)) {
          w.uint32(104)
          w.uint64Number(obj.serial)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          version: 0,
          handle: '',
          displayName: '',
          title: '',
          department: '',
          devicePublicKey: uint8ArrayAlloc(0),
          mlsSignatureKey: uint8ArrayAlloc(0),
          notBefore: 0,
          notAfter: 0,
          authorityPublicKey: uint8ArrayAlloc(0),
          serial: 0
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
              obj.handle = reader.string()
              break
            }
            case 3: {
              obj.displayName = reader.string()
              break
            }
            case 4: {
              obj.title = reader.string()
              break
            }
            case 5: {
              obj.department = reader.string()
              break
            }
            case 6: {
              obj.devicePublicKey = reader.bytes()
              break
            }
            case 7: {
              obj.mlsSignatureKey = reader.bytes()
              break
            }
            case 10: {
              obj.notBefore = reader.uint64Number()
              break
            }
            case 11: {
              obj.notAfter = reader.uint64Number()
              break
            }
            case 12: {
              obj.authorityPublicKey = reader.bytes()
              break
            }
            case 13: {
              obj.serial = reader.uint64Number()
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
                field: `${prefix}.handle`,
                value: reader.string()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.displayName`,
                value: reader.string()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.title`,
                value: reader.string()
              }
              break
            }
            case 5: {
              yield {
                field: `${prefix}.department`,
                value: reader.string()
              }
              break
            }
            case 6: {
              yield {
                field: `${prefix}.devicePublicKey`,
                value: reader.bytes()
              }
              break
            }
            case 7: {
              yield {
                field: `${prefix}.mlsSignatureKey`,
                value: reader.bytes()
              }
              break
            }
            case 10: {
              yield {
                field: `${prefix}.notBefore`,
                value: reader.uint64Number()
              }
              break
            }
            case 11: {
              yield {
                field: `${prefix}.notAfter`,
                value: reader.uint64Number()
              }
              break
            }
            case 12: {
              yield {
                field: `${prefix}.authorityPublicKey`,
                value: reader.bytes()
              }
              break
            }
            case 13: {
              yield {
                field: `${prefix}.serial`,
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

  export interface CertificateBodyVersionFieldEvent {
    field: '$.version'
    value: number
  }

  export interface CertificateBodyHandleFieldEvent {
    field: '$.handle'
    value: string
  }

  export interface CertificateBodyDisplayNameFieldEvent {
    field: '$.displayName'
    value: string
  }

  export interface CertificateBodyTitleFieldEvent {
    field: '$.title'
    value: string
  }

  export interface CertificateBodyDepartmentFieldEvent {
    field: '$.department'
    value: string
  }

  export interface CertificateBodyDevicePublicKeyFieldEvent {
    field: '$.devicePublicKey'
    value: Uint8Array
  }

  export interface CertificateBodyMlsSignatureKeyFieldEvent {
    field: '$.mlsSignatureKey'
    value: Uint8Array
  }

  export interface CertificateBodyNotBeforeFieldEvent {
    field: '$.notBefore'
    value: number
  }

  export interface CertificateBodyNotAfterFieldEvent {
    field: '$.notAfter'
    value: number
  }

  export interface CertificateBodyAuthorityPublicKeyFieldEvent {
    field: '$.authorityPublicKey'
    value: Uint8Array
  }

  export interface CertificateBodySerialFieldEvent {
    field: '$.serial'
    value: number
  }

  export function encode (obj: Partial<CertificateBody>): Uint8Array {
    return encodeMessage(obj, CertificateBody.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<CertificateBody>): CertificateBody {
    return decodeMessage(buf, CertificateBody.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<CertificateBody>): Generator<CertificateBodyVersionFieldEvent | CertificateBodyHandleFieldEvent | CertificateBodyDisplayNameFieldEvent | CertificateBodyTitleFieldEvent | CertificateBodyDepartmentFieldEvent | CertificateBodyDevicePublicKeyFieldEvent | CertificateBodyMlsSignatureKeyFieldEvent | CertificateBodyNotBeforeFieldEvent | CertificateBodyNotAfterFieldEvent | CertificateBodyAuthorityPublicKeyFieldEvent | CertificateBodySerialFieldEvent> {
    return streamMessage(buf, CertificateBody.codec(), opts)
  }
}

export interface DeviceCertificate {
  body: Uint8Array
  signature: Uint8Array
}

export namespace DeviceCertificate {
  let _codec: Codec<DeviceCertificate>

  export const codec = (): Codec<DeviceCertificate> => {
    if (_codec == null) {
      _codec = message<DeviceCertificate>((obj, w, opts = {}) => {
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

  export interface DeviceCertificateBodyFieldEvent {
    field: '$.body'
    value: Uint8Array
  }

  export interface DeviceCertificateSignatureFieldEvent {
    field: '$.signature'
    value: Uint8Array
  }

  export function encode (obj: Partial<DeviceCertificate>): Uint8Array {
    return encodeMessage(obj, DeviceCertificate.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<DeviceCertificate>): DeviceCertificate {
    return decodeMessage(buf, DeviceCertificate.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<DeviceCertificate>): Generator<DeviceCertificateBodyFieldEvent | DeviceCertificateSignatureFieldEvent> {
    return streamMessage(buf, DeviceCertificate.codec(), opts)
  }
}

export interface Authority {
  department: string
  name: string
  publicKey: Uint8Array
  endorsedBy?: Uint8Array
  endorsement?: Uint8Array
}

export namespace Authority {
  let _codec: Codec<Authority>

  export const codec = (): Codec<Authority> => {
    if (_codec == null) {
      _codec = message<Authority>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.department != null && obj.department !== '')) {
          w.uint32(10)
          w.string(obj.department)
        }

        if ((obj.name != null && obj.name !== '')) {
          w.uint32(18)
          w.string(obj.name)
        }

        if ((obj.publicKey != null && obj.publicKey.byteLength > 0)) {
          w.uint32(26)
          w.bytes(obj.publicKey)
        }

        if (obj.endorsedBy != null) {
          w.uint32(34)
          w.bytes(obj.endorsedBy)
        }

        if (obj.endorsement != null) {
          w.uint32(42)
          w.bytes(obj.endorsement)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          department: '',
          name: '',
          publicKey: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.department = reader.string()
              break
            }
            case 2: {
              obj.name = reader.string()
              break
            }
            case 3: {
              obj.publicKey = reader.bytes()
              break
            }
            case 4: {
              obj.endorsedBy = reader.bytes()
              break
            }
            case 5: {
              obj.endorsement = reader.bytes()
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
                field: `${prefix}.department`,
                value: reader.string()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.name`,
                value: reader.string()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.publicKey`,
                value: reader.bytes()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.endorsedBy`,
                value: reader.bytes()
              }
              break
            }
            case 5: {
              yield {
                field: `${prefix}.endorsement`,
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

  export interface AuthorityDepartmentFieldEvent {
    field: '$.department'
    value: string
  }

  export interface AuthorityNameFieldEvent {
    field: '$.name'
    value: string
  }

  export interface AuthorityPublicKeyFieldEvent {
    field: '$.publicKey'
    value: Uint8Array
  }

  export interface AuthorityEndorsedByFieldEvent {
    field: '$.endorsedBy'
    value: Uint8Array
  }

  export interface AuthorityEndorsementFieldEvent {
    field: '$.endorsement'
    value: Uint8Array
  }

  export function encode (obj: Partial<Authority>): Uint8Array {
    return encodeMessage(obj, Authority.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Authority>): Authority {
    return decodeMessage(buf, Authority.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Authority>): Generator<AuthorityDepartmentFieldEvent | AuthorityNameFieldEvent | AuthorityPublicKeyFieldEvent | AuthorityEndorsedByFieldEvent | AuthorityEndorsementFieldEvent> {
    return streamMessage(buf, Authority.codec(), opts)
  }
}

export interface TrustBundle {
  authorities: Authority[]
}

export namespace TrustBundle {
  let _codec: Codec<TrustBundle>

  export const codec = (): Codec<TrustBundle> => {
    if (_codec == null) {
      _codec = message<TrustBundle>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.authorities != null && obj.authorities.length > 0) {
          for (const value of obj.authorities) {
            w.uint32(10)
            Authority.codec().encode(value, w)
          }
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          authorities: []
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              if (opts.limits?.authorities != null && obj.authorities.length === opts.limits.authorities) {
                throw new MaxLengthError('Decode error - repeated field "authorities" had too many elements')
              }

              if (obj.authorities.length === 256) {
                throw new MaxLengthError('Decode error - repeated field "authorities" had too many elements')
              }

              obj.authorities.push(Authority.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.authorities$
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
          authorities: 256
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              if (opts.limits?.authorities != null && obj.authorities === opts.limits.authorities) {
                throw new MaxLengthError('Streaming decode error - repeated field "authorities" had too many elements')
              }

              if (obj.authorities === 256) {
                throw new MaxLengthError('Streaming decode error - repeated field "authorities" had too many elements')
              }

              for (const evt of Authority.codec().stream(reader, reader.uint32(), `${prefix}.authorities[]`, {
                limits: opts.limits?.authorities$
              })) {
                yield {
                  ...evt,
                  index: obj.authorities
                }
              }

              obj.authorities++

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

  export interface TrustBundleAuthoritiesDepartmentFieldEvent {
    field: '$.authorities[].department'
    value: string
    index: number
  }

  export interface TrustBundleAuthoritiesNameFieldEvent {
    field: '$.authorities[].name'
    value: string
    index: number
  }

  export interface TrustBundleAuthoritiesPublicKeyFieldEvent {
    field: '$.authorities[].publicKey'
    value: Uint8Array
    index: number
  }

  export interface TrustBundleAuthoritiesEndorsedByFieldEvent {
    field: '$.authorities[].endorsedBy'
    value: Uint8Array
    index: number
  }

  export interface TrustBundleAuthoritiesEndorsementFieldEvent {
    field: '$.authorities[].endorsement'
    value: Uint8Array
    index: number
  }

  export function encode (obj: Partial<TrustBundle>): Uint8Array {
    return encodeMessage(obj, TrustBundle.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<TrustBundle>): TrustBundle {
    return decodeMessage(buf, TrustBundle.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<TrustBundle>): Generator<TrustBundleAuthoritiesDepartmentFieldEvent | TrustBundleAuthoritiesNameFieldEvent | TrustBundleAuthoritiesPublicKeyFieldEvent | TrustBundleAuthoritiesEndorsedByFieldEvent | TrustBundleAuthoritiesEndorsementFieldEvent> {
    return streamMessage(buf, TrustBundle.codec(), opts)
  }
}

export interface RevocationBody {
  authorityPublicKey: Uint8Array
  serial: number
  issuedAt: number
  revokedDeviceKeys: Uint8Array[]
}

export namespace RevocationBody {
  let _codec: Codec<RevocationBody>

  export const codec = (): Codec<RevocationBody> => {
    if (_codec == null) {
      _codec = message<RevocationBody>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.authorityPublicKey != null && obj.authorityPublicKey.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.authorityPublicKey)
        }

        if ((obj.serial != null && obj.serial !== 0)) {
          w.uint32(16)
          w.uint64Number(obj.serial)
        }

        if ((obj.issuedAt != null && obj.issuedAt !== 0)) {
          w.uint32(24)
          w.uint64Number(obj.issuedAt)
        }

        if (obj.revokedDeviceKeys != null && obj.revokedDeviceKeys.length > 0) {
          for (const value of obj.revokedDeviceKeys) {
            w.uint32(34)
            w.bytes(value)
          }
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          authorityPublicKey: uint8ArrayAlloc(0),
          serial: 0,
          issuedAt: 0,
          revokedDeviceKeys: []
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.authorityPublicKey = reader.bytes()
              break
            }
            case 2: {
              obj.serial = reader.uint64Number()
              break
            }
            case 3: {
              obj.issuedAt = reader.uint64Number()
              break
            }
            case 4: {
              if (opts.limits?.revokedDeviceKeys != null && obj.revokedDeviceKeys.length === opts.limits.revokedDeviceKeys) {
                throw new MaxLengthError('Decode error - repeated field "revokedDeviceKeys" had too many elements')
              }

              if (obj.revokedDeviceKeys.length === 65536) {
                throw new MaxLengthError('Decode error - repeated field "revokedDeviceKeys" had too many elements')
              }

              obj.revokedDeviceKeys.push(reader.bytes())
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
          revokedDeviceKeys: 65536
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.authorityPublicKey`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.serial`,
                value: reader.uint64Number()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.issuedAt`,
                value: reader.uint64Number()
              }
              break
            }
            case 4: {
              if (opts.limits?.revokedDeviceKeys != null && obj.revokedDeviceKeys === opts.limits.revokedDeviceKeys) {
                throw new MaxLengthError('Streaming decode error - repeated field "revokedDeviceKeys" had too many elements')
              }

              if (obj.revokedDeviceKeys === 65536) {
                throw new MaxLengthError('Streaming decode error - repeated field "revokedDeviceKeys" had too many elements')
              }

              yield {
                field: `${prefix}.revokedDeviceKeys[]`,
                index: obj.revokedDeviceKeys,
                value: reader.bytes()
              }

              obj.revokedDeviceKeys++

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

  export interface RevocationBodyAuthorityPublicKeyFieldEvent {
    field: '$.authorityPublicKey'
    value: Uint8Array
  }

  export interface RevocationBodySerialFieldEvent {
    field: '$.serial'
    value: number
  }

  export interface RevocationBodyIssuedAtFieldEvent {
    field: '$.issuedAt'
    value: number
  }

  export interface RevocationBodyRevokedDeviceKeysFieldEvent {
    field: '$.revokedDeviceKeys[]'
    index: number
    value: Uint8Array
  }

  export function encode (obj: Partial<RevocationBody>): Uint8Array {
    return encodeMessage(obj, RevocationBody.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<RevocationBody>): RevocationBody {
    return decodeMessage(buf, RevocationBody.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<RevocationBody>): Generator<RevocationBodyAuthorityPublicKeyFieldEvent | RevocationBodySerialFieldEvent | RevocationBodyIssuedAtFieldEvent | RevocationBodyRevokedDeviceKeysFieldEvent> {
    return streamMessage(buf, RevocationBody.codec(), opts)
  }
}

export interface RevocationList {
  body: Uint8Array
  signature: Uint8Array
}

export namespace RevocationList {
  let _codec: Codec<RevocationList>

  export const codec = (): Codec<RevocationList> => {
    if (_codec == null) {
      _codec = message<RevocationList>((obj, w, opts = {}) => {
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

  export interface RevocationListBodyFieldEvent {
    field: '$.body'
    value: Uint8Array
  }

  export interface RevocationListSignatureFieldEvent {
    field: '$.signature'
    value: Uint8Array
  }

  export function encode (obj: Partial<RevocationList>): Uint8Array {
    return encodeMessage(obj, RevocationList.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<RevocationList>): RevocationList {
    return decodeMessage(buf, RevocationList.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<RevocationList>): Generator<RevocationListBodyFieldEvent | RevocationListSignatureFieldEvent> {
    return streamMessage(buf, RevocationList.codec(), opts)
  }
}

export interface InviteTicket {
  version: number
  department: string
  authorityPublicKey: Uint8Array
  secret: Uint8Array
  expiresAt: number
  nodeAddrs: string[]
  handle: string
  displayName: string
  title: string
}

export namespace InviteTicket {
  let _codec: Codec<InviteTicket>

  export const codec = (): Codec<InviteTicket> => {
    if (_codec == null) {
      _codec = message<InviteTicket>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.version != null && obj.version !== 0)) {
          w.uint32(8)
          w.uint32(obj.version)
        }

        if ((obj.department != null && obj.department !== '')) {
          w.uint32(18)
          w.string(obj.department)
        }

        if ((obj.authorityPublicKey != null && obj.authorityPublicKey.byteLength > 0)) {
          w.uint32(26)
          w.bytes(obj.authorityPublicKey)
        }

        if ((obj.secret != null && obj.secret.byteLength > 0)) {
          w.uint32(34)
          w.bytes(obj.secret)
        }

        if ((obj.expiresAt != null && obj.expiresAt !== 0)) {
          w.uint32(40)
          w.uint64Number(obj.expiresAt)
        }

        if (obj.nodeAddrs != null && obj.nodeAddrs.length > 0) {
          for (const value of obj.nodeAddrs) {
            w.uint32(50)
            w.string(value)
          }
        }

        if ((obj.handle != null && obj.handle !== '')) {
          w.uint32(58)
          w.string(obj.handle)
        }

        if ((obj.displayName != null && obj.displayName !== '')) {
          w.uint32(66)
          w.string(obj.displayName)
        }

        if ((obj.title != null && obj.title !== '')) {
          w.uint32(74)
          w.string(obj.title)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          version: 0,
          department: '',
          authorityPublicKey: uint8ArrayAlloc(0),
          secret: uint8ArrayAlloc(0),
          expiresAt: 0,
          nodeAddrs: [],
          handle: '',
          displayName: '',
          title: ''
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
              obj.department = reader.string()
              break
            }
            case 3: {
              obj.authorityPublicKey = reader.bytes()
              break
            }
            case 4: {
              obj.secret = reader.bytes()
              break
            }
            case 5: {
              obj.expiresAt = reader.uint64Number()
              break
            }
            case 6: {
              if (opts.limits?.nodeAddrs != null && obj.nodeAddrs.length === opts.limits.nodeAddrs) {
                throw new MaxLengthError('Decode error - repeated field "nodeAddrs" had too many elements')
              }

              if (obj.nodeAddrs.length === 16) {
                throw new MaxLengthError('Decode error - repeated field "nodeAddrs" had too many elements')
              }

              obj.nodeAddrs.push(reader.string())
              break
            }
            case 7: {
              obj.handle = reader.string()
              break
            }
            case 8: {
              obj.displayName = reader.string()
              break
            }
            case 9: {
              obj.title = reader.string()
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
          nodeAddrs: 16
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
                field: `${prefix}.department`,
                value: reader.string()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.authorityPublicKey`,
                value: reader.bytes()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.secret`,
                value: reader.bytes()
              }
              break
            }
            case 5: {
              yield {
                field: `${prefix}.expiresAt`,
                value: reader.uint64Number()
              }
              break
            }
            case 6: {
              if (opts.limits?.nodeAddrs != null && obj.nodeAddrs === opts.limits.nodeAddrs) {
                throw new MaxLengthError('Streaming decode error - repeated field "nodeAddrs" had too many elements')
              }

              if (obj.nodeAddrs === 16) {
                throw new MaxLengthError('Streaming decode error - repeated field "nodeAddrs" had too many elements')
              }

              yield {
                field: `${prefix}.nodeAddrs[]`,
                index: obj.nodeAddrs,
                value: reader.string()
              }

              obj.nodeAddrs++

              break
            }
            case 7: {
              yield {
                field: `${prefix}.handle`,
                value: reader.string()
              }
              break
            }
            case 8: {
              yield {
                field: `${prefix}.displayName`,
                value: reader.string()
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

  export interface InviteTicketVersionFieldEvent {
    field: '$.version'
    value: number
  }

  export interface InviteTicketDepartmentFieldEvent {
    field: '$.department'
    value: string
  }

  export interface InviteTicketAuthorityPublicKeyFieldEvent {
    field: '$.authorityPublicKey'
    value: Uint8Array
  }

  export interface InviteTicketSecretFieldEvent {
    field: '$.secret'
    value: Uint8Array
  }

  export interface InviteTicketExpiresAtFieldEvent {
    field: '$.expiresAt'
    value: number
  }

  export interface InviteTicketNodeAddrsFieldEvent {
    field: '$.nodeAddrs[]'
    index: number
    value: string
  }

  export interface InviteTicketHandleFieldEvent {
    field: '$.handle'
    value: string
  }

  export interface InviteTicketDisplayNameFieldEvent {
    field: '$.displayName'
    value: string
  }

  export interface InviteTicketTitleFieldEvent {
    field: '$.title'
    value: string
  }

  export function encode (obj: Partial<InviteTicket>): Uint8Array {
    return encodeMessage(obj, InviteTicket.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<InviteTicket>): InviteTicket {
    return decodeMessage(buf, InviteTicket.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<InviteTicket>): Generator<InviteTicketVersionFieldEvent | InviteTicketDepartmentFieldEvent | InviteTicketAuthorityPublicKeyFieldEvent | InviteTicketSecretFieldEvent | InviteTicketExpiresAtFieldEvent | InviteTicketNodeAddrsFieldEvent | InviteTicketHandleFieldEvent | InviteTicketDisplayNameFieldEvent | InviteTicketTitleFieldEvent> {
    return streamMessage(buf, InviteTicket.codec(), opts)
  }
}
