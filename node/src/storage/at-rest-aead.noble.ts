import { chacha20poly1305, xchacha20poly1305 } from '@noble/ciphers/chacha.js'
import { randomBytes } from '@noble/ciphers/utils.js'
import { hmac } from '@noble/hashes/hmac.js'
import { sha256 } from '@noble/hashes/sha2.js'

/**
 * The primitives of encryption at rest (at-rest.ts) in pure JS (@noble):
 * what the browser uses. at-rest-aead.node.ts seals and opens the same bytes
 * through node:crypto; at-rest-aead.test.ts checks they agree.
 */

/** ChaCha20-Poly1305 (RFC 8439, 12-byte nonce): every record written since format 2. */
export function chachaSeal (key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, plaintext: Uint8Array): Uint8Array {
  return chacha20poly1305(key, nonce, aad).encrypt(plaintext)
}

/** Throws when the ciphertext does not authenticate. */
export function chachaOpen (key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, sealed: Uint8Array): Uint8Array {
  return chacha20poly1305(key, nonce, aad).decrypt(sealed)
}

/** XChaCha20-Poly1305 (24-byte nonce): records of format 1, still read. */
export function xchachaSeal (key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, plaintext: Uint8Array): Uint8Array {
  return xchacha20poly1305(key, nonce, aad).encrypt(plaintext)
}

/** Throws when the ciphertext does not authenticate. */
export function xchachaOpen (key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, sealed: Uint8Array): Uint8Array {
  return xchacha20poly1305(key, nonce, aad).decrypt(sealed)
}

export function hmacSha256 (key: Uint8Array, data: Uint8Array): Uint8Array {
  return hmac(sha256, key, data)
}

export function randomNonce (length: number): Uint8Array {
  return randomBytes(length)
}
