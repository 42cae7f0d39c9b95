import { isStrictPublicKey, isStrictSignature } from './ed25519-strict.js'
import * as reference from './ed25519.noble.js'

/**
 * Ed25519 verification for callers that may wait (MLS: ts-mls's signature
 * interface returns promises), in the browser: WebCrypto, about a tenth of
 * strict @noble/curves per verify, with noble's verdicts. The scheme is the
 * one ed25519.node.ts uses with OpenSSL:
 * - the encoding rules of strict RFC 8032 are checked on the bytes first
 *   (ed25519-strict.ts): canonical A and R, S < L, A not of small order.
 *   Browsers' WebCrypto need not apply all of them;
 * - a signature WebCrypto accepts is then good for noble too: BoringSSL
 *   (Chromium) and OpenSSL check [S]B = R + [k]A exactly, and an exact
 *   solution also solves noble's cofactored equation (an implementation that
 *   checks the cofactored one agrees with noble outright);
 * - a signature WebCrypto refuses is put to noble before it is called bad: the
 *   two equations part when A or R carries a small-order component, which only
 *   a signer who crafts their key or nonce can arrange.
 * Where WebCrypto has no Ed25519 (older Safari and Firefox, a page outside a
 * secure context) everything goes to noble, as before.
 *
 * Signing stays with `#ed25519` (noble in the browser): a device signs what it
 * sends, once, but verifies what every member sends.
 */

/** Public keys imported lately: messages come again and again from the same few senders. */
const PUBLIC_KEY_CACHE_ENTRIES = 1024

export type AsyncVerify = (signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array) => Promise<boolean>

/**
 * A verifier over `subtle`, or over noble alone if `subtle` is undefined.
 * Exported so that tests can stand for a browser without WebCrypto Ed25519.
 */
export function verifierOver (subtle: SubtleCrypto | undefined): AsyncVerify {
  let webCrypto = subtle
  const publicKeys = new Map<string, Promise<CryptoKey>>()

  function importedKey (webCrypto: SubtleCrypto, publicKey: Uint8Array<ArrayBuffer>): Promise<CryptoKey> {
    const id = String.fromCharCode(...publicKey)
    let key = publicKeys.get(id)
    if (key != null) {
      publicKeys.delete(id) // re-inserted below: a Map iterates oldest first
    } else {
      key = webCrypto.importKey('raw', publicKey, 'Ed25519', false, ['verify'])
      // A refused import is not kept: the next message tries again (or finds Ed25519 switched off below).
      key.catch(() => { if (publicKeys.get(id) === key) publicKeys.delete(id) })
      if (publicKeys.size >= PUBLIC_KEY_CACHE_ENTRIES) {
        const oldest = publicKeys.keys().next()
        if (oldest.done !== true) publicKeys.delete(oldest.value)
      }
    }
    publicKeys.set(id, key)
    return key
  }

  /** WebCrypto's verdict; false also when it cannot give one (noble decides then). */
  async function webCryptoAccepts (signature: Uint8Array<ArrayBuffer>, message: Uint8Array, publicKey: Uint8Array<ArrayBuffer>): Promise<boolean> {
    if (webCrypto == null) return false
    try {
      const key = await importedKey(webCrypto, publicKey)
      // WebCrypto copies the message when called; a shared or detached buffer makes it throw, and noble decides.
      return await webCrypto.verify('Ed25519', key, signature, message as Uint8Array<ArrayBuffer>)
    } catch (err) {
      // No Ed25519 in this browser's WebCrypto: stop asking it. Anything else is
      // this one signature's business, and noble has the last word on it.
      if (err instanceof Error && err.name === 'NotSupportedError') webCrypto = undefined
      return false
    }
  }

  return async function verify (signature, message, publicKey) {
    if (!isStrictPublicKey(publicKey) || !isStrictSignature(signature)) return false
    // Copies: what was checked above is what WebCrypto sees after the awaits, whatever the caller does meanwhile.
    const checkedSignature = signature.slice()
    const checkedKey = publicKey.slice()
    if (await webCryptoAccepts(checkedSignature, message, checkedKey)) return true
    return reference.verify(checkedSignature, message, checkedKey)
  }
}

/** Strict RFC 8032 verification, the verdicts of ed25519.noble.ts, through the page's WebCrypto. */
export const verify: AsyncVerify = verifierOver(globalThis.crypto?.subtle)
