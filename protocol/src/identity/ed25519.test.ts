import { createPublicKey, verify as opensslVerify } from 'node:crypto'
import fc from 'fast-check'
import { ed25519 } from '@noble/curves/ed25519.js'
import { bytesToNumberLE, numberToBytesLE } from '@noble/curves/utils.js'
import { sha512 } from '@noble/hashes/sha2.js'
import { describe, expect, it } from 'vitest'
import * as chosen from '#ed25519'
import { concatBytes, fromHex, toHex } from '../bytes.js'
import { isStrictPublicKey, isStrictSignature } from './ed25519-strict.js'
import * as native from './ed25519.node.js'
import * as noble from './ed25519.noble.js'

// Both implementations have the shape keys.ts calls: a type error here if they part.
const implementations: Array<typeof chosen> = [native, noble]

const { Point } = ed25519
const { Fn } = Point
const B = Point.BASE
const L = Fn.ORDER
const P = Point.Fp.ORDER

/** An order-8 point; its multiples are all 8 points of small order. */
const T8 = Point.fromBytes(fromHex('c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a'))
const SMALL_ORDER = Array.from({ length: 8 }, (_, i) => T8.multiplyUnsafe(BigInt(i)))

/** What OpenSSL alone says, without the strict checks in front of it. */
function openssl (signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean {
  try {
    const key = createPublicKey({ key: Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), publicKey]), format: 'der', type: 'spki' })
    return opensslVerify(null, message, key, signature)
  } catch {
    return false
  }
}

