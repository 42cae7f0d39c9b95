import { randomBytes } from 'node:crypto'
import { link, open, readFile, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { xchacha20poly1305 } from '@noble/ciphers/chacha.js'
import { argon2idAsync } from '@noble/hashes/argon2.js'
import { fromBase64Url, toBase64Url, utf8 } from '@dak/protocol'
import { BadKeyFileError, WrongPassphraseError } from './errors.js'

/**
 * DIR/keyfile.json: the device's storage key (docs/storage.md, "Key
 * hierarchy"), the key every record of DIR/db is sealed under. Normally it is
 * wrapped: XChaCha20-Poly1305 under a key stretched from the officer's
 * passphrase with Argon2id, whose parameters and salt are stored beside it so
 * they can be raised later without breaking old files. An unattended device
 * (`dak init --no-passphrase`) keeps it unwrapped, and the file says so in
 * as many words: then the disk's own protection is all there is.
 */

export const KEY_FILE = 'keyfile.json'
const VERSION = 1
const STORAGE_KEY_BYTES = 32
const SALT_BYTES = 16
const NONCE_BYTES = 24
/** Associated data of the wrapped key: a file of another kind or version cannot be passed off as this one. */
const WRAP_AAD = utf8('dak keyfile v1 storage key')

export interface Argon2Params {
  /** Passes over memory. */
  t: number
  /** Memory in KiB. */
  m: number
  /** Lanes. */
  p: number
}

/**
 * 64 MiB and one pass, one lane (OWASP's first Argon2id choice): paid once
 * per `dak` process that opens the device (docs/storage.md gives a measured
 * time), and 64 MiB of memory per guess for whoever tries passphrases on a
 * copied disk.
 */
export const DEFAULT_ARGON2: Argon2Params = { t: 1, m: 64 * 1024, p: 1 }
/**
 * Set to 1 by the test suite only (test/cli/dak-process.ts): new key files get
 * trivially cheap Argon2id parameters (256 KiB), so hundreds of test devices
 * do not each spend a second or two. A key file made so says so in its
 * parameters; never set it for a real device.
 */
export const TEST_KDF_ENV = 'DAK_TEST_CHEAP_KDF'
const TEST_ARGON2: Argon2Params = { t: 1, m: 256, p: 1 }

export type KeyFile =
  | { version: 1, protection: 'passphrase', kdf: { name: 'argon2id', salt: string } & Argon2Params, cipher: 'xchacha20poly1305', nonce: string, wrappedKey: string }
  | { version: 1, protection: 'none', warning: string, storageKey: string }

export const keyFilePath = (dir: string): string => join(dir, KEY_FILE)

export function argon2ParamsFor (env: NodeJS.ProcessEnv): Argon2Params {
  return env[TEST_KDF_ENV] === '1' ? TEST_ARGON2 : DEFAULT_ARGON2
}

export async function readKeyFile (dir: string): Promise<KeyFile | undefined> {
  let text: string
  try {
    text = await readFile(keyFilePath(dir), 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw err
  }
  return checkKeyFile(text, keyFilePath(dir))
}

/**
 * Make a new storage key and write its key file, wrapped under `passphrase`
 * (or unwrapped when it is undefined). Never replaces a key file: two `dak`
 * processes upgrading the same directory at once must not end up with two
 * keys, so the second finds the first's file (undefined is returned) and unlocks that.
 */
export async function createKeyFile (dir: string, passphrase: string | undefined, params: Argon2Params): Promise<Uint8Array | undefined> {
  const storageKey = new Uint8Array(randomBytes(STORAGE_KEY_BYTES))
  let file: KeyFile
  if (passphrase === undefined) {
    file = { version: VERSION, protection: 'none', warning: 'UNPROTECTED: this storage key is not wrapped by a passphrase (dak init --no-passphrase). Anyone who can read this file can read the device store.', storageKey: toBase64Url(storageKey) }
  } else {
    const salt = new Uint8Array(randomBytes(SALT_BYTES))
    const nonce = new Uint8Array(randomBytes(NONCE_BYTES))
    const wrappingKey = await stretch(passphrase, salt, params)
    const wrappedKey = xchacha20poly1305(wrappingKey, nonce, WRAP_AAD).encrypt(storageKey)
    file = { version: VERSION, protection: 'passphrase', kdf: { name: 'argon2id', salt: toBase64Url(salt), ...params }, cipher: 'xchacha20poly1305', nonce: toBase64Url(nonce), wrappedKey: toBase64Url(wrappedKey) }
  }
  // written whole under another name, then linked in only if no key file exists yet
  const temporary = `${keyFilePath(dir)}.${process.pid}.tmp`
  const handle = await open(temporary, 'wx', 0o600)
  try {
    await handle.writeFile(JSON.stringify(file, null, 2) + '\n')
    await handle.sync()
  } finally {
    await handle.close()
  }
  try {
    // link(2) is atomic and refuses an existing name: a reader sees no key file or a whole one
    await link(temporary, keyFilePath(dir))
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return undefined
    throw err
  } finally {
    await rm(temporary, { force: true })
  }
  return storageKey
}

/** The storage key in `file`; WrongPassphraseError (and nothing else happens) when the passphrase does not open it. */
export async function unwrapStorageKey (file: KeyFile, passphrase: string | undefined): Promise<Uint8Array> {
  if (file.protection === 'none') return fromBase64Url(file.storageKey)
  if (passphrase === undefined) throw new WrongPassphraseError('this device\'s storage key is protected by a passphrase')
  const { salt, t, m, p } = file.kdf
  const wrappingKey = await stretch(passphrase, fromBase64Url(salt), { t, m, p })
  try {
    return xchacha20poly1305(wrappingKey, fromBase64Url(file.nonce), WRAP_AAD).decrypt(fromBase64Url(file.wrappedKey))
  } catch {
    throw new WrongPassphraseError('wrong passphrase: it does not unlock this device\'s storage key')
  }
}

async function stretch (passphrase: string, salt: Uint8Array, params: Argon2Params): Promise<Uint8Array> {
  return await argon2idAsync(utf8(passphrase.normalize('NFC')), salt, { ...params, dkLen: 32 })
}

function checkKeyFile (text: string, where: string): KeyFile {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    throw new BadKeyFileError(`${where} is not JSON`)
  }
  const o = (typeof json === 'object' && json !== null ? json : {}) as Record<string, unknown>
  const base64 = (value: unknown, bytes?: number): value is string => {
    if (typeof value !== 'string') return false
    try {
      return bytes === undefined || fromBase64Url(value).length === bytes
    } catch {
      return false
    }
  }
  const whole = (value: unknown, min: number, max: number): boolean => typeof value === 'number' && Number.isSafeInteger(value) && value >= min && value <= max
  if (o.version !== VERSION) throw new BadKeyFileError(`${where}: version ${String(o.version)} is not one this dak reads`)
  if (o.protection === 'none') {
    if (!base64(o.storageKey, STORAGE_KEY_BYTES)) throw new BadKeyFileError(`${where}: storageKey is not a ${STORAGE_KEY_BYTES}-byte key`)
    return o as KeyFile
  }
  if (o.protection !== 'passphrase') throw new BadKeyFileError(`${where}: protection must be "passphrase" or "none"`)
  const kdf = (typeof o.kdf === 'object' && o.kdf !== null ? o.kdf : {}) as Record<string, unknown>
  // bounds keep a tampered file from asking for terabytes of memory or years of passes
  if (kdf.name !== 'argon2id' || !base64(kdf.salt) || !whole(kdf.t, 1, 64) || !whole(kdf.m, 8, 4 * 1024 * 1024) || !whole(kdf.p, 1, 16)) throw new BadKeyFileError(`${where}: kdf must be argon2id with salt, t, m and p`)
  if (o.cipher !== 'xchacha20poly1305' || !base64(o.nonce, NONCE_BYTES) || !base64(o.wrappedKey, STORAGE_KEY_BYTES + 16)) throw new BadKeyFileError(`${where}: not a wrapped storage key`)
  return o as KeyFile
}
