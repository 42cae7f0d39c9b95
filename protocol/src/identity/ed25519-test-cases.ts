import { ed25519 } from '@noble/curves/ed25519.js'
import { bytesToNumberLE, numberToBytesLE } from '@noble/curves/utils.js'
import { sha512 } from '@noble/hashes/sha2.js'
import { concatBytes, fromHex } from '../bytes.js'

/**
 * Crafted Ed25519 input on which implementations part (tests only, not exported
 * from the package): non-canonical and small-order encodings, forgeries under
 * small-order keys, small-order components in A or R, and the cases of
 * ed25519-speccheck. ed25519.test.ts puts them to the Node.js implementation,
 * ed25519-async.test.ts to the browser's WebCrypto path; both against noble.
 */

export interface Ed25519Case { signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array }

const { Point } = ed25519
export const Fn = Point.Fn
export const B = Point.BASE
export const L = Fn.ORDER
export const P = Point.Fp.ORDER

/** An order-8 point; its multiples are all 8 points of small order. */
const T8 = Point.fromBytes(fromHex('c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a'))
export const SMALL_ORDER = Array.from({ length: 8 }, (_, i) => T8.multiplyUnsafe(BigInt(i)))

/** k = SHA-512(R || A || M) mod L: the challenge of RFC 8032 5.1.6. */
export function challenge (r: Uint8Array, publicKey: Uint8Array, message: Uint8Array): bigint {
  return Fn.create(bytesToNumberLE(sha512(concatBytes(r, publicKey, message))))
}

export function signatureOf (r: Uint8Array, s: bigint): Uint8Array {
  return concatBytes(r, numberToBytesLE(s, 32))
}

function withSignBit (bytes: Uint8Array): Uint8Array {
  return Uint8Array.from(bytes, (b, i) => i === 31 ? b | 0x80 : b)
}

/** The encodings of y + p (y < 19, so y + p < 2^255), with either sign bit: all non-canonical encodings. */
export function nonCanonicalEncodings (): Uint8Array[] {
  const out: Uint8Array[] = []
  for (let y = 0n; y < 19n; y++) {
    const bytes = numberToBytesLE(y + P, 32)
    out.push(bytes, withSignBit(bytes))
  }
  return out
}

