import { decodeCertificate, type Certificate } from '@dak/protocol'
import { readFile, rename, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { DepartmentConfig } from '../config/config.js'
import type { DepartmentKeys } from '../identity/node-keys.js'
import { NODE_CERTIFICATE_FILE } from '../identity/node-keys.js'
import { signNodeCertificate } from '../authority/sign.js'
import { AuthorityOfflineError } from '../enrolment/errors.js'

/**
 * The node's own certificate, issued by its own authority for its node key
 * under the reserved handle, so that devices' certificate gates let it in
 * and isDepartmentNode() recognises it. With the authority key on the node
 * it is made fresh at every start (and renewed while running), never stored.
 * With the authority offline it is <dataDir>/node.cert, signed at
 * `authority export-key` and renewed by the signing ceremony.
 */
export function issueNodeCertificate (config: DepartmentConfig, keys: DepartmentKeys, now: number): Certificate {
  if (keys.authority == null) throw new AuthorityOfflineError('this node holds no authority key: its certificate comes from the signing ceremony (dak-node authority sign/import)')
  return signNodeCertificate(keys.authority, config.department, config.departmentName, keys.node.publicKey, config.certificateValidityDays, now)
}

/** The node's certificate: issued here when the authority key is, read from node.cert when it is offline. */
export async function nodeCertificate (config: DepartmentConfig, keys: DepartmentKeys, now: number): Promise<Certificate> {
  if (keys.authority != null) return issueNodeCertificate(config, keys, now)
  let bytes: Uint8Array
  try {
    bytes = new Uint8Array(await readFile(join(config.dataDir, NODE_CERTIFICATE_FILE)))
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err
    throw new AuthorityOfflineError(`the authority is offline and ${join(config.dataDir, NODE_CERTIFICATE_FILE)} is missing: sign one with dak-node authority sign, then dak-node authority import`)
  }
  const { certificate } = decodeCertificate(bytes)
  if (certificate.notAfter <= now) throw new AuthorityOfflineError(`the node's certificate expired at ${new Date(certificate.notAfter).toISOString()}: renew it by the signing ceremony (dak-node authority requests/sign/import)`)
  return certificate
}

export async function writeNodeCertificate (dataDir: string, certificate: Certificate): Promise<void> {
  const path = join(dataDir, NODE_CERTIFICATE_FILE)
  await writeFile(`${path}.tmp`, certificate.bytes, { mode: 0o644 })
  await rename(`${path}.tmp`, path)
}

/** Renew once less than half the validity is left: long before any device could refuse it. */
export function needsRenewal (certificate: Certificate, now: number): boolean {
  return certificate.notAfter - now < (certificate.notAfter - certificate.notBefore) / 2
}
