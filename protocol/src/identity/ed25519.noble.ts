import { ed25519 } from '@noble/curves/ed25519.js'

/**
 * Ed25519 in pure JS (@noble/curves): what the browser uses, and the
 * reference that the Node.js implementation (ed25519.node.ts) must agree with
 * byte for byte and verdict for verdict. keys.ts reaches one of the two
 * through the `#ed25519` import of protocol/package.json.
 */

/** The public key of a 32-byte seed. */
export function publicKeyOf (seed: Uint8Array): Uint8Array {
  return ed25519.getPublicKey(seed)
}

/** The (deterministic) signature of `seed` over `message`. */
export function sign (message: Uint8Array, seed: Uint8Array): Uint8Array {
  return ed25519.sign(message, seed)
}

/**
 * Strict RFC 8032 verification (zip215: false): refuses non-canonical
 * encodings of A and R, S >= L and public keys of small order, then checks
 * the cofactored equation [8][S]B = [8]R + [8][k]A.
 */
export function verify (signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean {
  try {
    return ed25519.verify(signature, message, publicKey, { zip215: false })
  } catch {
    // noble throws on wrong lengths; a malformed signature is just a bad one
    return false
  }
}
