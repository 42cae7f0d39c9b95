import { hmac } from '@noble/hashes/hmac.js'
import { sha256, sha384, sha512 } from '@noble/hashes/sha2.js'
import type { CHash } from '@noble/hashes/utils.js'
import type { Kdf, KdfAlgorithm } from 'ts-mls'

/**
 * HKDF (RFC 5869) computed synchronously with @noble/hashes, for ts-mls's `Kdf`.
 *
 * ts-mls's providers run HKDF through @hpke/core, which calls WebCrypto HMAC: an
 * `importKey` and a thread-pool job per block, awaited. The MLS secret tree derives
 * several keys per message, so catch-up spent its time waiting on those round trips.
 * Here the work is done before the returned promise exists.
 *
 * The edges are @hpke/core's, so a call that failed before fails now, and one that
 * succeeded gives the same bytes (provider.test.ts): extract takes an empty salt as
 * HashLen zeros and refuses any other length but HashLen; expand takes a PRK of exactly
 * HashLen bytes (@hpke/core imports it as an HMAC key of HashLen bytes, and WebCrypto
 * refuses key data of another length) and refuses more than 255 blocks. Every secret
 * MLS expands is HashLen bytes.
 */

const HASHES = {
  'HKDF-SHA256': sha256,
  'HKDF-SHA384': sha384,
  'HKDF-SHA512': sha512
} as const

export function makeSyncKdf (algorithm: KdfAlgorithm): Kdf {
  const hash = HASHES[algorithm]
  const size = hash.outputLen
  return {
    size,
    async extract (salt, ikm) {
      if (salt.length !== 0 && salt.length !== size) {
        throw new RangeError(`HKDF extract: the salt must be empty or ${size} bytes, not ${salt.length}`)
      }
      return hmac(hash, salt.length === 0 ? new Uint8Array(size) : salt, ikm)
    },
    async expand (prk, info, length) {
      if (!Number.isSafeInteger(length) || length < 0 || length > 255 * size) {
        throw new RangeError(`HKDF expand: cannot produce ${length} bytes (at most ${255 * size})`)
      }
      if (prk.length !== size) throw new RangeError(`HKDF expand: the PRK must be ${size} bytes, not ${prk.length}`)
      return expand(hash, prk, info, length)
    }
  }
}

/** T(i) = HMAC(PRK, T(i-1) | info | i), concatenated and cut to `length`. */
function expand (hash: CHash, prk: Uint8Array, info: Uint8Array, length: number): Uint8Array {
  const keyed = hmac.create(hash, prk)
  const okm = new Uint8Array(length)
  const counter = new Uint8Array(1)
  let previous = new Uint8Array(0)
  for (let offset = 0, i = 1; offset < length; i++) {
    counter[0] = i
    const block = keyed.clone().update(previous).update(info).update(counter).digest()
    okm.set(block.subarray(0, Math.min(block.length, length - offset)), offset)
    offset += block.length
    previous.fill(0) // a block of the output: secret
    previous = block
  }
  previous.fill(0)
  keyed.destroy()
  return okm
}
