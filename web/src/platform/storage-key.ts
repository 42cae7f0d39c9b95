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
 * knowledge of Chromium's formats can unwrap it. A PIN or passphrase lock
 * screen (not built yet) is what closes that; docs/storage.md says so.
 */
import { DakBrowserError } from './errors.js'

export class StorageKeyUnavailableError extends DakBrowserError {
  override name = 'StorageKeyUnavailableError'
}

const KEYS_DATABASE = 'dak-keys'
const STORE = 'keys'
const WRAPPING_KEY = 'wrapping-key'
const WRAPPED_STORAGE_KEY = 'storage-key'
const STORAGE_KEY_BYTES = 32
const IV_BYTES = 12

interface WrappedStorageKey { iv: Uint8Array<ArrayBuffer>, wrapped: ArrayBuffer }

/** This browser's storage key: unwrapped from IndexedDB, or made and stored there the first time. */
export async function browserStorageKey (): Promise<Uint8Array> {
  const db = await openKeys()
  try {
    const wrappingKey = await get<CryptoKey>(db, WRAPPING_KEY)
    const stored = await get<WrappedStorageKey>(db, WRAPPED_STORAGE_KEY)
    if (wrappingKey !== undefined && stored !== undefined) {
      try {
        return new Uint8Array(await crypto.subtle.decrypt({ name: 'AES-GCM', iv: stored.iv }, wrappingKey, stored.wrapped))
      } catch (err) {
        throw new StorageKeyUnavailableError(`this browser's storage key does not unwrap: ${err instanceof Error ? err.message : String(err)}`)
      }
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

async function openKeys (): Promise<IDBDatabase> {
  return await new Promise((resolve, reject) => {
    const request = indexedDB.open(KEYS_DATABASE, 1)
    request.onupgradeneeded = () => { request.result.createObjectStore(STORE) }
    request.onsuccess = () => { resolve(request.result) }
    request.onerror = () => { reject(new StorageKeyUnavailableError(`IndexedDB ${KEYS_DATABASE}: ${request.error?.message ?? 'cannot open'}`)) }
  })
}

async function get<T> (db: IDBDatabase, key: string): Promise<T | undefined> {
  return await new Promise((resolve, reject) => {
    const request = db.transaction(STORE, 'readonly').objectStore(STORE).get(key)
    request.onsuccess = () => { resolve(request.result as T | undefined) }
    request.onerror = () => { reject(new StorageKeyUnavailableError(`reading ${key}: ${request.error?.message ?? 'failed'}`)) }
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