/** Both verdicts, which must be the same; returns it. */
function agreed (signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean {
  const verdict = noble.verify(signature, message, publicKey)
  expect(native.verify(signature, message, publicKey), `native vs noble, key ${toHex(publicKey)} sig ${toHex(signature)}`).toBe(verdict)
  return verdict
}

/** k = SHA-512(R || A || M) mod L: the challenge of RFC 8032 5.1.6. */
function challenge (r: Uint8Array, publicKey: Uint8Array, message: Uint8Array): bigint {
  return Fn.create(bytesToNumberLE(sha512(concatBytes(r, publicKey, message))))
}

function signatureOf (r: Uint8Array, s: bigint): Uint8Array {
  return concatBytes(r, numberToBytesLE(s, 32))
}

/** The encodings of y + p (y < 19, so y + p < 2^255), with either sign bit: all non-canonical encodings. */
function nonCanonicalEncodings (): Uint8Array[] {
  const out: Uint8Array[] = []
  for (let y = 0n; y < 19n; y++) {
    const bytes = numberToBytesLE(y + P, 32)
    out.push(bytes, Uint8Array.from(bytes, (b, i) => i === 31 ? b | 0x80 : b))
  }
  return out
}

/** Encodings of the small-order points: canonical ones, x = 0 with the sign bit set, and non-canonical ones. */
function smallOrderEncodings (): Uint8Array[] {
  const canonical = SMALL_ORDER.map(p => p.toBytes())
  const signedZeroX = canonical.filter(e => bytesToNumberLE(e) === 1n || bytesToNumberLE(e) === P - 1n).map(e => Uint8Array.from(e, (b, i) => i === 31 ? b | 0x80 : b))
  const nonCanonical = nonCanonicalEncodings().filter(e => {
    try {
      return Point.fromBytes(e, true).isSmallOrder()
    } catch {
      return false
    }
  })
  return [...canonical, ...signedZeroX, ...nonCanonical]
}

/**
 * noble's strict verdicts on the 15 speccheck cases: it refuses small-order keys
 * (0-3), S >= L (9, 10), non-canonical R (11, 12) and A (13, 14); it accepts a
 * small-order or mixed R with a mixed key (4-7) and the pre-reduced scalar (8),
 * by the cofactored equation. OpenSSL 3.0 accepted 1, 3, 5, 6 and 14.
 */
const STRICT_VERDICTS = [false, false, false, false, true, true, true, true, true, false, false, false, false, false, false]

const seeds = fc.uint8Array({ minLength: 32, maxLength: 32 })
const messages = fc.uint8Array({ maxLength: 300 })

describe('Ed25519 on Node.js (node:crypto) and in the browser (@noble/curves)', () => {
  it('Node.js resolves #ed25519 to the native implementation', () => {
    expect(chosen.verify).toBe(native.verify)
    expect(implementations).toHaveLength(2)
  })

  it('RFC 8032 tests 1-3: same public keys, same signatures, both verify', () => {
    const vectors = [
      ['9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60', 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a', '',
        'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b'],
      ['4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb', '3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c', '72',
        '92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00'],
      ['c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7', 'fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025', 'af82',
        '6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a']
    ]
    for (const [seed, publicKey, message, signature] of vectors.map(v => v.map(fromHex))) {
      for (const impl of implementations) {
        expect(impl.publicKeyOf(seed!)).toEqual(publicKey)
        expect(impl.sign(message!, seed!)).toEqual(signature)
        expect(impl.verify(signature!, message!, publicKey!)).toBe(true)
      }
    }
  })

  it('derives the same public key and signs the same bytes, and both verify', () => {
    fc.assert(fc.property(seeds, messages, (seed, message) => {
      const publicKey = native.publicKeyOf(seed)
      expect(publicKey).toEqual(noble.publicKeyOf(seed))
      const signature = native.sign(message, seed)
      expect(signature).toEqual(noble.sign(message, seed))
      expect(agreed(signature, message, publicKey)).toBe(true)
    }), { numRuns: 150 })
  })

  it('agrees on a flipped bit anywhere in the signature, the key or the message', () => {
    fc.assert(fc.property(seeds, messages, fc.nat(), fc.constantFrom('signature', 'key', 'message'), (seed, message, at, where) => {
      const publicKey = noble.publicKeyOf(seed)
      const signature = noble.sign(message, seed)
      const flip = (bytes: Uint8Array): Uint8Array => {
        const out = bytes.slice()
        if (out.length > 0) out[(at >> 3) % out.length]! ^= 1 << (at & 7)
        return out
      }
      if (where === 'signature') expect(agreed(flip(signature), message, publicKey)).toBe(false)
      if (where === 'key') agreed(signature, message, flip(publicKey))
      if (where === 'message') expect(agreed(signature, flip(message), publicKey)).toBe(message.length === 0)
    }), { numRuns: 150 })
  })

  it('agrees on random keys and signatures', () => {
    fc.assert(fc.property(fc.uint8Array({ minLength: 64, maxLength: 64 }), messages, fc.uint8Array({ minLength: 32, maxLength: 32 }), (signature, message, publicKey) => {
      expect(agreed(signature, message, publicKey)).toBe(false)
    }), { numRuns: 100 })
  })

  it('refuses the malleable S + L, and S = L, and a too-large S', () => {
    const seed = new Uint8Array(32).fill(9)
    const message = new Uint8Array([1, 2, 3])
    const publicKey = noble.publicKeyOf(seed)
    const signature = noble.sign(message, seed)
    const r = signature.subarray(0, 32)
    const s = bytesToNumberLE(signature.subarray(32))
    for (const bad of [s + L, L, 2n ** 256n - 1n]) expect(agreed(signatureOf(r, bad), message, publicKey)).toBe(false)
  })

  it('refuses non-canonical encodings of R and of A', () => {
    const seed = new Uint8Array(32).fill(10)
    const message = new Uint8Array([4, 5, 6])
    const publicKey = noble.publicKeyOf(seed)
    const signature = noble.sign(message, seed)
    const s = signature.subarray(32)
    for (const encoding of nonCanonicalEncodings()) {
      expect(isStrictPublicKey(encoding)).toBe(false)
      expect(isStrictSignature(concatBytes(encoding, s))).toBe(false)
      expect(agreed(concatBytes(encoding, s), message, publicKey)).toBe(false)
      expect(agreed(signature, message, encoding)).toBe(false)
    }
  })

  it('refuses small-order public keys, under which signatures can be forged for any message', () => {
    // OpenSSL 3.0 accepted these forgeries, the 3.5 in Node.js 24 refuses them: the checks rely on neither.
    const message = new Uint8Array([7, 8, 9])
    for (const publicKey of smallOrderEncodings()) {
      expect(isStrictPublicKey(publicKey)).toBe(false)
      // [k]A is one of the 8 small-order points: guess which, and R = [S]B - [k]A holds 1 time in 8.
      const A = Point.fromBytes(publicKey, true)
      for (let guess = 0n; guess < 16n; guess++) {
        const s = Fn.create(guess * 7919n + 1n)
        const r = B.multiply(s).subtract(A.multiplyUnsafe(guess % 8n)).toBytes()
        expect(agreed(signatureOf(r, s), message, publicKey)).toBe(false)
      }
    }
  })

  it('refuses the identity and other small-order points as R, and an all-zero key', () => {
    const seed = new Uint8Array(32).fill(11)
    const message = new Uint8Array([10])
    const publicKey = noble.publicKeyOf(seed)
    const s = noble.sign(message, seed).subarray(32)
    for (const r of smallOrderEncodings()) {
      expect(agreed(concatBytes(r, s), message, publicKey)).toBe(false)
      expect(agreed(concatBytes(r, new Uint8Array(32)), message, publicKey)).toBe(false)
    }
    expect(agreed(noble.sign(message, seed), message, new Uint8Array(32))).toBe(false)
    expect(agreed(new Uint8Array(64), message, new Uint8Array(32))).toBe(false)
  })

  // Where OpenSSL's exact equation and noble's cofactored one part: a signer who
  // adds a small-order point to their key or their R. noble accepts; the Node.js
  // implementation must too, or a browser and a node would disagree on a message.
  it('agrees with noble where OpenSSL alone would refuse: a small-order component in A or in R', () => {
    let refusedByOpensslAlone = 0
    fc.assert(fc.property(seeds, messages, fc.integer({ min: 1, max: 7 }), (seed, message, torsion) => {
      const { scalar: a, point: honestA } = ed25519.utils.getExtendedPublicKey(seed)
      const T = SMALL_ORDER[torsion]!
      const nonce = Fn.create(bytesToNumberLE(sha512(concatBytes(seed, message))))

      const mixedA = honestA.add(T).toBytes()
      const r = B.multiply(nonce).toBytes()
      const underMixedKey = signatureOf(r, Fn.create(nonce + challenge(r, mixedA, message) * a))
      expect(agreed(underMixedKey, message, mixedA)).toBe(true)
      if (!openssl(underMixedKey, message, mixedA)) refusedByOpensslAlone++

      const mixedR = B.multiply(nonce).add(T).toBytes()
      const withMixedR = signatureOf(mixedR, Fn.create(nonce + challenge(mixedR, honestA.toBytes(), message) * a))
      expect(agreed(withMixedR, message, honestA.toBytes())).toBe(true)
      if (!openssl(withMixedR, message, honestA.toBytes())) refusedByOpensslAlone++
    }), { numRuns: 40 })
    // If a later OpenSSL checks the cofactored equation, this fails: the fallback
    // to noble in ed25519.node.ts would then no longer be needed.
    expect(refusedByOpensslAlone).toBeGreaterThan(0)
  })

  it('agrees on the edge cases of "Taming the many EdDSAs" (ed25519-speccheck)', () => {
    // novifinancial/ed25519-speccheck cases.json: message, public key, signature.
    const cases = [
      ['2a66241a42a9ee12994d8068dcf1bb7dfc6637b45450acd43711f637fa5080fc', 'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa', 'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a0000000000000000000000000000000000000000000000000000000000000000'],
      ['8c93255d71dcab10e8f379c26200f3c7bd5f09d9bc3068d3ef4edeb4853022b6', 'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa', 'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a0000000000000000000000000000000000000000000000000000000000000000'],
      ['9bedc267423725d473888631ebf45988bad3db83851ee85c85e241a07d148b41', 'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa', 'f7badec5b8abeaf699583992219b7b223f1df3fbbea919844e3f7c554a43dd43a5bb704786be79fc476f91d3f3f89b03984d8068dcf1bb7dfc6637b45450ac04'],
      ['9bd9f44f4dcc75bd531b56b2cd280b0bb38fc1cd6d1230e14861d861de092e79', 'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa', 'f7badec5b8abeaf699583992219b7b223f1df3fbbea919844e3f7c554a43dd43a5bb704786be79fc476f91d3f3f89b03984d8068dcf1bb7dfc6637b45450ac04'],
      ['9bedc267423725d473888631ebf45988bad3db83851ee85c85e241a07d148b41', 'f7badec5b8abeaf699583992219b7b223f1df3fbbea919844e3f7c554a43dd43', 'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa182ef1a5b928da07fec769cc8a12db6bcf70dab3f3227fa315e9d5e3e01a3405'],
      ['aebf3f2601a0c8c5d39cc7d8911642f740b78168218da8471772b35f9d35b9ab', 'f7badec5b8abeaf699583992219b7b223f1df3fbbea919844e3f7c554a43dd43', 'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa8c4bd45aecaca5b24fb97bc10ac27ac8751a7dfe1baff8b953ec9f5833ca260e'],
      ['9bd9f44f4dcc75bd531b56b2cd280b0bb38fc1cd6d1230e14861d861de092e79', 'cdb267ce40c5cd45306fa5d2f29731459387dbf9eb933b7bd5aed9a765b88d4d', '9046a64750444938de19f227bb80485e92b83fdb4b6506c160484c016cc1852f87909e14428a7a1d62e9f22f3d3ad7802db02eb2e688b6c52fcd6648a98bd009'],
      ['e47d62c63f830dc7a6851a0b1f33ae4bb2f507fb6cffec4011eaccd55b53f56c', 'cdb267ce40c5cd45306fa5d2f29731459387dbf9eb933b7bd5aed9a765b88d4d', '160a1cb0dc9c0258cd0a7d23e94d8fa878bcb1925f2c64246b2dee1796bed5125ec6bc982a269b723e0668e540911a9a6a58921d6925e434ab10aa7940551a09'],
      ['e47d62c63f830dc7a6851a0b1f33ae4bb2f507fb6cffec4011eaccd55b53f56c', 'cdb267ce40c5cd45306fa5d2f29731459387dbf9eb933b7bd5aed9a765b88d4d', '21122a84e0b5fca4052f5b1235c80a537878b38f3142356b2c2384ebad4668b7e40bc836dac0f71076f9abe3a53f9c03c1ceeeddb658d0030494ace586687405'],
      ['85e241a07d148b41e47d62c63f830dc7a6851a0b1f33ae4bb2f507fb6cffec40', '442aad9f089ad9e14647b1ef9099a1ff4798d78589e66f28eca69c11f582a623', 'e96f66be976d82e60150baecff9906684aebb1ef181f67a7189ac78ea23b6c0e547f7690a0e2ddcd04d87dbc3490dc19b3b3052f7ff0538cb68afb369ba3a514'],
      ['85e241a07d148b41e47d62c63f830dc7a6851a0b1f33ae4bb2f507fb6cffec40', '442aad9f089ad9e14647b1ef9099a1ff4798d78589e66f28eca69c11f582a623', '8ce5b96c8f26d0ab6c47958c9e68b937104cd36e13c33566acd2fe8d38aa19427e71f98a473474f2f13f06f97c20d58cc3f54b8bd0d272f42b695dd7e89a8c22'],
      ['9bedc267423725d473888631ebf45988bad3db83851ee85c85e241a07d148b41', 'f7badec5b8abeaf699583992219b7b223f1df3fbbea919844e3f7c554a43dd43', 'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff03be9678ac102edcd92b0210bb34d7428d12ffc5df5f37e359941266a4e35f0f'],
      ['9bedc267423725d473888631ebf45988bad3db83851ee85c85e241a07d148b41', 'f7badec5b8abeaf699583992219b7b223f1df3fbbea919844e3f7c554a43dd43', 'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffca8c5b64cd208982aa38d4936621a4775aa233aa0505711d8fdcfdaa943d4908'],
      ['e96b7021eb39c1a163b6da4e3093dcd3f21387da4cc4572be588fafae23c155b', 'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff', 'a9d55260f765261eb9b84e106f665e00b867287a761990d7135963ee0a7d59dca5bb704786be79fc476f91d3f3f89b03984d8068dcf1bb7dfc6637b45450ac04'],
      ['39a591f5321bbe07fd5a23dc2f39d025d74526615746727ceefd6e82ae65c06f', 'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff', 'a9d55260f765261eb9b84e106f665e00b867287a761990d7135963ee0a7d59dca5bb704786be79fc476f91d3f3f89b03984d8068dcf1bb7dfc6637b45450ac04']
    ]
    const verdicts = cases.map(([message, publicKey, signature]) => agreed(fromHex(signature!), fromHex(message!), fromHex(publicKey!)))
    expect(verdicts).toEqual(STRICT_VERDICTS)
  })

  it('knows exactly the y coordinates of the small-order points', () => {
    for (const point of SMALL_ORDER) expect(isStrictPublicKey(point.toBytes())).toBe(false)
    expect(isStrictPublicKey(B.toBytes())).toBe(true)
    // every y that is not one of theirs, with a point on the curve, passes
    fc.assert(fc.property(fc.bigInt({ min: 0n, max: P - 1n }), fc.boolean(), (y, sign) => {
      const bytes = numberToBytesLE(y, 32)
      if (sign) bytes[31]! |= 0x80
      let point
      try {
        point = Point.fromBytes(bytes)
      } catch {
        return
      }
      expect(isStrictPublicKey(bytes)).toBe(!point.isSmallOrder())
    }), { numRuns: 200 })
  })

  it('signs with the seed a reused array holds now, not the one it held before', () => {
    const seed = new Uint8Array(32).fill(12)
    const message = new Uint8Array([13])
    expect(native.sign(message, seed)).toEqual(noble.sign(message, seed))
    seed.fill(13)
    expect(native.sign(message, seed)).toEqual(noble.sign(message, seed))
    expect(native.publicKeyOf(seed)).toEqual(noble.publicKeyOf(seed))
  })

  it('still verifies after more senders than it keeps imported keys for', () => {
    const message = new Uint8Array([14])
    const senders = Array.from({ length: 1100 }, (_, i) => {
      const seed = numberToBytesLE(BigInt(i + 1), 32)
      return { publicKey: native.publicKeyOf(seed), signature: native.sign(message, seed) }
    })
    for (const { publicKey, signature } of [...senders, ...senders.slice(0, 10)]) {
      expect(native.verify(signature, message, publicKey)).toBe(true)
    }
    expect(native.verify(senders[1]!.signature, message, senders[0]!.publicKey)).toBe(false)
  })
})
