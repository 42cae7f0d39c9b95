import { readdir, readFile, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { toBase64Url, toHex, utf8 } from '@dak/protocol'
import { ClassicLevel } from 'classic-level'
import { afterEach, describe, expect, it } from 'vitest'
import { EXIT } from '../../node/src/cli/exit-codes.js'
import { openDeviceStore } from '../../node/src/storage/index.js'
import { dak, killAll, TEST_PASSPHRASE } from '../cli/dak-process.js'
import { DepartmentFixture } from '../cli/department-node.js'

/**
 * THREATS.md, "Thief with a copied disk": someone copies a device's data
 * directory (a seized laptop, a backup, another user on the same machine)
 * and searches every byte of it. After two officers exchange canary
 * messages, in ASCII and in Urdu, through a real department node, no file of
 * either device and none of the node's holds a canary, and no device file
 * holds the device's Ed25519 seed or MLS signature private key (raw, hex or
 * base64url). Every device directory is 0700 and every file in it 0600.
 */

const CANARIES = ['CANARY-7f3a', 'خفیہ-کینری']

const fixture = new DepartmentFixture()
afterEach(async () => {
  await killAll()
  await fixture.cleanup()
})

interface ScannedFile { path: string, mode: number, directory: boolean, bytes?: Buffer }

async function scan (dir: string): Promise<ScannedFile[]> {
  const found: ScannedFile[] = [{ path: dir, mode: (await stat(dir)).mode & 0o777, directory: true }]
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    const path = join(entry.parentPath, entry.name)
    const mode = (await stat(path)).mode & 0o777
    if (entry.isDirectory()) found.push({ path, mode, directory: true })
    else if (entry.isFile()) found.push({ path, mode, directory: false, bytes: await readFile(path) })
  }
  return found
}

/** Every form a secret could take in a file: raw bytes, and the text encodings the store uses. */
function forms (name: string, secret: Uint8Array): Array<{ name: string, bytes: Buffer }> {
  return [
    { name: `${name} (raw)`, bytes: Buffer.from(secret) },
    { name: `${name} (hex)`, bytes: Buffer.from(toHex(secret)) },
    { name: `${name} (base64url)`, bytes: Buffer.from(toBase64Url(secret)) }
  ]
}

/** Where each needle occurs: "file: needle". Empty when the disk gives nothing away. */
function hits (files: ScannedFile[], needles: Array<{ name: string, bytes: Buffer }>): string[] {
  const out: string[] = []
  for (const file of files) {
    for (const needle of needles) if (file.bytes?.includes(needle.bytes) === true) out.push(`${file.path}: ${needle.name}`)
  }
  return out
}

/** The device's secrets, read the way dak does: the key file unlocked with the test passphrase. */
async function secretsOf (dir: string): Promise<{ seed: Uint8Array, mlsPrivate: Uint8Array }> {
  let storageKey: Uint8Array | undefined
  const keyFile = await readFile(join(dir, 'keyfile.json'), 'utf8').catch(() => undefined)
  if (keyFile !== undefined) {
    const { readKeyFile, unwrapStorageKey } = await import('../../node/src/cli/keyfile.js')
    const file = await readKeyFile(dir)
    if (file === undefined) throw new Error('the key file went away')
    storageKey = await unwrapStorageKey(file, TEST_PASSPHRASE)
  }
  const store = await openDeviceStore(new ClassicLevel<string, Uint8Array>(join(dir, 'db'), { valueEncoding: 'view' }), storageKey !== undefined ? { storageKey } : {})
  try {
    const identity = await store.identity.get()
    if (identity.deviceSeed === undefined || identity.mlsSignatureKey === undefined) throw new Error(`${dir} holds no identity`)
    return { seed: identity.deviceSeed, mlsPrivate: identity.mlsSignatureKey.privateKey }
  } finally {
    await store.close()
  }
}

describe('a thief with a copied disk', () => {
  it('finds no canary, no device secret and no file others can read', async () => {
    await fixture.start()
    const asha = await fixture.officer('asha', 'Asha Rao')
    const bala = await fixture.officer('bala', 'Bala Iyer')
    const chat = await dak(asha, ['chat', 'new', '--with', 'bala', '--json'])
    expect(chat.code, chat.stdout + chat.stderr).toBe(EXIT.ok)
    const sent = await dak(asha, ['send', 'Bala', CANARIES[0] as string, '--json'])
    expect(sent.code, sent.stdout + sent.stderr).toBe(EXIT.ok)
    const reply = await dak(bala, ['send', 'Asha', CANARIES[1] as string, '--json'])
    expect(reply.code, reply.stdout + reply.stderr).toBe(EXIT.ok)
    // both devices hold both canaries (so a search that finds nothing means something)
    for (const dir of [asha, bala]) {
      const history = await dak(dir, ['history', dir === asha ? 'Bala' : 'Asha', '--json'])
      expect(history.code, history.stdout + history.stderr).toBe(EXIT.ok)
      expect((history.lines[0]?.messages as Array<{ text: string }>).map(m => m.text)).toEqual(expect.arrayContaining(CANARIES))
    }
    const nodeDir = fixture.nodeDataDir
    await fixture.stopNode()

    const canaries = CANARIES.map(text => ({ name: `canary ${text}`, bytes: Buffer.from(utf8(text)) }))
    let files = 0
    let bytes = 0
    for (const dir of [asha, bala]) {
      // scanned before the secrets are read: reading opens the store in this process, which writes files with its own umask
      const scanned = await scan(dir)
      const { seed, mlsPrivate } = await secretsOf(dir)
      files += scanned.filter(f => !f.directory).length
      bytes += scanned.reduce((sum, f) => sum + (f.bytes?.length ?? 0), 0)
      expect(hits(scanned, [...canaries, ...forms('device seed', seed), ...forms('MLS signature private key', mlsPrivate)])).toEqual([])
      expect(scanned.filter(f => f.mode !== (f.directory ? 0o700 : 0o600)).map(f => `${f.path} ${f.mode.toString(8)}`)).toEqual([])
    }
    const nodeFiles = await scan(nodeDir)
    files += nodeFiles.filter(f => !f.directory).length
    bytes += nodeFiles.reduce((sum, f) => sum + (f.bytes?.length ?? 0), 0)
    expect(hits(nodeFiles, canaries)).toEqual([])
    // the figure docs/threats.md quotes
    process.stdout.write(`copied-disk: 0 canary or secret hits in ${files} files, ${bytes} bytes (2 devices and the department node)\n`)
  }, 240_000)
})
