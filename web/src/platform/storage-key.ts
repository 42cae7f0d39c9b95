/**
 * The browser device's storage key (docs/storage.md, "Key hierarchy"): the
 * 32 bytes every record of the device store is sealed under. It is kept in
 * IndexedDB wrapped by an AES-GCM key that WebCrypto made non-extractable:
 * page script, even injected script, can use the wrapping key only through
 * WebCrypto in this origin and can never read its bytes, so the wrapped
 * storage key in IndexedDB is useless copied anywhere else by script.
 *
 * What it does not do: the browser keeps the wrapping key's material in its
 * own profile files, so someone with a copy of the whole profile and the
 * knowledge of Chromium's formats can unwrap it. The optional PIN or
 * passphrase (pin-wrap.ts, docs/web.md *PIN lock*) closes that: with one set,
 * what the browser's key wraps is the storage key sealed under a key stretched
 * from the PIN, and the profile alone no longer opens the store.
 */
import { DakBrowserError, PinAttemptsDelayError, PinRequiredError, PinTooShortError, WrongPinError } from './errors.js'
import { nextTryAt, type PinAttempts } from './pin-attempts.js'
import { openWithPin, sealWithPin, type PinLayer } from './pin-wrap.js'

export class StorageKeyUnavailableError extends DakBrowserError {
  override name = 'StorageKeyUnavailableError'
}

const KEYS_DATABASE = 'dak-keys'
const STORE = 'keys'
export const WRAPPING_KEY = 'wrapping-key'
const WRAPPED_STORAGE_KEY = 'storage-key'
const PIN_ATTEMPTS = 'pin-attempts'
const STORAGE_KEY_BYTES = 32
const IV_BYTES = 12
/** The shortest PIN or passphrase accepted: four characters (a four-digit PIN). */
export const MIN_PIN_LENGTH = 4

/** `pin`: set when the wrapped bytes are the storage key sealed under the officer's PIN (pin-wrap.ts). */
interface WrappedStorageKey { iv: Uint8Array<ArrayBuffer>, wrapped: ArrayBuffer, pin?: PinLayer }

/** Whether this browser's storage key is locked by a PIN (false also when there is no key yet). */
export async function pinIsSet (): Promise<boolean> {
  const db = await openKeys()
  try {
    return (await get<WrappedStorageKey>(db, WRAPPED_STORAGE_KEY))?.pin !== undefined
  } finally {
    db.close()
  }
}

/**
 * This browser's storage key: unwrapped from IndexedDB, or made and stored there the first time.
 * With a PIN set: `pin` is required (PinRequiredError), a wrong one is counted and refused
 * (WrongPinError), and after too many a try waits (PinAttemptsDelayError).
 */
export async function browserStorageKey (pin?: string): Promise<Uint8Array<ArrayBuffer>> {
  const db = await openKeys()
  try {
    const wrappingKey = await get<CryptoKey>(db, WRAPPING_KEY)
    const stored = await get<WrappedStorageKey>(db, WRAPPED_STORAGE_KEY)
    if (wrappingKey !== undefined && stored !== undefined) {
      const inner = await unwrapOuter(wrappingKey, stored)
      if (stored.pin === undefined) return new Uint8Array(inner)
      if (pin === undefined) throw new PinRequiredError('this browser is locked: its PIN or passphrase is needed')
      return await openCounted(db, inner, stored.pin, pin)
    }
    const fresh = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt'])
    const storageKey = crypto.getRandomValues(new Uint8Array(STORAGE_KEY_BYTES))
    const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES))
    const wrapped = await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, fresh, storageKey)
    // both in one transaction, and only if no other tab stored a key in the meantime ('add' refuses an existing one)
    await addBoth(db, fresh, { iv, wrapped })
    return storageKey
  } finally {
    db.close()
  }
}

async function unwrapOuter (wrappingKey: CryptoKey, stored: WrappedStorageKey): Promise<ArrayBuffer> {
  try {
    return await crypto.subtle.decrypt({ name: 'AES-GCM', iv: stored.iv }, wrappingKey, stored.wrapped)
  } catch (err) {
    throw new StorageKeyUnavailableError(`this browser's storage key does not unwrap: ${err instanceof Error ? err.message : String(err)}`)
  }
}

/**
 * Try a PIN, counted: the failure is written before the PIN is tried and
 * cleared only when it opens, so closing the page mid-try still counts.
 */
async function openCounted (db: IDBDatabase, sealed: ArrayBuffer, layer: PinLayer, pin: string): Promise<Uint8Array<ArrayBuffer>> {
  const attempts = await get<PinAttempts>(db, PIN_ATTEMPTS)
  const retryAt = nextTryAt(attempts)
  if (retryAt > Date.now()) throw new PinAttemptsDelayError(`${attempts?.failures ?? 0} wrong PINs in a row: the next try is allowed in ${Math.ceil((retryAt - Date.now()) / 1000)} s`, retryAt)
  const failures = (attempts?.failures ?? 0) + 1
  await put(db, [[PIN_ATTEMPTS, { failures, lastAt: Date.now() } satisfies PinAttempts]])
  try {
    const key = await openWithPin(sealed, layer, pin)
    await del(db, PIN_ATTEMPTS)
    return key
  } catch (err) {
    if (err instanceof WrongPinError) {
      const next = nextTryAt({ failures, lastAt: Date.now() })
      throw new WrongPinError(`wrong PIN or passphrase (${failures} in a row${next > Date.now() ? `; the next try is allowed in ${Math.ceil((next - Date.now()) / 1000)} s` : ''})`)
    }
    throw err
  }
}

