import { chacha20poly1305 } from '@noble/ciphers/chacha.js'
import { sha256 } from '@noble/hashes/sha2.js'

/**
 * The two primitives a file chunk needs, in pure JS (@noble): what the
 * browser uses. chunk-crypto.node.ts does the same through node:crypto
 * (OpenSSL), several times faster; chunk-cipher.test.ts checks they agree.
 * Throws (any error) when a ciphertext does not authenticate.
 */
export function sealChunkBytes (key: Uint8Array, nonce: Uint8Array, ad: Uint8Array, plaintext: Uint8Array): Uint8Array {
  return chacha20poly1305(key, nonce, ad).encrypt(plaintext)
}

export function openChunkBytes (key: Uint8Array, nonce: Uint8Array, ad: Uint8Array, ciphertext: Uint8Array): Uint8Array {
  return chacha20poly1305(key, nonce, ad).decrypt(ciphertext)
}

export function sha256Bytes (...parts: Uint8Array[]): Uint8Array {
  const hash = sha256.create()
  for (const part of parts) hash.update(part)
  return hash.digest()
}
