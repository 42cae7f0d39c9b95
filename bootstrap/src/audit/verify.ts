import { toHex } from '@dak/protocol'
import { numberKey } from '../store/level.js'
import { entryHash, GENESIS_HASH, verifyAuditHead } from './chain.js'
import { AUDIT_ACTIONS, type AuditEntry, type AuditHead } from './entry.js'
import { AuditLogTamperedError } from './errors.js'

export interface AuditVerification {
  /** Entries checked (the head's size). */
  size: number
  /** Hex hash of the last entry: note it with the size to catch a rewrite later (`--expect size:hash`). */
  hash: string
}

/**
 * Walk the stored rows (key, JSON text) in key order and check, for each in
 * turn, that it sits at its own index, names the previous entry's hash and is
 * a well-formed entry; then that the signed head covers exactly these entries.
 * The first failure names the entry:
 * - edited: the next entry's `prev` (or the head's hash, for the last) no longer matches;
 * - deleted: an index is missing (or, at the end, the head counts more);
 * - inserted or moved: an index or a `prev` does not match its place.
 */
export function verifyAuditRecords (rows: Array<[string, string]>, head: AuditHead | undefined, nodeKey: Uint8Array, expect?: { size: number, hash: string }): AuditVerification {
  if (head == null) {
    if (rows.length > 0) throw new AuditLogTamperedError('the audit log has entries but no signed head', 0)
    if (expect != null && expect.size > 0) throw new AuditLogTamperedError(`the audit log is empty, but it had ${expect.size} entries`, 0)
    return { size: 0, hash: toHex(GENESIS_HASH) }
  }
  checkHeadShape(head)
  try {
    verifyAuditHead(head, nodeKey)
  } catch (err) {
    throw new AuditLogTamperedError(`the audit log's head is not signed by this node's key: ${(err as Error).message}`)
  }
  const entries: AuditEntry[] = []
  const hashes: string[] = []
  for (const [i, [key, text]] of rows.entries()) {
    if (key !== numberKey(i)) {
      const at = /^\d{16}$/.test(key) ? Number(key) : i
      throw new AuditLogTamperedError(at > i ? `audit entry ${i} is missing` : `audit log holds a record under "${key}" where entry ${i} belongs`, i)
    }
    const entry = parseEntry(text, i)
    if (entry.index !== i) throw new AuditLogTamperedError(`audit entry ${i} says it is entry ${entry.index}: entries were moved`, i)
    entries.push(entry)
    hashes.push(toHex(entryHash(text)))
  }
  // what the entry after i (or the head, after the last) says entry i hashes to
  const namedAfter = (i: number): string => i + 1 < entries.length ? (entries[i + 1] as AuditEntry).prev : i + 1 === head.size ? head.hash : ''
  for (const [i, entry] of entries.entries()) {
    const expected = i === 0 ? toHex(GENESIS_HASH) : hashes[i - 1] as string
    if (entry.prev === expected) continue
    // Entry i does not chain to entry i - 1. Either i - 1 was changed (then i itself still matches what
    // follows it) or i was (its own text, prev included, no longer matches what follows it).
    const culprit = i > 0 && namedAfter(i) === hashes[i] ? i - 1 : i
    throw new AuditLogTamperedError(`audit entry ${culprit} was changed (entry ${i} does not chain to entry ${i - 1})`, culprit)
  }
  const prev = hashes[hashes.length - 1] ?? toHex(GENESIS_HASH)
  if (rows.length < head.size) throw new AuditLogTamperedError(`audit entries from ${rows.length} on are missing: the signed head counts ${head.size}`, rows.length)
  if (rows.length > head.size) throw new AuditLogTamperedError(`audit entry ${head.size} was added outside the log: the signed head counts ${head.size}`, head.size)
  if (head.hash !== prev) throw new AuditLogTamperedError(`audit entry ${head.size - 1} was changed: it is not the entry the signed head names`, head.size - 1)
  if (expect != null) {
    if (expect.size > head.size) throw new AuditLogTamperedError(`the audit log has ${head.size} entries, fewer than the ${expect.size} noted earlier: it was cut short and signed again`, head.size)
    if (expect.size > 0 && hashes[expect.size - 1] !== expect.hash.toLowerCase()) throw new AuditLogTamperedError(`audit entry ${expect.size - 1} is not the one noted earlier: the log was rewritten and signed again`, expect.size - 1)
  }
  return { size: head.size, hash: prev }
}

function parseEntry (text: string, i: number): AuditEntry {
  let entry: unknown
  try {
    entry = JSON.parse(text)
  } catch {
    throw new AuditLogTamperedError(`audit entry ${i} is not JSON`, i)
  }
  const e = entry as Partial<AuditEntry> | null
  const ok = e != null && typeof e === 'object' && typeof e.index === 'number' && typeof e.at === 'number' && typeof e.prev === 'string' &&
    typeof e.action === 'string' && (AUDIT_ACTIONS as readonly string[]).includes(e.action) && typeof e.details === 'object' && e.details != null
  if (!ok) throw new AuditLogTamperedError(`audit entry ${i} is not a well-formed entry`, i)
  return e as AuditEntry
}

function checkHeadShape (head: AuditHead): void {
  const ok = Number.isSafeInteger(head.size) && head.size > 0 && Number.isSafeInteger(head.at) && head.at >= 0 &&
    typeof head.hash === 'string' && /^[0-9a-f]{64}$/.test(head.hash) && typeof head.signature === 'string' && /^[0-9a-f]{128}$/.test(head.signature)
  if (!ok) throw new AuditLogTamperedError('the audit log\'s head is damaged')
}