/** Lock the storage key with a new PIN or passphrase; with one set already, `currentPin` must open it. */
export async function setPin (newPin: string, currentPin?: string): Promise<void> {
  if (newPin.length < MIN_PIN_LENGTH) throw new PinTooShortError(`a PIN or passphrase has at least ${MIN_PIN_LENGTH} characters`)
  const storageKey = await browserStorageKey(currentPin)
  const { sealed, layer } = await sealWithPin(storageKey, newPin)
  storageKey.fill(0)
  await rewrap(sealed, layer)
}

/** Remove the PIN: only with the PIN itself (a wrong one counts like any other try). */
export async function removePin (currentPin: string): Promise<void> {
  const storageKey = await browserStorageKey(currentPin)
  await rewrap(storageKey.buffer)
  storageKey.fill(0)
}

/** Store `inner` wrapped under the browser's key (and the PIN layer that sealed it, if any), replacing the old record in one transaction. */
async function rewrap (inner: ArrayBuffer, layer?: PinLayer): Promise<void> {
  const db = await openKeys()
  try {
    const wrappingKey = await get<CryptoKey>(db, WRAPPING_KEY)
    if (wrappingKey === undefined) throw new StorageKeyUnavailableError('this browser has no wrapping key to lock')
    const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES))
    const wrapped = await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, wrappingKey, inner)
    const record: WrappedStorageKey = { iv, wrapped, ...(layer !== undefined ? { pin: layer } : {}) }
    await put(db, [[WRAPPED_STORAGE_KEY, record]])
  } finally {
    db.close()
  }
}

/** The `dak-keys` database; also used by wipe-watch-record.ts, which keeps its record beside the key (and so goes with it at a wipe). */
export async function openKeys (): Promise<IDBDatabase> {
  return await new Promise((resolve, reject) => {
    const request = indexedDB.open(KEYS_DATABASE, 1)
    request.onupgradeneeded = () => { request.result.createObjectStore(STORE) }
    request.onsuccess = () => { resolve(request.result) }
    request.onerror = () => { reject(new StorageKeyUnavailableError(`IndexedDB ${KEYS_DATABASE}: ${request.error?.message ?? 'cannot open'}`)) }
  })
}

export async function get<T> (db: IDBDatabase, key: string): Promise<T | undefined> {
  return await new Promise((resolve, reject) => {
    const request = db.transaction(STORE, 'readonly').objectStore(STORE).get(key)
    request.onsuccess = () => { resolve(request.result as T | undefined) }
    request.onerror = () => { reject(new StorageKeyUnavailableError(`reading ${key}: ${request.error?.message ?? 'failed'}`)) }
  })
}

export async function put (db: IDBDatabase, entries: Array<[string, unknown]>): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const tx = db.transaction(STORE, 'readwrite')
    for (const [key, value] of entries) tx.objectStore(STORE).put(value, key)
    tx.oncomplete = () => { resolve() }
    tx.onabort = () => { reject(new StorageKeyUnavailableError(`writing ${entries.map(e => e[0]).join(', ')}: ${tx.error?.message ?? 'aborted'}`)) }
  })
}

async function del (db: IDBDatabase, key: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const tx = db.transaction(STORE, 'readwrite')
    tx.objectStore(STORE).delete(key)
    tx.oncomplete = () => { resolve() }
    tx.onabort = () => { reject(new StorageKeyUnavailableError(`deleting ${key}: ${tx.error?.message ?? 'aborted'}`)) }
  })
}

async function addBoth (db: IDBDatabase, wrappingKey: CryptoKey, stored: WrappedStorageKey): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const tx = db.transaction(STORE, 'readwrite')
    tx.objectStore(STORE).add(wrappingKey, WRAPPING_KEY)
    tx.objectStore(STORE).add(stored, WRAPPED_STORAGE_KEY)
    tx.oncomplete = () => { resolve() }
    tx.onabort = () => { reject(new StorageKeyUnavailableError(`storing the storage key: ${tx.error?.message ?? 'aborted'} (another tab may have made one: reload)`)) }
  })
}

/** Remote wipe: delete the wrapping key and the wrapped storage key (the whole `dak-keys` database). */
export async function eraseStorageKey (): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const request = indexedDB.deleteDatabase(KEYS_DATABASE)
    request.onsuccess = () => { resolve() }
    request.onerror = () => { reject(new StorageKeyUnavailableError(`deleting ${KEYS_DATABASE}: ${request.error?.message ?? 'failed'}`)) }
    // another tab still has it open: it closes it within a moment (its own device is stopped by the same order)
    request.onblocked = () => { console.warn(`deleting ${KEYS_DATABASE} waits for another tab to close it`) }
  })
}
