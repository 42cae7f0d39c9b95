import { open, readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { DakError, signingKeyPairFromSeed, toHex } from '@dak/protocol'
import type { DepartmentConfig } from '../config/config.js'
import { AUTHORITY_KEY_FILE, AUTHORITY_PUBLIC_FILE, loadDepartmentKeys, offlineAuthorityKey } from '../identity/node-keys.js'
import { writeNodeCertificate } from '../node/node-certificate.js'
import { signNodeCertificate } from './sign.js'

/** `authority export-key` on a data directory whose authority is offline already. */
export class AuthorityAlreadyOfflineError extends DakError { override name = 'AuthorityAlreadyOfflineError' }
/** The file the key would go to exists: it is never overwritten (it may be the only copy of another key). */
export class KeyFileExistsError extends DakError { override name = 'KeyFileExistsError' }

export interface ExportedAuthority {
  keyFile: string
  authorityPublicKey: string
  nodeCertificateExpires: number
}

/**
 * Take the authority key off this node: sign the node's own certificate one
 * last time (valid `certificateValidityDays`), write the seed to `keyFile`
 * (0600, refused if the file exists), write authority.pub, then overwrite and
 * delete authority.key. Run with the node stopped. From then on the node
 * signs nothing; docs/department-node.md, "Offline authority".
 */
export async function exportAuthorityKey (config: DepartmentConfig, keyFile: string, now: number): Promise<ExportedAuthority> {
  if (await offlineAuthorityKey(config.dataDir) != null) throw new AuthorityAlreadyOfflineError(`the authority of ${config.dataDir} is offline already`)
  const keys = await loadDepartmentKeys(config.dataDir)
  if (keys.authority == null) throw new AuthorityAlreadyOfflineError(`the authority of ${config.dataDir} is offline already`)
  const node = signNodeCertificate(keys.authority, config.department, config.departmentName, keys.node.publicKey, config.certificateValidityDays, now)
  const keyPath = join(config.dataDir, AUTHORITY_KEY_FILE)
  const seed = new Uint8Array(await readFile(keyPath))
  try {
    await writeFile(keyFile, seed, { mode: 0o600, flag: 'wx', flush: true })
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw new KeyFileExistsError(`${keyFile} exists: choose a new file (an existing key file is never overwritten)`)
    throw err
  }
  // the copy must be the key, byte for byte, before the original goes
  const copy = signingKeyPairFromSeed(new Uint8Array(await readFile(keyFile)))
  if (toHex(copy.publicKey) !== toHex(keys.authority.publicKey)) throw new Error(`${keyFile} does not read back as the authority key; authority.key is kept`)
  await writeNodeCertificate(config.dataDir, node)
  await writeFile(join(config.dataDir, AUTHORITY_PUBLIC_FILE), keys.authority.publicKey, { mode: 0o644, flush: true })
  // overwrite before unlinking, so the seed's blocks do not linger as a free file's (on a journalling or SSD file system
  // this is a best effort: the ceremony in the docs says to set the node up on the machine that keeps the key, or encrypt its disk)
  const handle = await open(keyPath, 'r+')
  try {
    await handle.write(new Uint8Array(seed.length), 0, seed.length, 0)
    await handle.sync()
  } finally {
    await handle.close()
  }
  await rm(keyPath)
  seed.fill(0)
  return { keyFile, authorityPublicKey: toHex(keys.authority.publicKey), nodeCertificateExpires: node.notAfter }
}
