import { existsSync } from 'node:fs'
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { networkInterfaces } from 'node:os'
import { join } from 'node:path'
import { createDepartmentCa, describeCertificate, fingerprint, issueServerCertificate, RENEW_BEFORE_DAYS, type PemPair } from './certificates.js'
import { TlsAlreadyInitialisedError, TlsConfigError } from './errors.js'

/**
 * The department CA and the node's server certificate as files in
 * <dataDir>/tls, and the rule for what the node serves with: the configured
 * files, else the department's own, else (on a loopback address only) plain
 * HTTP. A node on any other address makes its department CA on first start.
 */

export interface TlsPaths {
  caCert: string
  caKey: string
  cert: string
  key: string
}

export function departmentTlsPaths (dataDir: string): TlsPaths {
  const dir = join(dataDir, 'tls')
  return { caCert: join(dir, 'ca.pem'), caKey: join(dir, 'ca.key'), cert: join(dir, 'server.pem'), key: join(dir, 'server.key') }
}

const DAY_MS = 86_400_000

export function isLoopback (host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host)
}

const isWildcard = (host: string): boolean => host === '0.0.0.0' || host === '::'

/**
 * Names officers may use for the node: its public host, the bound address,
 * every address of the machine when bound to all of them, and localhost for
 * department IT at the node itself.
 */
export function nodeNames (config: { host: string, publicHost: string }, extra: string[] = []): string[] {
  const names = [config.publicHost, ...extra]
  if (isWildcard(config.host)) {
    for (const list of Object.values(networkInterfaces())) {
      for (const a of list ?? []) if (!a.internal && !a.address.startsWith('fe80:')) names.push(a.address)
    }
  } else {
    names.push(config.host)
  }
  names.push('localhost', '127.0.0.1')
  return [...new Set(names.filter(n => n.length > 0 && !isWildcard(n)))]
}

/** Write then rename: a reader never sees half a file; keys are 0600. */
async function writeAtomic (path: string, text: string, mode: number): Promise<void> {
  const temporary = `${path}.tmp`
  await writeFile(temporary, text, { mode })
  await rename(temporary, path)
}

async function writeServer (paths: TlsPaths, pair: PemPair): Promise<void> {
  // key first: a watcher that reads the pair between the two renames sees a mismatch and waits for the next check
  await writeAtomic(paths.key, pair.key, 0o600)
  await writeAtomic(paths.cert, pair.cert, 0o644)
}

export interface TlsInitResult {
  paths: TlsPaths
  /** SHA-256 of the CA certificate, AA:BB:… */
  fingerprint: string
  names: string[]
}

/** `dak-node tls init`: a new department CA and a server certificate for `names`. Refuses to replace an existing CA. */
export async function initDepartmentTls (dataDir: string, departmentName: string, names: string[], now = Date.now()): Promise<TlsInitResult> {
  const paths = departmentTlsPaths(dataDir)
  if (existsSync(paths.caCert) || existsSync(paths.caKey)) {
    throw new TlsAlreadyInitialisedError(`${paths.caCert} exists: the department CA is made once (officers' machines trust it); renew the server certificate with \`dak-node tls renew\``)
  }
  await mkdir(join(dataDir, 'tls'), { recursive: true, mode: 0o700 })
  const ca = await createDepartmentCa(departmentName, names, now)
  await writeAtomic(paths.caKey, ca.key, 0o600)
  await writeAtomic(paths.caCert, ca.cert, 0o644)
  await writeServer(paths, await issueServerCertificate(ca, names, now))
  return { paths, fingerprint: fingerprint(ca.cert), names }
}

/** True when the node's certificate in `paths` was made by its department CA (which the node can then renew). */
export function isDepartmentManaged (paths: TlsPaths, certPath: string): boolean {
  return certPath === paths.cert && existsSync(paths.caKey)
}

/**
 * Issue a new server certificate (same names) when the one in force has under
 * RENEW_BEFORE_DAYS left, or always with `force`. True when it did.
 */
export async function renewServerCertificate (dataDir: string, now = Date.now(), force = false): Promise<boolean> {
  const paths = departmentTlsPaths(dataDir)
  if (!existsSync(paths.cert)) throw new TlsConfigError(`${paths.cert} does not exist: make the department CA and certificate with \`dak-node tls init\``)
  const current = describeCertificate(await readFile(paths.cert, 'utf8'), paths.cert)
  if (!force && current.validTo - now > RENEW_BEFORE_DAYS * DAY_MS) return false
  let ca: PemPair
  try {
    ca = { cert: await readFile(paths.caCert, 'utf8'), key: await readFile(paths.caKey, 'utf8') }
  } catch (err) {
    throw new TlsConfigError(`cannot renew ${paths.cert}: the department CA is not readable (${(err as Error).message})`)
  }
  await writeServer(paths, await issueServerCertificate(ca, current.names, now))
  return true
}

export interface TlsChoice {
  cert: string
  key: string
  /** The node renews it itself (its department CA is in the data directory). */
  managed: boolean
  /** Set when this start made the department CA: print its fingerprint. */
  created?: TlsInitResult
}

/** What the node serves with (see the file comment); undefined means plain HTTP on loopback. */
export async function chooseTls (config: { dataDir: string, departmentName: string, host: string, publicHost: string, tlsCert?: string, tlsKey?: string }, now = Date.now()): Promise<TlsChoice | undefined> {
  const paths = departmentTlsPaths(config.dataDir)
  if (config.tlsCert != null && config.tlsKey != null) return { cert: config.tlsCert, key: config.tlsKey, managed: isDepartmentManaged(paths, config.tlsCert) }
  if (existsSync(paths.cert)) return { cert: paths.cert, key: paths.key, managed: existsSync(paths.caKey) }
  if (isLoopback(config.host)) return undefined
  const created = await initDepartmentTls(config.dataDir, config.departmentName, nodeNames(config), now)
  return { cert: paths.cert, key: paths.key, managed: true, created }
}

/** Whether a node started with `config` serves HTTPS (chooseTls without making anything): for invites made offline. */
export function servesHttps (config: { dataDir: string, host: string, tlsCert?: string }): boolean {
  return config.tlsCert != null || existsSync(departmentTlsPaths(config.dataDir).cert) || !isLoopback(config.host)
}
