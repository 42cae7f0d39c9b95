import { generateKeyPairFromSeed } from '@libp2p/crypto/keys'
import { InvalidArgumentError } from '@dak/protocol'
import type { Ed25519PrivateKey, PeerId } from '@libp2p/interface'

/**
 * The device key is the libp2p peer key (ARCHITECTURE.md, "Identity and
 * trust"): the same 32-byte Ed25519 seed signs envelopes in protocol/ and
 * authenticates Noise here, so a peer id names exactly one certified device.
 */
export async function devicePrivateKey (seed: Uint8Array): Promise<Ed25519PrivateKey> {
  if (seed.length !== 32) throw new InvalidArgumentError('a device seed is 32 bytes')
  return generateKeyPairFromSeed('Ed25519', seed)
}

/**
 * The raw Ed25519 public key a peer authenticated with, or undefined for any
 * other key type (RSA, secp256k1): such a peer can never match a certificate.
 */
export function deviceKeyOf (peer: PeerId): Uint8Array | undefined {
  return peer.type === 'Ed25519' ? peer.publicKey.raw : undefined
}
