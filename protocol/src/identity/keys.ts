import { ed25519 } from '@noble/curves/ed25519.js'
import { ED25519_PUBLIC_KEY_BYTES, ED25519_SIGNATURE_BYTES, SIGNATURE_DOMAINS, type SignatureDomain } from '../constants.js'
import { concatBytes, utf8 } from '../bytes.js'
import { InvalidArgumentError, InvalidSignatureError } from '../errors.js'

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
  const privateKey = randomBytes != null ? randomBytes(32) : ed25519.utils.randomSecretKey()
  return { privateKey, publicKey: ed25519.getPublicKey(privateKey) }
}

export function signingKeyPairFromSeed (seed: Uint8Array): SigningKeyPair {
  if (seed.length !== 32) throw new InvalidArgumentError('an Ed25519 seed is 32 bytes')
  return { privateKey: seed, publicKey: ed25519.getPublicKey(seed) }
}

function tagged (domain: SignatureDomain, message: Uint8Array): Uint8Array {
  // The tag is length-prefixed implicitly by being a fixed string per domain and
  // followed by a NUL, which no tag contains.
  return concatBytes(utf8(SIGNATURE_DOMAINS[domain]), new Uint8Array([0]), message)
}

export function signFor (domain: SignatureDomain, privateKey: Uint8Array, message: Uint8Array): Uint8Array {
  return ed25519.sign(tagged(domain, message), privateKey)
}

/** Throws InvalidSignatureError unless `signature` is `publicKey`'s over `message` in `domain`. */
export function verifyFor (domain: SignatureDomain, publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array, what: string): void {
  if (publicKey.length !== ED25519_PUBLIC_KEY_BYTES) throw new InvalidSignatureError(`${what}: signer key is not an Ed25519 public key`)
  if (signature.length !== ED25519_SIGNATURE_BYTES) throw new InvalidSignatureError(`${what}: signature has the wrong length`)
  let ok = false
  try {
    // zip215 false: strict RFC 8032 verification, no malleable encodings.
    ok = ed25519.verify(signature, tagged(domain, message), publicKey, { zip215: false })
  } catch {
    ok = false
  }
  if (!ok) throw new InvalidSignatureError(`${what}: signature does not verify`)
}
