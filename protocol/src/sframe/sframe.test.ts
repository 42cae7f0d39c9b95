import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { fromHex, toHex } from '../bytes.js'
import { MalformedInputError } from '../errors.js'
import { CallKeyring, callKey, callKid, callSender, leafOfKid, MAX_RECEIVE_KEYS } from './call-keys.js'
import { SFrameAuthenticationError, UnknownSFrameKeyError } from './errors.js'
import { decodeHeader, encodeHeader } from './header.js'
import { deriveKeySalt, SFrameSender, sframeDecrypt, sframeEncrypt } from './sframe.js'
import { AES_128_GCM_SHA256_128, AES_256_GCM_SHA512_128 } from './suites.js'

/** RFC 9605 Appendix C.1 (a sample across every length of KID and CTR). */
const HEADER_VECTORS: Array<[bigint, bigint, string]> = [
  [0x0n, 0x0n, '00'],
  [0x0n, 0x1n, '01'],
  [0x0n, 0xffn, '08ff'],
  [0x0n, 0x100n, '090100'],
  [0x0n, 0xffffffffffffffffn, '0fffffffffffffffff'],
  [0x1n, 0x0n, '10'],
  [0x1n, 0x10000n, '1a010000'],
  [0xffn, 0x0n, '80ff'],
  [0xffn, 0xffn, '88ffff'],
  [0x100n, 0x0n, '900100'],
  [0x100n, 0xffffffffn, '9b0100ffffffff'],
  [0xffffn, 0x1000000n, '9bffff01000000'],
  [0x10000n, 0x100000000n, 'ac0100000100000000'],
  [0xffffffn, 0xffn, 'a8ffffffff'],
  [0x1000000n, 0x100n, 'b9010000000100'],
  [0xffffffffn, 0xffffffffffffffffn, 'bfffffffffffffffffffffffff'],
  [0x100000000n, 0x0n, 'c00100000000'],
  [0xffffffffffn, 0x10000n, 'caffffffffff010000'],
  [0x10000000000n, 0xffffffffn, 'db010000000000ffffffff'],
  [0x1000000000000n, 0x100000000000000n, 'ef010000000000000100000000000000'],
  [0x100000000000000n, 0x100000000000000n, 'ff01000000000000000100000000000000'],
  [0xffffffffffffffffn, 0x0n, 'f0ffffffffffffffff'],
  [0xffffffffffffffffn, 0xffffffffffffffffn, 'ffffffffffffffffffffffffffffffffff']
]

/** RFC 9605 Appendix C.3, the two AES-GCM suites. */
const ENCRYPTION_VECTORS = [
  {
    suite: AES_128_GCM_SHA256_128,
    sframeKey: 'd34f547f4ca4f9a7447006fe7fcbf768',
    sframeSalt: '75234edefe07819026751816',
    ct: '9901234567b7412c2513a1b66dbb48841bbaf17f598751176ad847681a69c6d0b091c07018ce4adb34eb'
  },
  {
    suite: AES_256_GCM_SHA512_128,
    sframeKey: 'd3e27b0d4a5ae9e55df01a70e6d4d28d969b246e2936f4b7a5d9b494da6b9633',
    sframeSalt: '84991c167b8cd23c93708ec7',
    ct: '990123456794f509d36e9beacb0e261d99c7d1e972f1fed787d4049f17ca21353c1cc24d56ceabced279'
  }
]
const VECTOR_KID = 0x123n
const VECTOR_CTR = 0x4567n
const VECTOR_BASE_KEY = fromHex('000102030405060708090a0b0c0d0e0f')
const VECTOR_METADATA = fromHex('4945544620534672616d65205747')
const VECTOR_PT = fromHex('64726166742d696574662d736672616d652d656e63')

const u64 = fc.bigInt({ min: 0n, max: (1n << 64n) - 1n })

