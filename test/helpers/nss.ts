import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'

/**
 * A HOME whose NSS database trusts a CA: what Chromium on Linux reads
 * ($HOME/.pki/nssdb), the same step docs/department-node.md gives officers.
 * certutil comes from Debian's libnss3-tools, installed here when missing.
 */

const run = promisify(execFile)
const CERTUTIL = '/usr/bin/certutil'

async function ensureCertutil (): Promise<void> {
  if (existsSync(CERTUTIL)) return
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }
  try {
    await run('apt-get', ['install', '-y', '-qq', 'libnss3-tools'], { timeout: 180_000, env })
  } catch {
    await run('apt-get', ['update', '-qq'], { timeout: 180_000, env })
    await run('apt-get', ['install', '-y', '-qq', 'libnss3-tools'], { timeout: 180_000, env })
  }
  if (!existsSync(CERTUTIL)) throw new Error('certutil is still missing after installing libnss3-tools')
}

export async function homeTrusting (home: string, caPath: string, nickname: string): Promise<void> {
  await ensureCertutil()
  const db = `sql:${join(home, '.pki', 'nssdb')}`
  await mkdir(join(home, '.pki', 'nssdb'), { recursive: true })
  await run(CERTUTIL, ['-N', '-d', db, '--empty-password'], { timeout: 30_000 })
  await run(CERTUTIL, ['-A', '-d', db, '-n', nickname, '-t', 'C,,', '-i', caPath], { timeout: 30_000 })
}