/** Encodings of the small-order points: canonical ones, x = 0 with the sign bit set, and non-canonical ones. */
export function smallOrderEncodings (): Uint8Array[] {
  const canonical = SMALL_ORDER.map(p => p.toBytes())
  const signedZeroX = canonical.filter(e => bytesToNumberLE(e) === 1n || bytesToNumberLE(e) === P - 1n).map(withSignBit)
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
 * Signatures "under" a small-order key: [k]A is one of the 8 small-order points;
 * guess which, and R = [S]B - [k]A holds 1 time in 8. Strict verification
 * refuses them all.
 */
export function forgeriesUnder (publicKey: Uint8Array, message: Uint8Array): Ed25519Case[] {
  const A = Point.fromBytes(publicKey, true)
  return Array.from({ length: 16 }, (_, i) => {
    const guess = BigInt(i)
    const s = Fn.create(guess * 7919n + 1n)
    const r = B.multiply(s).subtract(A.multiplyUnsafe(guess % 8n)).toBytes()
    return { signature: signatureOf(r, s), message, publicKey }
  })
}

/**
 * Honest-looking signatures by the owner of `seed` whose key (mixedKey) or nonce
 * point (mixedR) carries the small-order component SMALL_ORDER[torsion]. Noble's
 * cofactored equation accepts both; an exact one (OpenSSL) may refuse.
 */
export function withTorsion (seed: Uint8Array, message: Uint8Array, torsion: number): { mixedKey: Ed25519Case, mixedR: Ed25519Case } {
  const { scalar: a, point: honestA } = ed25519.utils.getExtendedPublicKey(seed)
  const T = SMALL_ORDER[torsion]!
  const nonce = Fn.create(bytesToNumberLE(sha512(concatBytes(seed, message))))

  const mixedA = honestA.add(T).toBytes()
  const r = B.multiply(nonce).toBytes()
  const mixedKey = { signature: signatureOf(r, Fn.create(nonce + challenge(r, mixedA, message) * a)), message, publicKey: mixedA }

  const mixedR = B.multiply(nonce).add(T).toBytes()
  const publicKey = honestA.toBytes()
  const withMixedR = { signature: signatureOf(mixedR, Fn.create(nonce + challenge(mixedR, publicKey, message) * a)), message, publicKey }
  return { mixedKey, mixedR: withMixedR }
}

/**
 * The 15 cases of novifinancial/ed25519-speccheck (cases.json), with noble's
 * strict verdicts: it refuses small-order keys (0-3), S >= L (9, 10),
 * non-canonical R (11, 12) and A (13, 14); it accepts a small-order or mixed R
 * with a mixed key (4-7) and the pre-reduced scalar (8), by the cofactored
 * equation. OpenSSL 3.0 accepted 1, 3, 5, 6 and 14.
 */
export const SPECCHECK: Array<Ed25519Case & { strict: boolean }> = ([
  ['2a66241a42a9ee12994d8068dcf1bb7dfc6637b45450acd43711f637fa5080fc', 'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa', 'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a0000000000000000000000000000000000000000000000000000000000000000', false],
  ['8c93255d71dcab10e8f379c26200f3c7bd5f09d9bc3068d3ef4edeb4853022b6', 'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa', 'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a0000000000000000000000000000000000000000000000000000000000000000', false],
  ['9bedc267423725d473888631ebf45988bad3db83851ee85c85e241a07d148b41', 'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa', 'f7badec5b8abeaf699583992219b7b223f1df3fbbea919844e3f7c554a43dd43a5bb704786be79fc476f91d3f3f89b03984d8068dcf1bb7dfc6637b45450ac04', false],
  ['9bd9f44f4dcc75bd531b56b2cd280b0bb38fc1cd6d1230e14861d861de092e79', 'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa', 'f7badec5b8abeaf699583992219b7b223f1df3fbbea919844e3f7c554a43dd43a5bb704786be79fc476f91d3f3f89b03984d8068dcf1bb7dfc6637b45450ac04', false],
  ['9bedc267423725d473888631ebf45988bad3db83851ee85c85e241a07d148b41', 'f7badec5b8abeaf699583992219b7b223f1df3fbbea919844e3f7c554a43dd43', 'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa182ef1a5b928da07fec769cc8a12db6bcf70dab3f3227fa315e9d5e3e01a3405', true],
  ['aebf3f2601a0c8c5d39cc7d8911642f740b78168218da8471772b35f9d35b9ab', 'f7badec5b8abeaf699583992219b7b223f1df3fbbea919844e3f7c554a43dd43', 'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa8c4bd45aecaca5b24fb97bc10ac27ac8751a7dfe1baff8b953ec9f5833ca260e', true],
  ['9bd9f44f4dcc75bd531b56b2cd280b0bb38fc1cd6d1230e14861d861de092e79', 'cdb267ce40c5cd45306fa5d2f29731459387dbf9eb933b7bd5aed9a765b88d4d', '9046a64750444938de19f227bb80485e92b83fdb4b6506c160484c016cc1852f87909e14428a7a1d62e9f22f3d3ad7802db02eb2e688b6c52fcd6648a98bd009', true],
  ['e47d62c63f830dc7a6851a0b1f33ae4bb2f507fb6cffec4011eaccd55b53f56c', 'cdb267ce40c5cd45306fa5d2f29731459387dbf9eb933b7bd5aed9a765b88d4d', '160a1cb0dc9c0258cd0a7d23e94d8fa878bcb1925f2c64246b2dee1796bed5125ec6bc982a269b723e0668e540911a9a6a58921d6925e434ab10aa7940551a09', true],
  ['e47d62c63f830dc7a6851a0b1f33ae4bb2f507fb6cffec4011eaccd55b53f56c', 'cdb267ce40c5cd45306fa5d2f29731459387dbf9eb933b7bd5aed9a765b88d4d', '21122a84e0b5fca4052f5b1235c80a537878b38f3142356b2c2384ebad4668b7e40bc836dac0f71076f9abe3a53f9c03c1ceeeddb658d0030494ace586687405', true],
  ['85e241a07d148b41e47d62c63f830dc7a6851a0b1f33ae4bb2f507fb6cffec40', '442aad9f089ad9e14647b1ef9099a1ff4798d78589e66f28eca69c11f582a623', 'e96f66be976d82e60150baecff9906684aebb1ef181f67a7189ac78ea23b6c0e547f7690a0e2ddcd04d87dbc3490dc19b3b3052f7ff0538cb68afb369ba3a514', false],
  ['85e241a07d148b41e47d62c63f830dc7a6851a0b1f33ae4bb2f507fb6cffec40', '442aad9f089ad9e14647b1ef9099a1ff4798d78589e66f28eca69c11f582a623', '8ce5b96c8f26d0ab6c47958c9e68b937104cd36e13c33566acd2fe8d38aa19427e71f98a473474f2f13f06f97c20d58cc3f54b8bd0d272f42b695dd7e89a8c22', false],
  ['9bedc267423725d473888631ebf45988bad3db83851ee85c85e241a07d148b41', 'f7badec5b8abeaf699583992219b7b223f1df3fbbea919844e3f7c554a43dd43', 'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff03be9678ac102edcd92b0210bb34d7428d12ffc5df5f37e359941266a4e35f0f', false],
  ['9bedc267423725d473888631ebf45988bad3db83851ee85c85e241a07d148b41', 'f7badec5b8abeaf699583992219b7b223f1df3fbbea919844e3f7c554a43dd43', 'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffca8c5b64cd208982aa38d4936621a4775aa233aa0505711d8fdcfdaa943d4908', false],
  ['e96b7021eb39c1a163b6da4e3093dcd3f21387da4cc4572be588fafae23c155b', 'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff', 'a9d55260f765261eb9b84e106f665e00b867287a761990d7135963ee0a7d59dca5bb704786be79fc476f91d3f3f89b03984d8068dcf1bb7dfc6637b45450ac04', false],
  ['39a591f5321bbe07fd5a23dc2f39d025d74526615746727ceefd6e82ae65c06f', 'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff', 'a9d55260f765261eb9b84e106f665e00b867287a761990d7135963ee0a7d59dca5bb704786be79fc476f91d3f3f89b03984d8068dcf1bb7dfc6637b45450ac04', false]
] as const).map(([message, publicKey, signature, strict]) => ({ message: fromHex(message), publicKey: fromHex(publicKey), signature: fromHex(signature), strict }))

/**
 * Every crafted case above, built from one fixed seed with `sign` and
 * `publicKeyOf`: an implementation must give each the verdict noble gives.
 */
export function craftedCases (sign: (message: Uint8Array, seed: Uint8Array) => Uint8Array, publicKeyOf: (seed: Uint8Array) => Uint8Array): Ed25519Case[] {
  const seed = new Uint8Array(32).fill(21)
  const message = new Uint8Array([22, 23, 24])
  const publicKey = publicKeyOf(seed)
  const signature = sign(message, seed)
  const r = signature.subarray(0, 32)
  const s = signature.subarray(32)
  const sValue = bytesToNumberLE(s)
  const cases: Ed25519Case[] = [
    { signature, message, publicKey },
    // the malleable S + L, S = L, a too-large S
    ...[sValue + L, L, 2n ** 256n - 1n].map(bad => ({ signature: signatureOf(r, bad), message, publicKey })),
    // non-canonical R, non-canonical A
    ...nonCanonicalEncodings().flatMap(e => [
      { signature: concatBytes(e, s), message, publicKey },
      { signature, message, publicKey: e }
    ]),
    // small-order keys with forgeries under them, small-order points as R
    ...smallOrderEncodings().flatMap(e => [
      ...forgeriesUnder(e, message),
      { signature: concatBytes(e, s), message, publicKey },
      { signature: concatBytes(e, new Uint8Array(32)), message, publicKey }
    ]),
    { signature, message, publicKey: new Uint8Array(32) },
    { signature: new Uint8Array(64), message, publicKey: new Uint8Array(32) },
    // small-order components in A or R, every one of them
    ...SMALL_ORDER.slice(1).flatMap((_, i) => Object.values(withTorsion(seed, message, i + 1))),
    ...SPECCHECK
  ]
  return cases
}