describe('SFrame header (RFC 9605 4.3)', () => {
  it('encodes and decodes the RFC test vectors', () => {
    for (const [kid, ctr, hex] of HEADER_VECTORS) {
      expect(toHex(encodeHeader(kid, ctr)), `kid ${kid} ctr ${ctr}`).toBe(hex)
      expect(decodeHeader(fromHex(hex))).toEqual({ kid, ctr, length: hex.length / 2 })
    }
  })

  it('round-trips every kid and counter, and ignores what follows the header', () => {
    fc.assert(fc.property(u64, u64, fc.uint8Array({ maxLength: 8 }), (kid, ctr, tail) => {
      const header = encodeHeader(kid, ctr)
      expect(decodeHeader(new Uint8Array([...header, ...tail]))).toEqual({ kid, ctr, length: header.length })
    }))
  })

  it('refuses cut-short and non-minimal headers with a typed error, never anything else', () => {
    expect(() => decodeHeader(new Uint8Array(0))).toThrow(MalformedInputError)
    expect(() => decodeHeader(fromHex('0f01'))).toThrow(MalformedInputError)
    // kid 5 written in an extended byte, counter 0x00ff in two bytes
    expect(() => decodeHeader(fromHex('8005'))).toThrow(MalformedInputError)
    expect(() => decodeHeader(fromHex('0900ff'))).toThrow(MalformedInputError)
    fc.assert(fc.property(fc.uint8Array({ maxLength: 20 }), (bytes) => {
      try {
        const header = decodeHeader(bytes)
        // whatever decodes re-encodes to the same bytes: one header per (kid, ctr)
        expect(toHex(encodeHeader(header.kid, header.ctr))).toBe(toHex(bytes.subarray(0, header.length)))
      } catch (err) {
        expect(err).toBeInstanceOf(MalformedInputError)
      }
    }))
  })
})

describe('SFrame encryption (RFC 9605 4.4)', () => {
  for (const vector of ENCRYPTION_VECTORS) {
    it(`matches the RFC test vector for ${vector.suite.name}`, () => {
      const key = deriveKeySalt(vector.suite, VECTOR_KID, VECTOR_BASE_KEY)
      expect(toHex(key.key)).toBe(vector.sframeKey)
      expect(toHex(key.salt)).toBe(vector.sframeSalt)
      const ct = sframeEncrypt(key, VECTOR_CTR, VECTOR_METADATA, VECTOR_PT)
      expect(toHex(ct)).toBe(vector.ct)
      const opened = sframeDecrypt(kid => kid === VECTOR_KID ? key : undefined, VECTOR_METADATA, fromHex(vector.ct))
      expect(opened).toEqual({ kid: VECTOR_KID, ctr: VECTOR_CTR, plaintext: VECTOR_PT })
    })
  }

  it('decrypts what it encrypts, for any key id, counter, metadata and frame', () => {
    const base = fromHex('101112131415161718191a1b1c1d1e1f')
    fc.assert(fc.property(u64, u64, fc.uint8Array({ maxLength: 16 }), fc.uint8Array({ maxLength: 2048 }), (kid, ctr, metadata, frame) => {
      const key = deriveKeySalt(AES_128_GCM_SHA256_128, kid, base)
      const ct = sframeEncrypt(key, ctr, metadata, frame)
      expect(ct.length).toBe(encodeHeader(kid, ctr).length + frame.length + 16)
      expect(sframeDecrypt(() => key, metadata, ct).plaintext).toEqual(frame)
    }), { numRuns: 200 })
  })

  it('refuses any change to the ciphertext, header or metadata', () => {
    const key = deriveKeySalt(AES_128_GCM_SHA256_128, 9n, VECTOR_BASE_KEY)
    const other = deriveKeySalt(AES_128_GCM_SHA256_128, 9n, fromHex('ff0102030405060708090a0b0c0d0e0f'))
    fc.assert(fc.property(fc.uint8Array({ minLength: 1, maxLength: 256 }), fc.nat(), fc.integer({ min: 1, max: 255 }), (frame, at, flip) => {
      const ct = sframeEncrypt(key, 77n, VECTOR_METADATA, frame)
      const bent = ct.slice()
      bent[at % bent.length]! ^= flip
      expect(() => sframeDecrypt(() => key, VECTOR_METADATA, bent)).toThrow(/SFrame|malformed|encoded|cut short|key/i)
      const metadata = VECTOR_METADATA.slice()
      metadata[at % metadata.length]! ^= flip
      expect(() => sframeDecrypt(() => key, metadata, ct)).toThrow(SFrameAuthenticationError)
      // the same frame under another base key: not readable
      expect(() => sframeDecrypt(() => other, VECTOR_METADATA, ct)).toThrow(SFrameAuthenticationError)
    }), { numRuns: 200 })
  })

  it('says when no key is known for a key id, and when a frame is shorter than its tag', () => {
    const key = deriveKeySalt(AES_128_GCM_SHA256_128, 3n, VECTOR_BASE_KEY)
    const ct = sframeEncrypt(key, 0n, new Uint8Array(0), VECTOR_PT)
    expect(() => sframeDecrypt(() => undefined, new Uint8Array(0), ct)).toThrow(UnknownSFrameKeyError)
    expect(() => sframeDecrypt(() => key, new Uint8Array(0), ct.subarray(0, 10))).toThrow(SFrameAuthenticationError)
  })

  it('gives every frame of a sender its own counter', () => {
    const sender = new SFrameSender(deriveKeySalt(AES_128_GCM_SHA256_128, 1n, VECTOR_BASE_KEY))
    const counters = Array.from({ length: 20 }, () => decodeHeader(sender.encrypt(new Uint8Array(0), VECTOR_PT)).ctr)
    expect(new Set(counters).size).toBe(20)
    expect(sender.count).toBe(20n)
  })
})

