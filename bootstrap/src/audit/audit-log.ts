import { fromHex, InvalidArgumentError, toHex, type SigningKeyPair } from '@dak/protocol'
import { KeyedMutex } from '../store/mutex.js'
import { numberKey, writeDurably, type Db, type Table } from '../store/level.js'
import { AUDIT_ACTIONS, type AuditAction, type AuditDetails, type AuditEntry, type AuditHead } from './entry.js'
import { entryHash, GENESIS_HASH, signAuditHead } from './chain.js'
import { verifyAuditRecords, type AuditVerification } from './verify.js'

/**
 * The department node's audit log of admin actions: invites created and
 * redeemed, devices accepted, revocations, wipe orders and their reports, TLS
 * renewals. Append-only and hash-chained: every entry names the hash of the
 * one before it, and the head (size and the last entry's hash) is signed by
 * the node's key, so editing, deleting or reordering an entry on disk is
 * caught by verify() (`dak-node audit verify`), which names the first bad
 * entry. It is not a Merkle log like the certificate log: nobody outside
 * asks for inclusion proofs, the department's own IT reads it top to bottom.
 *
 * Sublevels (docs/department-store.md):
 *   audit        <index, 16 digits>  → the entry, as the JSON text that was hashed
 *   audit-head   head                → { size, hash, at, signature } (hex)
 * Each append writes its entry and the new signed head in one durable batch.
 */
export class AuditLog {
  private readonly entries: Table<string>
  private readonly heads: Table<AuditHead>
  private readonly mutex = new KeyedMutex()
  private size = 0
  private last: Uint8Array = GENESIS_HASH

  private constructor (private readonly db: Db, private readonly key: SigningKeyPair, private readonly now: () => number) {
    this.entries = db.sublevel<string>('audit', { valueEncoding: 'utf8' })
    this.heads = db.sublevel<AuditHead>('audit-head', { valueEncoding: 'json' })
  }

  /**
   * Open the log where its signed head says it ends. The entries are not
   * checked here (verify() does that); an append after a tampered entry
   * still chains to the head's hash, so the tampering stays visible.
   */
  static async open (db: Db, key: SigningKeyPair, now: () => number = Date.now): Promise<AuditLog> {
    const log = new AuditLog(db, key, now)
    const head = await log.heads.get('head')
    if (head != null) {
      log.size = head.size
      log.last = fromHex(head.hash)
    }
    return log
  }

  /** The node key the head is signed with. */
  get logKey (): Uint8Array { return this.key.publicKey }

  /** Record an action; durable (with the new signed head) before it resolves. Returns the entry. */
  async append (action: AuditAction, details: AuditDetails = {}): Promise<AuditEntry> {
    if (!(AUDIT_ACTIONS as readonly string[]).includes(action)) throw new InvalidArgumentError(`unknown audit action "${action}"`)
    return await this.mutex.run(['audit'], async () => {
      const entry: AuditEntry = { index: this.size, at: this.now(), action, details, prev: toHex(this.last) }
      const text = JSON.stringify(entry)
      const hash = entryHash(text)
      const head = signAuditHead(this.key, this.size + 1, hash, entry.at)
      await writeDurably(this.db, [
        { type: 'put', sublevel: this.entries, key: numberKey(entry.index), value: text },
        { type: 'put', sublevel: this.heads, key: 'head', value: head }
      ])
      this.size += 1
      this.last = hash
      return entry
    })
  }

  /** Entries in order, as stored (parsed without checks: verify() says whether they can be believed). */
  async list (): Promise<AuditEntry[]> {
    const out: AuditEntry[] = []
    for await (const [, text] of this.entries.iterator()) out.push(JSON.parse(text) as AuditEntry)
    return out
  }

  /**
   * Check the whole log against its signed head: the chain, the indexes and
   * the signature. Throws AuditLogTamperedError naming the first bad entry;
   * `expect` is a head noted earlier (`size:hash` from `audit list`), which
   * the log must still contain: that catches a rewrite by someone who also
   * holds the node key.
   */
  async verify (expect?: { size: number, hash: string }): Promise<AuditVerification> {
    return await this.mutex.run(['audit'], async () => {
      const rows: Array<[string, string]> = []
      for await (const row of this.entries.iterator()) rows.push(row)
      return verifyAuditRecords(rows, await this.heads.get('head'), this.key.publicKey, expect)
    })
  }

  /** The head as stored (size, last hash, signature). */
  async head (): Promise<AuditHead | undefined> {
    return await this.heads.get('head')
  }
}
