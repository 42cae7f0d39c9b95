import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'

/**
 * A HOME whose NSS database trusts a CA: what Chromium on Linux reads
 * ($HOME/.pki/nssdb), the same step docs/department-node.md gives officers.
 * certutil comes from Debian's libnss3-tools, installed by test/setup/system-deps.sh.
 */

const run = promisify(execFile)
const CERTUTIL = '/usr/bin/certutil'

/** npm test's set-up (test/setup/system-deps.sh) installs it; a run that skipped the set-up says so. */
function ensureCertutil (): void {
  if (!existsSync(CERTUTIL)) throw new Error('certutil is missing: run the tests with `npm test` (test/setup/system-deps.sh installs libnss3-tools)')
}

export async function homeTrusting (home: string, caPath: string, nickname: string): Promise<void> {
  ensureCertutil()
  const db = `sql:${join(home, '.pki', 'nssdb')}`
  await mkdir(join(home, '.pki', 'nssdb'), { recursive: true })
  await run(CERTUTIL, ['-N', '-d', db, '--empty-password'], { timeout: 30_000 })
  await run(CERTUTIL, ['-A', '-d', db, '-n', nickname, '-t', 'C,,', '-i', caPath], { timeout: 30_000 })
}