describe('call keys from the MLS exporter', () => {
  const secret = fromHex('00'.repeat(31) + '01')
  it('puts the leaf index in the low bits of the KID and refuses out-of-range parts', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 0xffff }), fc.integer({ min: 0, max: 2 ** 31 - 1 }), (leaf, session) => {
      expect(leafOfKid(callKid(leaf, session))).toBe(leaf)
    }))
    expect(() => callKid(0x10000, 0)).toThrow(MalformedInputError)
    expect(() => callKid(0, 2 ** 31)).toThrow(MalformedInputError)
    expect(() => callKey(new Uint8Array(16), 1n)).toThrow(MalformedInputError)
  })

  it('gives each sender and each session its own key, which receivers derive from the KID alone', () => {
    const a = callSender(secret, 0, 1)
    const b = callSender(secret, 1, 1)
    const again = callSender(secret, 0, 2)
    expect(toHex(a.key.key)).not.toBe(toHex(b.key.key))
    expect(toHex(a.key.key)).not.toBe(toHex(again.key.key))
    const ring = new CallKeyring(secret, leaf => leaf === 0)
    expect(sframeDecrypt(ring.keyFor, new Uint8Array(0), a.encrypt(new Uint8Array(0), VECTOR_PT)).plaintext).toEqual(VECTOR_PT)
    expect(sframeDecrypt(ring.keyFor, new Uint8Array(0), again.encrypt(new Uint8Array(0), VECTOR_PT)).plaintext).toEqual(VECTOR_PT)
    // leaf 1 is not the device at the other end of this connection
    expect(() => sframeDecrypt(ring.keyFor, new Uint8Array(0), b.encrypt(new Uint8Array(0), VECTOR_PT))).toThrow(UnknownSFrameKeyError)
    // another call's secret reads nothing
    const stranger = new CallKeyring(fromHex('02'.repeat(32)), () => true)
    expect(() => sframeDecrypt(stranger.keyFor, new Uint8Array(0), a.encrypt(new Uint8Array(0), VECTOR_PT))).toThrow(SFrameAuthenticationError)
  })

  it('keeps a bounded number of receiving keys, whatever KIDs arrive', () => {
    const ring = new CallKeyring(secret, () => true)
    for (let session = 0; session < MAX_RECEIVE_KEYS * 3; session++) expect(ring.keyFor(callKid(0, session))).toBeDefined()
    expect((ring as unknown as { keys: Map<bigint, unknown> }).keys.size).toBe(MAX_RECEIVE_KEYS)
  })
})
