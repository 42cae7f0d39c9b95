import { chmod, readdir, stat } from 'node:fs/promises'
import { join } from 'node:path'
import type { CommandContext } from './command.js'
import { dbPath } from './config.js'
import { argon2ParamsFor, createKeyFile, KEY_FILE, readKeyFile, unwrapStorageKey } from './keyfile.js'
import { readPassphrase } from './passphrase.js'

/**
 * The storage key of the data directory's device, for a command that opens
 * the device itself (a command served by a running dak uses the key that
 * process unlocked when it started). Asked for before the database is
 * opened, so a wrong passphrase leaves everything as it was.
 *
 * A data directory with a database but no key file is a device from before
 * encryption at rest: it gets a key file now (passphrase, or --no-passphrase),
 * and the store migrates to sealed form as it opens (docs/storage.md, "Migration").
 */
export async function deviceStorageKey (ctx: Pick<CommandContext, 'args' | 'env' | 'io' | 'dataDir' | 'out'>, options: { enrolling?: boolean } = {}): Promise<Uint8Array | undefined> {
  const file = await readKeyFile(ctx.dataDir)
  if (file != null) {
    const passphrase = file.protection === 'passphrase' ? await readPassphrase(ctx, 'unlock') : undefined
    return await unwrapStorageKey(file, passphrase)
  }
  // no device here: opening the database says so (NotEnrolledError), with no key file left behind
  if (options.enrolling !== true && !(await exists(dbPath(ctx.dataDir)))) return undefined
  const unprotected = ctx.args.booleans.has('no-passphrase')
  const passphrase = unprotected ? undefined : await readPassphrase(ctx, 'create')
  const key = await createKeyFile(ctx.dataDir, passphrase, argon2ParamsFor(ctx.env))
  // another dak made the key file first: use that one
  if (key == null) return await deviceStorageKey(ctx, options)
  if (unprotected) ctx.out.note('warning: --no-passphrase: this device\'s storage key is kept unprotected in keyfile.json; anyone who can read the data directory can read its messages')
  if (options.enrolling !== true) ctx.out.note(`note: ${ctx.dataDir} holds a device store from before encryption at rest: it is being encrypted now (once)`)
  return key
}

/**
 * Only the owner may read the device's files: 0700 for directories, 0600 for
 * files. New files get it from the process umask (main.ts); this fixes what an
 * older dak made before (DIR/db at 0755 with 0644 files, config, key file). The
 * data directory itself keeps the mode it has — `dak init` makes it 0700, and
 * running mode refuses one others may write to (UnsafeDataDirError) rather
 * than quietly trust it — and DIR/run is running mode's to check. A file that
 * cannot be changed is reported, not fatal.
 */
export async function tightenModes (dir: string, report: (line: string) => void): Promise<void> {
  const fix = async (path: string, mode: number): Promise<void> => {
    try {
      const now = await stat(path)
      if ((now.mode & 0o777) !== mode && now.uid === process.getuid?.()) await chmod(path, mode)
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') report(`warning: could not make ${path} private: ${(err as Error).message}`)
    }
  }
  for (const name of ['config.json', KEY_FILE]) await fix(join(dir, name), 0o600)
  const db = dbPath(dir)
  await fix(db, 0o700)
  for (const entry of await readdir(db, { withFileTypes: true, recursive: true })) {
    const path = join(entry.parentPath, entry.name)
    if (entry.isDirectory()) await fix(path, 0o700)
    else if (entry.isFile()) await fix(path, 0o600)
  }
}

async function exists (path: string): Promise<boolean> {
  try {
    await stat(path)
    return true
  } catch {
    return false
  }
}
