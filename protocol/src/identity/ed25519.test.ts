import { createPublicKey, verify as opensslVerify } from 'node:crypto'
import fc from 'fast-check'
import { ed25519 } from '@noble/curves/ed25519.js'
import { bytesToNumberLE, numberToBytesLE } from '@noble/curves/utils.js'
import { describe, expect, it } from 'vitest'
import * as chosen from '#ed25519'
import { concatBytes, fromHex, toHex } from '../bytes.js'
import { isStrictPublicKey, isStrictSignature } from './ed25519-strict.js'
import { B, L, P, SMALL_ORDER, SPECCHECK, forgeriesUnder, nonCanonicalEncodings, signatureOf, smallOrderEncodings, withTorsion } from './ed25519-test-cases.js'
import * as native from './ed25519.node.js'
import * as noble from './ed25519.noble.js'

// Both implementations have the shape keys.ts calls: a type error here if they part.
const implementations: Array<typeof chosen> = [native, noble]

const { Point } = ed25519

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
      for (const forgery of forgeriesUnder(publicKey, message)) {
        expect(agreed(forgery.signature, forgery.message, forgery.publicKey)).toBe(false)
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
      for (const { signature, message: m, publicKey } of Object.values(withTorsion(seed, message, torsion))) {
        expect(agreed(signature, m, publicKey)).toBe(true)
        if (!openssl(signature, m, publicKey)) refusedByOpensslAlone++
      }
    }), { numRuns: 40 })
    // If a later OpenSSL checks the cofactored equation, this fails: the fallback
    // to noble in ed25519.node.ts would then no longer be needed.
    expect(refusedByOpensslAlone).toBeGreaterThan(0)
  })

  it('agrees on the edge cases of "Taming the many EdDSAs" (ed25519-speccheck)', () => {
    const verdicts = SPECCHECK.map(({ signature, message, publicKey }) => agreed(signature, message, publicKey))
    expect(verdicts).toEqual(SPECCHECK.map(c => c.strict))
    // noble refuses 10 of the 15: the table is not trivially all true or all false
    expect(verdicts.filter(v => !v)).toHaveLength(10)
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
