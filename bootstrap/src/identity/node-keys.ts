import { chmod, mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises'
import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
import { DakError, signingKeyPairFromSeed, type SigningKeyPair } from '@dak/protocol'

/**
 * The department's two long-lived keys, each a 32-byte Ed25519 seed in its own
 * file (mode 0600) in the data directory:
 * - authority.key signs device certificates and revocation lists: the root of
 *   the department's trust. Back it up offline; losing it means re-enrolling.
 * - node.key is the node's libp2p identity (its peer id).
 * They are separate so the node's network identity can be rotated without
 * re-issuing every officer's certificate.
 *
 * With the authority offline (`dak-node authority export-key`, see
 * bootstrap/src/authority/), the data directory holds only the authority's
 * public key in authority.pub and the node's own certificate in node.cert;
 * `authority` is then null and every signature comes from the ceremony.
 */
export interface DepartmentKeys {
  /** null when the authority is offline: this process can sign nothing as the authority. */
  authority: SigningKeyPair | null
  authorityPublicKey: Uint8Array
  node: SigningKeyPair
}

/** Both authority.key and authority.pub in one data directory: which one is meant is not this node's guess. */
export class AuthorityKeyConflictError extends DakError { override name = 'AuthorityKeyConflictError' }

export const AUTHORITY_KEY_FILE = 'authority.key'
export const AUTHORITY_PUBLIC_FILE = 'authority.pub'
export const NODE_CERTIFICATE_FILE = 'node.cert'

async function readIfPresent (path: string): Promise<Uint8Array | undefined> {
  try {
    return new Uint8Array(await readFile(path))
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw err
  }
}

async function loadOrCreateSeed (path: string): Promise<Uint8Array> {
  const existing = await readIfPresent(path)
  if (existing != null) {
    if (existing.length !== 32) throw new Error(`${path} is not a 32-byte key file`)
    // a key file others can read (copied in, restored from a backup) is made the owner's alone again
    if (((await stat(path)).mode & 0o077) !== 0) await chmod(path, 0o600)
    return existing
  }
  const seed = new Uint8Array(randomBytes(32))
  // Write then rename, so a crash never leaves a half-written key behind.
  await writeFile(`${path}.tmp`, seed, { mode: 0o600 })
  await rename(`${path}.tmp`, path)
  return seed
}

/** The authority's public key when it is offline (authority.pub present), else undefined. */
export async function offlineAuthorityKey (dataDir: string): Promise<Uint8Array | undefined> {
  const pub = await readIfPresent(join(dataDir, AUTHORITY_PUBLIC_FILE))
  if (pub == null) return undefined
  if (pub.length !== 32) throw new Error(`${join(dataDir, AUTHORITY_PUBLIC_FILE)} is not a 32-byte public key file`)
  if (await readIfPresent(join(dataDir, AUTHORITY_KEY_FILE)) != null) {
    throw new AuthorityKeyConflictError(`${dataDir} holds both ${AUTHORITY_KEY_FILE} and ${AUTHORITY_PUBLIC_FILE}: remove the private key (the authority is offline) or the public one (it is not)`)
  }
  return pub
}

export async function loadDepartmentKeys (dataDir: string): Promise<DepartmentKeys> {
  await mkdir(dataDir, { recursive: true, mode: 0o700 })
  const node = signingKeyPairFromSeed(await loadOrCreateSeed(join(dataDir, 'node.key')))
  const offline = await offlineAuthorityKey(dataDir)
  if (offline != null) return { authority: null, authorityPublicKey: offline, node }
  const authority = signingKeyPairFromSeed(await loadOrCreateSeed(join(dataDir, AUTHORITY_KEY_FILE)))
  return { authority, authorityPublicKey: authority.publicKey, node }
}
