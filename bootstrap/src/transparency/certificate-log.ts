import {
  consistencyProof, inclusionProof, leafHash, logLeaf, NotInLogError, signTreeHead, toHex, treeRoot,
  type LogEntryKind, type SignedTreeHead, type SigningKeyPair
} from '@dak/protocol'
import { asBytes, numberKey } from '../store/level.js'
import { KeyedMutex, locksFor, writeDurably, type Db, type Locks, type Table } from '../store/index.js'

/**
 * The department's certificate transparency log: every device certificate and
 * revocation list its authority issues, append-only, as an RFC 9162 Merkle
 * tree whose heads the node signs with its peer key. A certificate shown to
 * one officer and kept from the others must then be left out of the log (the
 * device that checks inclusion notices) or put in it (every device that
 * compares heads sees the tree grow by an entry it can look up).
 *
 * Sublevels (docs/department-store.md):
 *   ct-leaf   <index, 16 digits>   → leaf bytes (kind ‖ signed bytes)
 *   ct-hash   <leaf hash, hex>      → index
 * The leaf hashes are held in memory (32 bytes an entry: a department of
 * 100,000 devices is 3.2 MB); proofs are computed from them. On a shared
 * engine other processes append too: an append reads their leaves first
 * (under the engine's lock), and refresh() reads them when told of one.
 */
export class CertificateLog {
  private readonly leaves: Table<Uint8Array>
  private readonly byHash: Table<number>
  private readonly hashes: Uint8Array[] = []
  private readonly indexOf = new Map<string, number>()
  private readonly mutex: Locks
  /** Serialises reading new leaves into memory, so two refreshes never push one leaf twice. */
  private readonly reading = new KeyedMutex()
  private signed: SignedTreeHead | undefined

  private constructor (private readonly db: Db, private readonly key: SigningKeyPair, private readonly now: () => number) {
    this.mutex = locksFor(db, 'certificate-log')
    this.leaves = db.sublevel<Uint8Array>('ct-leaf', { valueEncoding: 'view' })
    this.byHash = db.sublevel<number>('ct-hash', { valueEncoding: 'json' })
  }

  static async open (db: Db, key: SigningKeyPair, now: () => number = Date.now): Promise<CertificateLog> {
    const log = new CertificateLog(db, key, now)
    await log.refresh()
    return log
  }

  /** Read into memory the leaves appended since (by this process or, on a shared engine, another). */
  async refresh (): Promise<void> {
    await this.reading.run(['leaves'], async () => {
      for await (const [, leaf] of this.leaves.iterator({ gte: numberKey(this.hashes.length) })) {
        const hash = leafHash(asBytes(leaf))
        this.indexOf.set(toHex(hash), this.hashes.length)
        this.hashes.push(hash)
      }
    })
  }

  get size (): number { return this.hashes.length }

  /** Append an issued certificate or revocation list (once: the same bytes again return their first index). Durable before it returns. */
  async append (kind: LogEntryKind, signed: Uint8Array): Promise<number> {
    const index = await this.mutex.run(['log'], async () => {
      await this.refresh()
      const leaf = logLeaf(kind, signed)
      const hash = leafHash(leaf)
      const known = this.indexOf.get(toHex(hash))
      if (known != null) return known
      const index = this.hashes.length
      await writeDurably(this.db, [
        { type: 'put', sublevel: this.leaves, key: numberKey(index), value: leaf, ifAbsent: true },
        { type: 'put', sublevel: this.byHash, key: toHex(hash), value: index }
      ])
      return index
    })
    // Memory follows the database once the write is in (on a shared engine: committed), never before.
    await this.refresh()
    return index
  }

  /** The signed head of the log as it is now (signed again only when the log grew). */
  head (): SignedTreeHead {
    if (this.signed?.size !== this.hashes.length) this.signed = signTreeHead(this.key, { size: this.hashes.length, timestamp: this.now(), root: treeRoot(this.hashes) })
    return this.signed
  }

  /** Where a leaf is and its audit path under the current head; NotInLogError when the log does not hold it. */
  inclusion (hash: Uint8Array): { head: SignedTreeHead, index: number, proof: Uint8Array[] } {
    const index = this.indexOf.get(toHex(hash))
    if (index == null) throw new NotInLogError('this log holds no such certificate or revocation list')
    const head = this.head()
    return { head, index, proof: inclusionProof(this.hashes, index, head.size) }
  }

  /** That the tree of `oldSize` entries is a prefix of the tree of `newSize` (both at most the current size). */
  consistency (oldSize: number, newSize: number): Uint8Array[] {
    return consistencyProof(this.hashes, oldSize, newSize)
  }

  /** The entry at `index` (for audits and tests). */
  async entry (index: number): Promise<Uint8Array | undefined> {
    const leaf = await this.leaves.get(numberKey(index))
    return leaf == null ? undefined : asBytes(leaf)
  }

  /** Whether the log holds the leaf with this hash. */
  holds (hash: Uint8Array): boolean {
    return this.indexOf.has(toHex(hash))
  }
}
