import { readFile, stat } from 'node:fs/promises'
import { checkPair, type PemPair } from './certificates.js'
import { TlsConfigError } from './errors.js'

/**
 * The certificate and key the node serves, read from their files and read
 * again when either file changes (a renewal by the node, certbot, or IT
 * copying new files in), so a new certificate needs no restart. A changed
 * pair is taken only once the key matches the certificate: two files are
 * never replaced at the same instant.
 */
export class ServedCertificate {
  private stamp: string
  private readonly listeners: Array<(pem: PemPair) => void> = []

  private constructor (readonly certPath: string, readonly keyPath: string, public current: PemPair, stamp: string) {
    this.stamp = stamp
  }

  static async load (certPath: string, keyPath: string): Promise<ServedCertificate> {
    const stamp = await stampOf(certPath, keyPath)
    return new ServedCertificate(certPath, keyPath, await readPair(certPath, keyPath), stamp)
  }

  onChange (listener: (pem: PemPair) => void): void {
    this.listeners.push(listener)
  }

  /** Re-read the files if they changed; true when a new pair is now served. A bad new pair throws and the old one stays. */
  async check (): Promise<boolean> {
    const stamp = await stampOf(this.certPath, this.keyPath)
    if (stamp === this.stamp) return false
    const pair = await readPair(this.certPath, this.keyPath)
    this.stamp = stamp
    if (pair.cert === this.current.cert && pair.key === this.current.key) return false
    this.current = pair
    for (const listener of this.listeners) listener(pair)
    return true
  }
}

async function stampOf (certPath: string, keyPath: string): Promise<string> {
  try {
    const [cert, key] = await Promise.all([stat(certPath), stat(keyPath)])
    return `${cert.mtimeMs}/${cert.size}/${cert.ino}:${key.mtimeMs}/${key.size}/${key.ino}`
  } catch (err) {
    throw new TlsConfigError(`TLS files: ${(err as Error).message}`)
  }
}

async function readPair (certPath: string, keyPath: string): Promise<PemPair> {
  let pair: PemPair
  try {
    pair = { cert: await readFile(certPath, 'utf8'), key: await readFile(keyPath, 'utf8') }
  } catch (err) {
    throw new TlsConfigError(`TLS files: ${(err as Error).message}`)
  }
  checkPair(pair, `${certPath} with ${keyPath}`)
  return pair
}
