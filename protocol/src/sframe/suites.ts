import { sha256, sha512 } from '@noble/hashes/sha2.js'
import type { CHash } from '@noble/hashes/utils.js'

/**
 * The SFrame cipher suites Dak implements (RFC 9605, section 4.5): the two
 * AES-GCM suites with full 128-bit tags. The AES-CTR+HMAC suites with short
 * tags exist to save bytes on audio; a 16-byte tag on a 20 ms Opus frame is
 * about 6 kbit/s, which Dak accepts for one construction that @noble/ciphers
 * implements directly and every test vector of the RFC covers.
 */
export interface SFrameSuite {
  id: number
  name: string
  hash: CHash
  /** AEAD key, nonce and tag sizes in bytes. */
  nk: number
  nn: number
  nt: number
}

export const AES_128_GCM_SHA256_128: SFrameSuite = { id: 0x0004, name: 'AES_128_GCM_SHA256_128', hash: sha256, nk: 16, nn: 12, nt: 16 }
export const AES_256_GCM_SHA512_128: SFrameSuite = { id: 0x0005, name: 'AES_256_GCM_SHA512_128', hash: sha512, nk: 32, nn: 12, nt: 16 }
