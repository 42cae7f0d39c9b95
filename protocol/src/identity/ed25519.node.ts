import { Buffer } from 'node:buffer'
import { createPrivateKey, createPublicKey, sign as signNative, timingSafeEqual, verify as verifyNative, type KeyObject } from 'node:crypto'
import { isStrictPublicKey, isStrictSignature } from './ed25519-strict.js'
import * as reference from './ed25519.noble.js'

/**
 * Ed25519 through node:crypto (OpenSSL) on Node.js: a verify costs about a
 * tenth of @noble/curves' in pure JS. Same functions, same bytes, same
 * verdicts as ed25519.noble.ts, which the browser uses (ed25519.test.ts
 * checks that they agree).
 *
 * OpenSSL verifies differently from strict RFC 8032 in two ways:
 * - it reduces a non-canonical public key, and OpenSSL 3.0 accepted one of
 *   small order, so the encoding rules are checked here first
 *   (ed25519-strict.ts), whatever the OpenSSL Node.js links;
 * - it checks [S]B = R + [k]A exactly, where noble checks the equation times
 *   the cofactor 8. Both are RFC 8032 verification, but they part when A or R
 *   carries a small-order component, which only a signer who crafts their
 *   key or nonce can arrange. OpenSSL's accepting is then a subset of noble's,
 *   so a signature OpenSSL refuses is put to noble before it is called bad:
 *   a bad signature costs what it cost before, a good one a tenth.
 */

/** DER (PKCS #8) wrapping of a raw Ed25519 seed: RFC 8410. */
const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex')
/** DER (SubjectPublicKeyInfo) wrapping of a raw Ed25519 public key: RFC 8410. */
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex')

/**
 * Public keys imported lately: messages come again and again from the same
 * few senders, and importing one costs about a third of a verify.
 */
const PUBLIC_KEY_CACHE_ENTRIES = 1024
const publicKeys = new Map<string, KeyObject>()

/**
 * A device signs with the same seed array for its whole life; importing a
 * seed costs twice a signature (OpenSSL derives the public key). Held weakly
 * by the caller's array, and checked against a copy in case it was changed.
 */
const privateKeys = new WeakMap<Uint8Array, { seed: Uint8Array, key: KeyObject }>()

export function publicKeyOf (seed: Uint8Array): Uint8Array {
  const spki = createPublicKey(privateKeyObject(seed)).export({ format: 'der', type: 'spki' })
  return new Uint8Array(spki.subarray(SPKI_PREFIX.length))
}

export function sign (message: Uint8Array, seed: Uint8Array): Uint8Array {
  return new Uint8Array(signNative(null, message, privateKeyObject(seed)))
}

export function verify (signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean {
  if (!isStrictPublicKey(publicKey) || !isStrictSignature(signature)) return false
  let ok: boolean
  try {
    ok = verifyNative(null, message, publicKeyObject(publicKey), signature)
  } catch {
    ok = false // noble has the last word below
  }
  return ok || reference.verify(signature, message, publicKey)
}

function privateKeyObject (seed: Uint8Array): KeyObject {
  if (seed.length !== 32) throw new RangeError('an Ed25519 seed is 32 bytes')
  const cached = privateKeys.get(seed)
  if (cached != null && timingSafeEqual(cached.seed, seed)) return cached.key
  const der = Buffer.concat([PKCS8_PREFIX, seed])
  try {
    const key = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' })
    privateKeys.set(seed, { seed: seed.slice(), key })
    return key
  } finally {
    der.fill(0) // it may sit in Buffer's shared pool
  }
}

function publicKeyObject (publicKey: Uint8Array): KeyObject {
  const id = Buffer.from(publicKey.buffer, publicKey.byteOffset, publicKey.length).toString('latin1')
  let key = publicKeys.get(id)
  if (key != null) {
    publicKeys.delete(id) // re-inserted below: a Map iterates oldest first
  } else {
    key = createPublicKey({ key: Buffer.concat([SPKI_PREFIX, publicKey]), format: 'der', type: 'spki' })
    if (publicKeys.size >= PUBLIC_KEY_CACHE_ENTRIES) {
      const oldest = publicKeys.keys().next()
      if (oldest.done !== true) publicKeys.delete(oldest.value)
    }
  }
  publicKeys.set(id, key)
  return key
}
