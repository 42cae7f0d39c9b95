import { gcm } from '@noble/ciphers/aes.js'
import { expand, extract } from '@noble/hashes/hkdf.js'
import { concatBytes } from '@noble/hashes/utils.js'
import { SFrameAuthenticationError, SFrameCounterExhaustedError, UnknownSFrameKeyError } from './errors.js'
import { decodeHeader, encodeHeader } from './header.js'
import type { SFrameSuite } from './suites.js'

/**
 * SFrame encryption and decryption (RFC 9605, section 4.4) for the AES-GCM
 * suites. Pure functions over bytes: the caller keeps the keys and counters.
 */

export interface SFrameKey {
  suite: SFrameSuite
  kid: bigint
  key: Uint8Array
  salt: Uint8Array
}

const encoder = new TextEncoder()

function bigEndian (v: bigint, length: number): Uint8Array {
  const out = new Uint8Array(length)
  for (let i = length - 1; i >= 0; i--) {
    out[i] = Number(v & 0xffn)
    v >>= 8n
  }
  return out
}

/** derive_key_salt (RFC 9605 4.4.2): the AEAD key and salt of one key id from its base key. */
export function deriveKeySalt (suite: SFrameSuite, kid: bigint, baseKey: Uint8Array): SFrameKey {
  const secret = extract(suite.hash, baseKey, new Uint8Array(0))
  const tail = concatBytes(bigEndian(kid, 8), bigEndian(BigInt(suite.id), 2))
  const key = expand(suite.hash, secret, concatBytes(encoder.encode('SFrame 1.0 Secret key '), tail), suite.nk)
  const salt = expand(suite.hash, secret, concatBytes(encoder.encode('SFrame 1.0 Secret salt '), tail), suite.nn)
  secret.fill(0)
  return { suite, kid, key, salt }
}

function nonceFor (key: SFrameKey, ctr: bigint): Uint8Array {
  const ctrBytes = bigEndian(ctr, key.suite.nn)
  const nonce = new Uint8Array(key.suite.nn)
  for (let i = 0; i < nonce.length; i++) nonce[i] = key.salt[i]! ^ ctrBytes[i]!
  return nonce
}

/**
 * encrypt(CTR, KID, metadata, plaintext): the SFrame header then the AEAD
 * ciphertext, with header + metadata as associated data. The caller must
 * never use one (key, ctr) twice: SFrameSender does the counting.
 */
export function sframeEncrypt (key: SFrameKey, ctr: bigint, metadata: Uint8Array, plaintext: Uint8Array): Uint8Array {
  const header = encodeHeader(key.kid, ctr)
  const sealed = gcm(key.key, nonceFor(key, ctr), concatBytes(header, metadata)).encrypt(plaintext)
  return concatBytes(header, sealed)
}

export interface Opened {
  kid: bigint
  ctr: bigint
  plaintext: Uint8Array
}

/**
 * decrypt(metadata, sframe_ciphertext). `keyFor` returns the key of a key id,
 * or undefined (UnknownSFrameKeyError). A ciphertext that does not
 * authenticate throws SFrameAuthenticationError and must be discarded.
 */
export function sframeDecrypt (keyFor: (kid: bigint) => SFrameKey | undefined, metadata: Uint8Array, ciphertext: Uint8Array): Opened {
  const header = decodeHeader(ciphertext)
  const key = keyFor(header.kid)
  if (key === undefined) throw new UnknownSFrameKeyError(`no SFrame key for key id ${header.kid}`)
  if (ciphertext.length < header.length + key.suite.nt) throw new SFrameAuthenticationError('SFrame ciphertext is shorter than its tag')
  const aad = concatBytes(ciphertext.subarray(0, header.length), metadata)
  try {
    const plaintext = gcm(key.key, nonceFor(key, header.ctr), aad).decrypt(ciphertext.subarray(header.length))
    return { kid: header.kid, ctr: header.ctr, plaintext }
  } catch (err) {
    throw new SFrameAuthenticationError(`SFrame frame did not authenticate: ${err instanceof Error ? err.message : String(err)}`)
  }
}

const MAX_CTR = (1n << 64n) - 1n

/**
 * One sender's key and counter: every frame it protects gets the next
 * counter, so no (key, nonce) pair is ever used twice. Share one instance
 * among everything that encrypts under the key (audio, video, every peer of
 * a mesh call), never make two for one key.
 */
export class SFrameSender {
  private next = 0n
  constructor (readonly key: SFrameKey) {}

  encrypt (metadata: Uint8Array, plaintext: Uint8Array): Uint8Array {
    if (this.next > MAX_CTR) throw new SFrameCounterExhaustedError('this SFrame key has protected 2^64 frames: a new key is needed')
    const ctr = this.next
    this.next++
    return sframeEncrypt(this.key, ctr, metadata, plaintext)
  }

  /** Frames protected so far. */
  get count (): bigint { return this.next }
}
