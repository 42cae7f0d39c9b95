import { MalformedInputError } from '../errors.js'

/**
 * The SFrame header (RFC 9605, section 4.3): one config byte |X|K|Y|C|, then
 * the key id and the counter as minimal big-endian integers when they do not
 * fit in the config byte's three bits. Both are unsigned 64-bit values.
 */

export interface SFrameHeader {
  kid: bigint
  ctr: bigint
  /** Length of the encoded header in bytes (1 to 17). */
  length: number
}

const MAX_U64 = (1n << 64n) - 1n

/** Bytes in the minimal big-endian encoding of v (at least 1). */
function byteLength (v: bigint): number {
  let n = 1
  while (v >> BigInt(8 * n) > 0n) n++
  return n
}

function writeBigEndian (out: Uint8Array, offset: number, v: bigint, length: number): void {
  for (let i = length - 1; i >= 0; i--) {
    out[offset + i] = Number(v & 0xffn)
    v >>= 8n
  }
}

function readBigEndian (bytes: Uint8Array, offset: number, length: number): bigint {
  let v = 0n
  for (let i = 0; i < length; i++) v = (v << 8n) | BigInt(bytes[offset + i]!)
  return v
}

function checkU64 (v: bigint, what: string): void {
  if (v < 0n || v > MAX_U64) throw new MalformedInputError(`SFrame ${what} must be an unsigned 64-bit integer`)
}

export function encodeHeader (kid: bigint, ctr: bigint): Uint8Array {
  checkU64(kid, 'key id')
  checkU64(ctr, 'counter')
  const kidLength = kid < 8n ? 0 : byteLength(kid)
  const ctrLength = ctr < 8n ? 0 : byteLength(ctr)
  const out = new Uint8Array(1 + kidLength + ctrLength)
  const k = kidLength === 0 ? Number(kid) : 0x8 | (kidLength - 1)
  const c = ctrLength === 0 ? Number(ctr) : 0x8 | (ctrLength - 1)
  out[0] = (k << 4) | c
  if (kidLength > 0) writeBigEndian(out, 1, kid, kidLength)
  if (ctrLength > 0) writeBigEndian(out, 1 + kidLength, ctr, ctrLength)
  return out
}

/**
 * Read the header at the start of `bytes`. Refuses a header cut short and a
 * non-minimal encoding (RFC 9605: values MUST use the minimum number of
 * bytes), so each (kid, ctr) has exactly one header and the AAD cannot be
 * varied under one nonce.
 */
export function decodeHeader (bytes: Uint8Array): SFrameHeader {
  if (bytes.length < 1) throw new MalformedInputError('SFrame ciphertext is empty')
  const config = bytes[0]!
  const k = config >> 4
  const c = config & 0x0f
  const kidLength = (k & 0x8) === 0 ? 0 : (k & 0x7) + 1
  const ctrLength = (c & 0x8) === 0 ? 0 : (c & 0x7) + 1
  const length = 1 + kidLength + ctrLength
  if (bytes.length < length) throw new MalformedInputError('SFrame header is cut short')
  const kid = kidLength === 0 ? BigInt(k) : readBigEndian(bytes, 1, kidLength)
  const ctr = ctrLength === 0 ? BigInt(c) : readBigEndian(bytes, 1 + kidLength, ctrLength)
  if (kidLength > 0 && (kid < 8n || byteLength(kid) !== kidLength)) throw new MalformedInputError('SFrame key id is not minimally encoded')
  if (ctrLength > 0 && (ctr < 8n || byteLength(ctr) !== ctrLength)) throw new MalformedInputError('SFrame counter is not minimally encoded')
  return { kid, ctr, length }
}
