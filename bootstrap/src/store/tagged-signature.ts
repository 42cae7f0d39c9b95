import { ed25519 } from '@noble/curves/ed25519.js'
import { concatBytes, ED25519_PUBLIC_KEY_BYTES, ED25519_SIGNATURE_BYTES, InvalidSignatureError, utf8 } from '@dak/protocol'

/**
 * Signature domains of the requests devices make to their department node.
 * Built exactly like protocol/'s signFor (UTF-8 tag, NUL, message), so moving
 * them into SIGNATURE_DOMAINS later changes no byte. They belong in
 * protocol/ (the device signs, node/ cannot import bootstrap/); they live here
 * until constants.ts gains them. No tag is a prefix of another or contains NUL,
 * so no signature for one purpose verifies for another.
 */
export const REQUEST_DOMAINS = {
  registerTopics: 'dak/v1/register-topics',
  enrol: 'dak/v1/enrol'
} as const
export type RequestDomain = keyof typeof REQUEST_DOMAINS

function tagged (domain: RequestDomain, message: Uint8Array): Uint8Array {
  return concatBytes(utf8(REQUEST_DOMAINS[domain]), new Uint8Array([0]), message)
}

export function signRequest (domain: RequestDomain, privateKey: Uint8Array, message: Uint8Array): Uint8Array {
  return ed25519.sign(tagged(domain, message), privateKey)
}

/** Throws InvalidSignatureError unless `signature` is `publicKey`'s over `message` in `domain`. */
export function verifyRequest (domain: RequestDomain, publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array, what: string): void {
  if (publicKey.length !== ED25519_PUBLIC_KEY_BYTES) throw new InvalidSignatureError(`${what}: signer key is not an Ed25519 public key`)
  if (signature.length !== ED25519_SIGNATURE_BYTES) throw new InvalidSignatureError(`${what}: signature has the wrong length`)
  let ok = false
  try {
    // Strict RFC 8032 as in protocol/: no malleable encodings.
    ok = ed25519.verify(signature, tagged(domain, message), publicKey, { zip215: false })
  } catch {
    ok = false
  }
  if (!ok) throw new InvalidSignatureError(`${what}: signature does not verify`)
}
