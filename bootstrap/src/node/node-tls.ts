import { existsSync, readFileSync } from 'node:fs'
import type { DepartmentConfig } from '../config/config.js'
import { fingerprint } from '../tls/certificates.js'
import { chooseTls, departmentTlsPaths, renewServerCertificate, type TlsInitResult } from '../tls/department-tls.js'
import { ServedCertificate } from '../tls/served-certificate.js'

/**
 * The running node's HTTPS: the certificate it serves (web server and wss),
 * the file check that picks up a replaced certificate without a restart,
 * and, for a certificate of the department's own CA, renewal before expiry.
 */

/** A minute: a renewed certificate is served within it, and a stat() a minute costs nothing. */
export const DEFAULT_TLS_CHECK_INTERVAL_MS = 60_000

export interface NodeTls {
  served: ServedCertificate
  /** The node renews the certificate itself (made by its department CA). */
  managed: boolean
  /** The department CA in the data directory, if there is one: what officers' machines must trust. */
  ca?: { path: string, fingerprint: string }
  /** Set when this start made the department CA. */
  created?: TlsInitResult
  /** Renew a department certificate that is due (the maintenance chore); true when it did. */
  renewIfDue: () => Promise<boolean>
  /** Re-read the files now; true when a new certificate is served. */
  check: () => Promise<boolean>
  stop: () => Promise<void>
}

export async function startNodeTls (config: DepartmentConfig, options: { now: () => number, onError: (err: unknown) => void, checkIntervalMs?: number }): Promise<NodeTls | undefined> {
  const choice = await chooseTls(config, options.now())
  if (choice == null) return undefined
  const paths = departmentTlsPaths(config.dataDir)
  // a node stopped for months starts with an expired certificate: renew before serving it
  if (choice.managed) await renewServerCertificate(config.dataDir, options.now())
  const served = await ServedCertificate.load(choice.cert, choice.key)
  let checking: Promise<boolean> = Promise.resolve(false)
  const check = async (): Promise<boolean> => {
    checking = checking.catch(() => false).then(async () => await served.check())
    return await checking
  }
  const timer = setInterval(() => { check().catch(options.onError) }, options.checkIntervalMs ?? DEFAULT_TLS_CHECK_INTERVAL_MS)
  timer.unref()
  return {
    served,
    managed: choice.managed,
    ...(existsSync(paths.caCert) ? { ca: { path: paths.caCert, fingerprint: fingerprint(readFileSync(paths.caCert, 'utf8')) } } : {}),
    ...(choice.created != null ? { created: choice.created } : {}),
    renewIfDue: async () => {
      if (!choice.managed || !await renewServerCertificate(config.dataDir, options.now())) return false
      return await check()
    },
    check,
    stop: async () => {
      clearInterval(timer)
      await checking.catch(() => false)
    }
  }
}
