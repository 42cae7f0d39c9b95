import { InvalidArgumentError } from '@dak/protocol'
import type { AuditLog } from './audit-log.js'
import type { AuditEntry, AuditHead } from './entry.js'
import type { AuditVerification } from './verify.js'

/** What `dak-node audit list|verify` asks of a node, running (admin API) or stopped (offline admin). */
export interface AuditActions {
  list: () => Promise<{ entries: AuditEntry[], head: AuditHead | null }>
  verify: (expect?: { size: number, hash: string }) => Promise<AuditVerification>
}

export function auditActions (log: AuditLog): AuditActions {
  return {
    list: async () => ({ entries: await log.list(), head: (await log.head()) ?? null }),
    verify: async (expect) => await log.verify(expect)
  }
}

/** `--expect SIZE:HASH` (a head noted from an earlier `audit list`), or the same as a JSON body's `expect`. */
export function parseExpectedHead (value: unknown): { size: number, hash: string } | undefined {
  if (value == null) return undefined
  const match = typeof value === 'string' ? /^(\d+):([0-9a-fA-F]{64})$/.exec(value) : null
  if (match == null) throw new InvalidArgumentError('--expect is SIZE:HASH, as `dak-node audit list` prints the head')
  return { size: Number(match[1]), hash: (match[2] as string).toLowerCase() }
}
