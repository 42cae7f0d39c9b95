import { randomBytes } from '@noble/hashes/utils.js'
import type { Signature } from 'ts-mls'
// Signing and keys: node:crypto on Node.js, @noble/curves in the browser.
// Verifying: node:crypto on Node.js, WebCrypto behind the strict checks in the browser.
// See protocol/package.json "imports".
import * as ed25519 from '#ed25519'
import { verify } from '#ed25519-async'
import { bytesEqual, concatBytes, fromHex } from '../bytes.js'

/**
 * Ed25519 for ts-mls's `Signature`, through the project's own implementation: on
 * Node.js node:crypto with cached key objects (identity/ed25519.node.ts), synchronous;
 * in the browser noble for signing (ed25519.noble.ts) and WebCrypto with cached keys
 * for verifying (ed25519-async.browser.ts), which ts-mls's asynchronous interface
 * allows. Verification is strict RFC 8032 with the same verdicts on both.
 *
 * ts-mls's providers sign and verify through WebCrypto when it has Ed25519 (Node.js
 * and current browsers): an `importKey` and a thread-pool job per call. Honest
 * signatures verify the same either way, and Ed25519 signatures are deterministic, so
 * both produce the same bytes (provider.test.ts). Where they part is on crafted input:
 * WebCrypto on Node.js is OpenSSL, which reduces non-canonical public keys (and 3.0
 * accepted small-order ones); this refuses them, as the browser does
 * (identity/ed25519.test.ts has the cases).
 *
 * Private keys: WebCrypto exports an Ed25519 key as PKCS #8 (RFC 8410, 48 bytes), and
 * devices enrolled with ts-mls's provider keep their MLS signature key in that form.
 * Both it and the raw 32-byte seed are accepted; `keygen` makes the PKCS #8 form, so a
 * key made here also works with ts-mls's provider. Any other encoding goes to
 * `fallback` (ts-mls's own implementation), which decides as it always has.
 */

/** PKCS #8 (RFC 8410) wrapping of a raw Ed25519 seed, as WebCrypto exports it. */
const PKCS8_PREFIX = fromHex('302e020100300506032b657004220420')
const SEED_BYTES = 32
const PKCS8_BYTES = PKCS8_PREFIX.length + SEED_BYTES

/**
 * The seed view of each PKCS #8 key seen: ed25519.node.ts caches its private key
 * object by the seed array, so the same key must come back as the same array. A view
 * shares the key's bytes, so a changed key is noticed there (it compares a copy).
 */
const seeds = new WeakMap<Uint8Array, Uint8Array>()

function seedOf (signKey: Uint8Array): Uint8Array | undefined {
  if (signKey.length === SEED_BYTES) return signKey
  if (signKey.length !== PKCS8_BYTES || !bytesEqual(signKey.subarray(0, PKCS8_PREFIX.length), PKCS8_PREFIX)) return undefined
  let seed = seeds.get(signKey)
  if (seed == null) {
    seed = signKey.subarray(PKCS8_PREFIX.length)
    seeds.set(signKey, seed)
  }
  return seed
}

export function makeSyncEd25519 (fallback: Signature): Signature {
  return {
    async sign (signKey, message) {
      const seed = seedOf(signKey)
      if (seed == null) return await fallback.sign(signKey, message)
      return ed25519.sign(message, seed)
    },
    // Not async: the variant's promise is passed on as it is, so on Node.js it is
    // settled when returned (an `await` here would add a turn of the microtask queue).
    verify (publicKey, message, signature) {
      return verify(signature, message, publicKey)
    },
    async keygen () {
      const seed = randomBytes(SEED_BYTES)
      try {
        return { publicKey: ed25519.publicKeyOf(seed), signKey: concatBytes(PKCS8_PREFIX, seed) }
      } finally {
        seed.fill(0)
      }
    }
  }
}
