import { createCipheriv, createDecipheriv, createSecretKey, type KeyObject } from 'node:crypto'

/**
 * ChaCha20-Poly1305 for encryption at rest through node:crypto (OpenSSL):
 * the same bytes as at-rest-aead.noble.ts. A record is a few hundred bytes,
 * so what a call costs is mostly setting up: with the key imported once (a
 * KeyObject, cached per key) OpenSSL opens such a record in well under half
 * of noble's time; with the raw key bytes, importing them on every call made
 * it slower than noble (docs/storage.md, "Cost"). Format 1's XChaCha20 needs
 * a fresh subkey per record, so it could not be sped up this way and stays on
 * noble, for reading only.
 */
export { hmacSha256, randomNonce, xchachaOpen, xchachaSeal } from './at-rest-aead.noble.js'

const TAG_BYTES = 16
const keyObjects = new WeakMap<Uint8Array, KeyObject>()

function keyObjectOf (key: Uint8Array): KeyObject {
  let object = keyObjects.get(key)
  if (object === undefined) {
    object = createSecretKey(key)
    keyObjects.set(key, object)
  }
  return object
}

export function chachaSeal (key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, plaintext: Uint8Array): Uint8Array {
  const cipher = createCipheriv('chacha20-poly1305', keyObjectOf(key), nonce, { authTagLength: TAG_BYTES })
  cipher.setAAD(aad, { plaintextLength: plaintext.length })
  const out = new Uint8Array(plaintext.length + TAG_BYTES)
  out.set(cipher.update(plaintext), 0)
  cipher.final()
  out.set(cipher.getAuthTag(), plaintext.length)
  return out
}

/** Throws when the ciphertext does not authenticate. */
export function chachaOpen (key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, sealed: Uint8Array): Uint8Array {
  if (sealed.length < TAG_BYTES) throw new Error('ciphertext shorter than its tag')
  const body = sealed.subarray(0, sealed.length - TAG_BYTES)
  const decipher = createDecipheriv('chacha20-poly1305', keyObjectOf(key), nonce, { authTagLength: TAG_BYTES })
  decipher.setAAD(aad, { plaintextLength: body.length })
  decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES))
  const plain = decipher.update(body)
  decipher.final()
  // a plain Uint8Array over OpenSSL's own output (no copy), so callers' slice() copies as they expect
  return new Uint8Array(plain.buffer, plain.byteOffset, plain.byteLength)
}
