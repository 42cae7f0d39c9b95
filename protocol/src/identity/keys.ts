import { randomBytes as secureRandomBytes } from '@noble/hashes/utils.js'
// node:crypto on Node.js, @noble/curves in the browser: see protocol/package.json "imports"
import * as ed25519 from '#ed25519'
import { ED25519_PUBLIC_KEY_BYTES, ED25519_SIGNATURE_BYTES, SIGNATURE_DOMAINS, type SignatureDomain } from '../constants.js'
import { concatBytes, utf8 } from '../bytes.js'
import { InvalidArgumentError, InvalidSignatureError } from '../errors.js'

/** An Ed25519 private key is a 32-byte seed (RFC 8032 5.1.5). */
const ED25519_SEED_BYTES = 32

/**
 * Ed25519 key pairs for devices (the libp2p peer key) and department
 * authorities. `protocol/` generates and uses raw keys; `node/` converts the
 * device key to and from libp2p's PrivateKey.
 */
export interface SigningKeyPair {
  /** 32-byte Ed25519 seed. Never leaves the device's own storage. */
  privateKey: Uint8Array
  publicKey: Uint8Array
}

export function generateSigningKeyPair (randomBytes?: (n: number) => Uint8Array): SigningKeyPair {
  return signingKeyPairFromSeed(randomBytes != null ? randomBytes(ED25519_SEED_BYTES) : secureRandomBytes(ED25519_SEED_BYTES))
}

export function signingKeyPairFromSeed (seed: Uint8Array): SigningKeyPair {
  assertSeed(seed)
  return { privateKey: seed, publicKey: ed25519.publicKeyOf(seed) }
}

function assertSeed (seed: Uint8Array): void {
  if (seed.length !== ED25519_SEED_BYTES) throw new InvalidArgumentError('an Ed25519 seed is 32 bytes')
}

function tagged (domain: SignatureDomain, message: Uint8Array): Uint8Array {
  // The tag is length-prefixed implicitly by being a fixed string per domain and
  // followed by a NUL, which no tag contains.
  return concatBytes(utf8(SIGNATURE_DOMAINS[domain]), new Uint8Array([0]), message)
}

export function signFor (domain: SignatureDomain, privateKey: Uint8Array, message: Uint8Array): Uint8Array {
  assertSeed(privateKey)
  return ed25519.sign(tagged(domain, message), privateKey)
}

/** Throws InvalidSignatureError unless `signature` is `publicKey`'s over `message` in `domain`. */
export function verifyFor (domain: SignatureDomain, publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array, what: string): void {
  if (publicKey.length !== ED25519_PUBLIC_KEY_BYTES) throw new InvalidSignatureError(`${what}: signer key is not an Ed25519 public key`)
  if (signature.length !== ED25519_SIGNATURE_BYTES) throw new InvalidSignatureError(`${what}: signature has the wrong length`)
  // Strict RFC 8032 verification on both platforms: no non-canonical or malleable encodings, no small-order keys.
  if (!ed25519.verify(signature, tagged(domain, message), publicKey)) throw new InvalidSignatureError(`${what}: signature does not verify`)
}
