import { xchacha20poly1305 } from '@noble/ciphers/chacha.js'
import { randomBytes } from '@noble/ciphers/utils.js'
import { hmac } from '@noble/hashes/hmac.js'
import { sha256 } from '@noble/hashes/sha2.js'

/**
 * The primitives of encryption at rest (at-rest.ts): XChaCha20-Poly1305 and
 * HMAC-SHA256 from @noble, the same pure JS in Node.js and the browser.
 * OpenSSL through node:crypto was tried for Node.js (HChaCha20 in JS, then
 * chacha20-poly1305): for records of a few hundred bytes it was slower, as
 * setting up a cipher context costs more than noble's whole seal
 * (docs/storage.md, "Cost").
 */

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
