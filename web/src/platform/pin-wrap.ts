/**
 * The PIN layer around the storage key (docs/web.md, *PIN lock*): a key
 * stretched from the officer's PIN or passphrase with Argon2id (the same
 * library `dak` uses for its passphrase, node/src/cli/keyfile.ts) seals the
 * storage key with AES-GCM; storage-key.ts then wraps that under the
 * browser's non-extractable key as before. The salt and the Argon2id
 * parameters are kept beside the wrapped key, so they can be raised later
 * without breaking a PIN set earlier.
 */
import { argon2idAsync } from '@noble/hashes/argon2.js'
import { WrongPinError } from './errors.js'

export interface PinLayer {
  kdf: 'argon2id'
  salt: Uint8Array<ArrayBuffer>
  /** Passes over memory. */
  t: number
  /** Memory in KiB. */
  m: number
  /** Lanes. */
  p: number
  iv: Uint8Array<ArrayBuffer>
}

/**
 * 19 MiB and two passes, one lane: OWASP's second Argon2id choice, lighter
 * than `dak`'s 64 MiB because a phone's browser runs it in page script on
 * every unlock. Test builds (`--mode test`) use 256 KiB so a Chromium test
 * can unlock many times on a shared machine; the parameters travel with the
 * wrapped key, so a test-built key is never mistaken for a real one's cost.
 */
const ARGON2 = import.meta.env.MODE === 'test' ? { t: 1, m: 256, p: 1 } : { t: 2, m: 19 * 1024, p: 1 }
const SALT_BYTES = 16
const IV_BYTES = 12
/** Associated data: a sealed value of another kind cannot be passed off as the PIN-sealed storage key. */
const AAD = new TextEncoder().encode('dak web pin v1 storage key')

async function pinKey (pin: string, layer: Pick<PinLayer, 'salt' | 't' | 'm' | 'p'>): Promise<CryptoKey> {
  // NFC: the same passphrase typed on another keyboard (composed or not) gives the same key
  const stretched = await argon2idAsync(new TextEncoder().encode(pin.normalize('NFC')), layer.salt, { t: layer.t, m: layer.m, p: layer.p, dkLen: 32 })
  try {
    return await crypto.subtle.importKey('raw', stretched, 'AES-GCM', false, ['encrypt', 'decrypt'])
  } finally {
    stretched.fill(0)
  }
}

/** Seal `storageKey` under `pin`: the sealed bytes and the layer's parameters. */
export async function sealWithPin (storageKey: Uint8Array<ArrayBuffer>, pin: string): Promise<{ sealed: ArrayBuffer, layer: PinLayer }> {
  const layer: PinLayer = { kdf: 'argon2id', salt: crypto.getRandomValues(new Uint8Array(SALT_BYTES)), ...ARGON2, iv: crypto.getRandomValues(new Uint8Array(IV_BYTES)) }
  const sealed = await crypto.subtle.encrypt({ name: 'AES-GCM', iv: layer.iv, additionalData: AAD }, await pinKey(pin, layer), storageKey)
  return { sealed, layer }
}

/** Open what sealWithPin sealed; a wrong PIN fails the AES-GCM tag: WrongPinError. */
export async function openWithPin (sealed: ArrayBuffer, layer: PinLayer, pin: string): Promise<Uint8Array<ArrayBuffer>> {
  const key = await pinKey(pin, layer)
  try {
    return new Uint8Array(await crypto.subtle.decrypt({ name: 'AES-GCM', iv: layer.iv, additionalData: AAD }, key, sealed))
  } catch {
    // AES-GCM says only that the tag did not match: with the right outer layer, that is a wrong PIN
    throw new WrongPinError('the PIN does not open this browser’s storage key')
  }
}
