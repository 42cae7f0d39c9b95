import { ciphersuites, DependencyError, nobleCryptoProvider, type CiphersuiteImpl, type CiphersuiteName, type CryptoProvider, type KdfAlgorithm } from 'ts-mls'
import { makeSyncKdf } from './sync-kdf.js'
import { makeSyncEd25519 } from './sync-signature.js'

/**
 * The crypto provider Dak hands ts-mls: ts-mls's @noble provider with HKDF and Ed25519
 * replaced by synchronous code.
 *
 * What each part of a Dak suite runs on (both Dak suites use ChaCha20-Poly1305, Ed25519
 * and an HKDF of SHA-2):
 * - hash, HMAC: @noble/hashes, already synchronous in ts-mls's @noble provider;
 * - AEAD of MLS messages (`hpke.encryptAead` / `decryptAead`): @noble/ciphers'
 *   ChaCha20-Poly1305, already synchronous in ts-mls's providers (only AES-GCM suites go
 *   through WebCrypto there, and Dak uses none);
 * - HKDF (key schedule, secret tree, sender data keys): ts-mls runs it through
 *   @hpke/core on WebCrypto HMAC, so here it is sync-kdf.ts;
 * - Ed25519: ts-mls uses WebCrypto where it has Ed25519, importing the key on every
 *   call, so here it is sync-signature.ts: node:crypto with cached keys on Node.js
 *   (synchronous); in the browser, @noble/curves to sign and WebCrypto with cached keys
 *   to verify, behind the strict checks (the `#ed25519` and `#ed25519-async` imports);
 * - HPKE (Welcome secrets and update paths, once per commit, not per message): left to
 *   @hpke/core as ts-mls builds it; its KEM and key schedule are not reachable through
 *   `CiphersuiteImpl`.
 *
 * The interface stays ts-mls's (every call returns a promise); what changes is that the
 * promise is already settled when returned, so no call waits on the thread pool (in the
 * browser, a signature verification still waits on WebCrypto: a tenth of pure JS's cost).
 */
export const dakCryptoProvider: CryptoProvider = {
  async getCiphersuiteImpl (id: number): Promise<CiphersuiteImpl> {
    const base = await nobleCryptoProvider.getCiphersuiteImpl(id)
    return withSyncPrimitives(base)
  }
}

/**
 * `base` with its KDF and (for Ed25519 suites) its signatures made synchronous. The
 * suite's name says both: MLS suites use HKDF over the hash they name.
 */
function withSyncPrimitives (base: CiphersuiteImpl): CiphersuiteImpl {
  const name = (Object.keys(ciphersuites) as CiphersuiteName[]).find(n => ciphersuites[n] === base.id) ?? ''
  const hash = /_SHA(256|384|512)_/.exec(name)?.[1]
  if (hash == null) throw new DependencyError(`cipher suite ${base.id}: no synchronous HKDF for it`)
  const kdf = makeSyncKdf(`HKDF-SHA${hash}` as KdfAlgorithm)
  const signature = name.endsWith('_Ed25519') ? makeSyncEd25519(base.signature) : base.signature
  return { ...base, kdf, signature }
}
