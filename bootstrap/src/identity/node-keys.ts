import { chmod, mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises'
import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
import { signingKeyPairFromSeed, type SigningKeyPair } from '@dak/protocol'

/**
 * The department's two long-lived keys, each a 32-byte Ed25519 seed in its own
 * file (mode 0600) in the data directory:
 * - authority.key signs device certificates and revocation lists: the root of
 *   the department's trust. Back it up offline; losing it means re-enrolling.
 * - node.key is the node's libp2p identity (its peer id).
 * They are separate so the node's network identity can be rotated without
 * re-issuing every officer's certificate.
 */
export interface DepartmentKeys {
  authority: SigningKeyPair
  node: SigningKeyPair
}

async function loadOrCreateSeed (path: string): Promise<Uint8Array> {
  try {
    const seed = new Uint8Array(await readFile(path))
    if (seed.length !== 32) throw new Error(`${path} is not a 32-byte key file`)
    // a key file others can read (copied in, restored from a backup) is made the owner's alone again
    if (((await stat(path)).mode & 0o077) !== 0) await chmod(path, 0o600)
    return seed
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err
  }
  const seed = new Uint8Array(randomBytes(32))
  // Write then rename, so a crash never leaves a half-written key behind.
  await writeFile(`${path}.tmp`, seed, { mode: 0o600 })
  await rename(`${path}.tmp`, path)
  return seed
}

export async function loadDepartmentKeys (dataDir: string): Promise<DepartmentKeys> {
  await mkdir(dataDir, { recursive: true, mode: 0o700 })
  return {
    authority: signingKeyPairFromSeed(await loadOrCreateSeed(join(dataDir, 'authority.key'))),
    node: signingKeyPairFromSeed(await loadOrCreateSeed(join(dataDir, 'node.key')))
  }
}
