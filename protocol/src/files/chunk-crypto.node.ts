import { createCipheriv, createDecipheriv, createHash, createSecretKey, type KeyObject } from 'node:crypto'

/**
 * ChaCha20-Poly1305 (RFC 8439) and SHA-256 through node:crypto (OpenSSL):
 * the same bytes as chunk-crypto.noble.ts, several times faster, which is
 * what keeps a file transfer near the speed of the link on Node.js.
 * Throws (any error) when a ciphertext does not authenticate.
 */
const TAG_BYTES = 16

/**
 * Each key imported into OpenSSL once: importing the raw bytes on every call
 * cost more than the whole seal of a few-hundred-byte record (encryption at
 * rest seals every record of a device's store with one key: node/src/storage/at-rest.ts).
 * The bytes are compared on each use, so a key changed in place is imported again.
 */
const imported = new WeakMap<Uint8Array, { bytes: Uint8Array, object: KeyObject }>()

function keyObjectOf (key: Uint8Array): KeyObject {
  const known = imported.get(key)
  if (known !== undefined && known.bytes.length === key.length && known.bytes.every((b, i) => b === key[i])) return known.object
  const object = createSecretKey(key)
  imported.set(key, { bytes: key.slice(), object })
  return object
}

export function sealChunkBytes (key: Uint8Array, nonce: Uint8Array, ad: Uint8Array, plaintext: Uint8Array): Uint8Array {
  const cipher = createCipheriv('chacha20-poly1305', keyObjectOf(key), nonce, { authTagLength: TAG_BYTES })
  cipher.setAAD(ad, { plaintextLength: plaintext.length })
  const out = new Uint8Array(plaintext.length + TAG_BYTES)
  out.set(cipher.update(plaintext), 0)
  cipher.final()
  out.set(cipher.getAuthTag(), plaintext.length)
  return out
}

export function openChunkBytes (key: Uint8Array, nonce: Uint8Array, ad: Uint8Array, ciphertext: Uint8Array): Uint8Array {
  if (ciphertext.length < TAG_BYTES) throw new Error('ciphertext shorter than its tag')
  const body = ciphertext.subarray(0, ciphertext.length - TAG_BYTES)
  const decipher = createDecipheriv('chacha20-poly1305', keyObjectOf(key), nonce, { authTagLength: TAG_BYTES })
  decipher.setAAD(ad, { plaintextLength: body.length })
  decipher.setAuthTag(ciphertext.subarray(ciphertext.length - TAG_BYTES))
  const plain = decipher.update(body)
  decipher.final()
  return owned(plain)
}

/**
 * A Buffer as a plain Uint8Array without a copy when it owns its whole
 * memory (what OpenSSL's output is), so a 100 MiB download is not copied
 * once more; a Buffer cut from Node's shared pool is copied, so the caller
 * never holds a view of other bytes.
 */
function owned (buffer: Buffer): Uint8Array {
  if (buffer.byteOffset === 0 && buffer.byteLength === buffer.buffer.byteLength) return new Uint8Array(buffer.buffer, 0, buffer.byteLength)
  return new Uint8Array(buffer)
}

export function sha256Bytes (...parts: Uint8Array[]): Uint8Array {
  const hash = createHash('sha256')
  for (const part of parts) hash.update(part)
  return new Uint8Array(hash.digest())
}
