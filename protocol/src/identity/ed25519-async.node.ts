import { verify as verifyNow } from './ed25519.node.js'

/**
 * Ed25519 verification for callers that may wait (MLS), on Node.js: the
 * synchronous node:crypto path of ed25519.node.ts, already as fast as
 * WebCrypto without its thread-pool job, so the promise is settled when
 * returned. The browser's variant (ed25519-async.browser.ts) goes through
 * WebCrypto instead; `#ed25519-async` in protocol/package.json picks one.
 */
export async function verify (signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): Promise<boolean> {
  return verifyNow(signature, message, publicKey)
}
