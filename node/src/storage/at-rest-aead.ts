import { xchacha20poly1305 } from '@noble/ciphers/chacha.js'
import { randomBytes } from '@noble/ciphers/utils.js'
import { hmac } from '@noble/hashes/hmac.js'
import { sha256 } from '@noble/hashes/sha2.js'

/**
 * The primitives of encryption at rest (at-rest.ts). Records are sealed with
 * ChaCha20-Poly1305 as file chunks are (@dak/protocol: OpenSSL with the key
 * imported once on Node.js, noble in the browser, the same bytes); format-1
 * records, XChaCha20-Poly1305, are opened with noble, whose pure JS is the
 * same everywhere (XChaCha20 derives a subkey per nonce, so OpenSSL would have
 * to import a key per record, which is what made it slower: docs/storage.md, "Cost").
 */
export { openChaCha20Poly1305 as chachaOpen, sealChaCha20Poly1305 as chachaSeal } from '@dak/protocol'

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
