/**
 * The encoding rules of strict (RFC 8032) Ed25519 verification that can be
 * checked on the bytes alone, without curve arithmetic. @noble/curves applies
 * them when verifying with `zip215: false`; OpenSSL does not apply all of
 * them, so the Node.js implementation (ed25519.node.ts) checks them first.
 *
 * A point is encoded as its y coordinate (255 bits, little-endian) and the
 * sign of x in the top bit. Strict verification refuses:
 * - a y that is not reduced (y >= p), for the public key A and for R;
 * - x = 0 with the sign bit set (y = 1 or y = p - 1), which names no point;
 * - a public key of small order (one of the 8 points of order 1, 2, 4 or 8),
 *   for which signatures can be forged for any message;
 * - S >= L, the malleable form of a signature.
 * OpenSSL reduces a non-canonical public key, and 3.0 accepted small-order
 * ones: without these checks Node.js could accept what the browser refuses.
 */

import { fromHex as hex } from '../bytes.js'
import { ED25519_PUBLIC_KEY_BYTES as BYTES, ED25519_SIGNATURE_BYTES } from '../constants.js'

/** 2^255 - 19, little-endian. */
const P = hex('edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f')

/** The order of the prime subgroup, 2^252 + 27742317777372353535851937790883648493, little-endian. */
const L = hex('edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010')

/**
 * The y coordinates of the 8 points of small order (±x share a y): 1 (the
 * identity), p - 1 (order 2), 0 (order 4) and the pair of order 8.
 */
const SMALL_ORDER_Y = [
  hex('0100000000000000000000000000000000000000000000000000000000000000'),
  hex('ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f'),
  hex('0000000000000000000000000000000000000000000000000000000000000000'),
  hex('c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a'),
  hex('26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05')
]

/** The y coordinates whose point has x = 0: y = 1 and y = p - 1. */
const ZERO_X_Y = SMALL_ORDER_Y.slice(0, 2)

/** True if `publicKey` is 32 bytes, canonically encoded and not of small order. */
export function isStrictPublicKey (publicKey: Uint8Array): boolean {
  if (publicKey.length !== BYTES || !isReducedY(publicKey)) return false
  return !SMALL_ORDER_Y.some(y => yEquals(publicKey, y))
}

/** True if `signature` is 64 bytes, R is canonically encoded and S < L. */
export function isStrictSignature (signature: Uint8Array): boolean {
  if (signature.length !== ED25519_SIGNATURE_BYTES) return false
  const r = signature.subarray(0, BYTES)
  if (!isReducedY(r)) return false
  if (signBit(r) && ZERO_X_Y.some(y => yEquals(r, y))) return false
  return compareLittleEndian(signature.subarray(BYTES), L) < 0
}

function signBit (point: Uint8Array): boolean {
  return ((point[BYTES - 1] ?? 0) & 0x80) !== 0
}

/** The y coordinate, the point's low 255 bits, is below p. */
function isReducedY (point: Uint8Array): boolean {
  return compareLittleEndian(point, P, 0x7f) < 0
}

function yEquals (point: Uint8Array, y: Uint8Array): boolean {
  return compareLittleEndian(point, y, 0x7f) === 0
}

/** Compares two 32-byte little-endian numbers; `topMask` keeps only some bits of a's last byte. */
function compareLittleEndian (a: Uint8Array, b: Uint8Array, topMask = 0xff): number {
  for (let i = BYTES - 1; i >= 0; i--) {
    const x = (a[i] ?? 0) & (i === BYTES - 1 ? topMask : 0xff)
    const y = b[i] ?? 0
    if (x !== y) return x < y ? -1 : 1
  }
  return 0
}

