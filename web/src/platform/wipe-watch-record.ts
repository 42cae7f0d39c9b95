/**
 * Issue 14, remote wipe while locked (docs/web.md): what a page locked by a
 * PIN still needs to obey a wipe order. Fetching an order takes the device's
 * public key (in its certificate), and verifying one takes the certificate and
 * the trust bundle (verifyWipeOrderFor); all of them live in the device store,
 * which is sealed under the PIN-locked storage key. So each open keeps a copy
 * of these two public records here, in `dak-keys` beside the wrapped storage
 * key, sealed under the browser's non-extractable wrapping key only — not the
 * PIN. Nothing secret is in it: the certificate is shown to every peer the
 * device connects to, and the bundle is the department's public keys. Sealing
 * still keeps the officer's handle out of the profile's files. It is deleted
 * with the rest of `dak-keys` when the device is wiped.
 */
import type { OpenDevice } from '@dak/node/device/open-device'
import { get, openKeys, put, StorageKeyUnavailableError, WRAPPING_KEY } from './storage-key.js'

const RECORD_KEY = 'wipe-watch'
const IV_BYTES = 12

export interface WipeWatchRecord {
  certificate: Uint8Array
  trustBundle: Uint8Array
  /** The department nodes' web addresses to ask (the page's origin). */
  nodeUrls: string[]
}

interface Sealed { iv: Uint8Array<ArrayBuffer>, sealed: ArrayBuffer }

/** Copy the open device's certificate and trust bundle here; nothing when it has none (not enrolled: opening already said so). */
export async function keepWipeWatchRecord (store: Pick<OpenDevice['store'], 'identity'>, nodeUrls: string[]): Promise<void> {
  const identity = await store.identity.get()
  if (identity.certificate == null || identity.trustBundle == null) return
  const plain = new TextEncoder().encode(JSON.stringify({ certificate: toHex(identity.certificate), trustBundle: toHex(identity.trustBundle), nodeUrls }))
  const db = await openKeys()
  try {
    const wrappingKey = await get<CryptoKey>(db, WRAPPING_KEY)
    if (wrappingKey === undefined) throw new StorageKeyUnavailableError('this browser has no wrapping key to seal the wipe watch under')
    const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES))
    const sealed = await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, wrappingKey, plain)
    await put(db, [[RECORD_KEY, { iv, sealed } satisfies Sealed]])
  } finally {
    db.close()
  }
}

/** What was kept at the last open; undefined when nothing was (never opened since this version, or wiped). */
export async function readWipeWatchRecord (): Promise<WipeWatchRecord | undefined> {
  const db = await openKeys()
  try {
    const wrappingKey = await get<CryptoKey>(db, WRAPPING_KEY)
    const stored = await get<Sealed>(db, RECORD_KEY)
    if (wrappingKey === undefined || stored === undefined) return undefined
    const plain = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: stored.iv }, wrappingKey, stored.sealed)
    const json = JSON.parse(new TextDecoder().decode(plain)) as { certificate: string, trustBundle: string, nodeUrls: string[] }
    return { certificate: fromHex(json.certificate), trustBundle: fromHex(json.trustBundle), nodeUrls: json.nodeUrls }
  } finally {
    db.close()
  }
}

function toHex (bytes: Uint8Array): string {
  return Array.from(bytes, b => b.toString(16).padStart(2, '0')).join('')
}

function fromHex (hex: string): Uint8Array {
  return new Uint8Array((hex.match(/../g) ?? []).map(h => parseInt(h, 16)))
}
