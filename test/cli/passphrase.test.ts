import { createHash } from 'node:crypto'
import { cp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { randomBytes } from '@noble/ciphers/utils.js'
import { ClassicLevel } from 'classic-level'
import { afterEach, describe, expect, it } from 'vitest'
import { EXIT } from '../../node/src/cli/exit-codes.js'
import { openDeviceStore, StoreLockedError, WrongStorageKeyError } from '../../node/src/storage/index.js'
import { provisionDevice, testAuthority, type ProvisionedDevice } from '../helpers/provision.js'
import { dak, killAll, TEST_PASSPHRASE, writeLanConfig } from './dak-process.js'

/**
 * The storage key's passphrase (docs/node.md, "Passphrase"). The devices
 * here are provisioned by a test authority into a plain store, as a device
 * from before encryption at rest: the first `dak` command makes the key file
 * and seals the store (the upgrade path `dak init` shares).
 */

const devices: ProvisionedDevice[] = []
afterEach(async () => {
  await killAll()
  await Promise.all(devices.splice(0).map(async d => { await d.cleanup() }))
})

async function device (handle = 'asha'): Promise<ProvisionedDevice> {
  const provisioned = await provisionDevice(testAuthority(), handle)
  devices.push(provisioned)
  await writeLanConfig(provisioned.dir)
  return provisioned
}

/** Every file's bytes and mtime, to tell "nothing changed" from "something did". */
async function fingerprint (dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {}
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue
    const path = join(entry.parentPath, entry.name)
    out[path] = `${createHash('sha256').update(await readFile(path)).digest('hex')} ${(await stat(path)).mtimeMs}`
  }
  return out
}

describe('the storage key passphrase', () => {
  it('a wrong passphrase exits 8 with WrongPassphraseError and changes nothing; the right one opens', async () => {
    const { dir } = await device()
    const first = await dak(dir, ['whoami', '--json'])
    expect(first.code, first.stdout + first.stderr).toBe(EXIT.ok)
    const keyFile = JSON.parse(await readFile(join(dir, 'keyfile.json'), 'utf8')) as Record<string, any>
    expect(keyFile).toMatchObject({ version: 1, protection: 'passphrase', kdf: { name: 'argon2id', t: 1, m: 256, p: 1 }, cipher: 'xchacha20poly1305' })
    expect((await stat(join(dir, 'keyfile.json'))).mode & 0o777).toBe(0o600)

    const before = await fingerprint(dir)
    const wrong = await dak(dir, ['whoami', '--json'], { env: { DAK_PASSPHRASE: 'not the passphrase' } })
    expect(wrong.code, wrong.stdout + wrong.stderr).toBe(EXIT.wrongPassphrase)
    expect(wrong.lines[0]?.error).toMatchObject({ name: 'WrongPassphraseError' })
    expect(await fingerprint(dir)).toEqual(before)

    const none = await dak(dir, ['whoami', '--json'], { env: { DAK_PASSPHRASE: '' } })
    expect(none.code, none.stdout + none.stderr).toBe(EXIT.wrongPassphrase)
    expect(none.lines[0]?.error).toMatchObject({ name: 'PassphraseRequiredError' })

    const file = join(dir, '..', `passphrase-${Math.random().toString(16).slice(2)}`)
    await writeFile(file, TEST_PASSPHRASE + '\n', { mode: 0o600 })
    const fromFile = await dak(dir, ['whoami', '--json', '--passphrase-file', file], { env: { DAK_PASSPHRASE: '' } })
    expect(fromFile.code, fromFile.stdout + fromFile.stderr).toBe(EXIT.ok)
    expect(fromFile.lines[0]).toMatchObject({ handle: 'asha' })
  }, 120_000)

  it('a copied store opens with neither no key nor a guessed one', async () => {
    const { dir } = await device()
    expect((await dak(dir, ['whoami', '--json'])).code).toBe(EXIT.ok)
    const copy = `${dir}-copy`
    await cp(join(dir, 'db'), copy, { recursive: true })
    devices.push({ handle: 'copy', dir: copy, db: () => { throw new Error('unused') }, cleanup: async () => { await rm(copy, { recursive: true, force: true }) } })
    await expect(openDeviceStore(new ClassicLevel<string, Uint8Array>(copy, { valueEncoding: 'view' }))).rejects.toThrow(StoreLockedError)
    await expect(openDeviceStore(new ClassicLevel<string, Uint8Array>(copy, { valueEncoding: 'view' }), { storageKey: randomBytes(32) })).rejects.toThrow(WrongStorageKeyError)
  }, 120_000)

  it('--no-passphrase keeps the key unprotected, says so, and needs no passphrase afterwards', async () => {
    const { dir } = await device()
    const made = await dak(dir, ['whoami', '--json', '--no-passphrase'], { env: { DAK_PASSPHRASE: '' } })
    expect(made.code, made.stdout + made.stderr).toBe(EXIT.ok)
    expect(made.stderr).toContain('--no-passphrase')
    const keyFile = JSON.parse(await readFile(join(dir, 'keyfile.json'), 'utf8')) as Record<string, any>
    expect(keyFile).toMatchObject({ version: 1, protection: 'none' })
    expect(keyFile.warning).toMatch(/^UNPROTECTED/)
    const again = await dak(dir, ['whoami', '--json'], { env: { DAK_PASSPHRASE: '' } })
    expect(again.code, again.stdout + again.stderr).toBe(EXIT.ok)
  }, 120_000)

  it('never takes an empty or short passphrase for a new key file: usage errors, no key file made (what a department\'s PIN policy relies on, docs/node.md)', async () => {
    const { dir } = await device()
    await writeFile(join(dir, 'empty-passphrase'), '\n')
    const empty = await dak(dir, ['whoami', '--json', '--passphrase-file', join(dir, 'empty-passphrase')])
    expect(empty.code, empty.stdout + empty.stderr).toBe(EXIT.usage)
    expect(empty.lines[0]?.error).toMatchObject({ name: 'UsageError' })
    const short = await dak(dir, ['whoami', '--json'], { env: { DAK_PASSPHRASE: 'seven77' } })
    expect(short.code, short.stdout + short.stderr).toBe(EXIT.usage)
    expect(short.stderr + short.stdout).toContain('at least 8 characters')
    await expect(stat(join(dir, 'keyfile.json'))).rejects.toThrow(/ENOENT/)
  }, 120_000)
})
