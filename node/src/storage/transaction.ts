import type { LevelRange, Section, StorageBackend, WriteOp } from './backend.js'

/**
 * A write transaction: reads see the database plus this transaction's own
 * pending writes, and nothing reaches the database until `commit()` writes
 * them all in one level batch. Several repository operations (a message, the
 * conversation's unread count, the MLS group state that decrypted it) can
 * therefore read-modify-write the same records and still land atomically.
 *
 * Isolation comes from TransactionQueue: only one transaction runs at a time,
 * so no other writer can change what this one read.
 */
export class WriteTransaction {
  /** Per section: key → new value, or null for a delete. Insertion order is write order. */
  private readonly pending = new Map<Section, Map<string, Uint8Array | null>>()

  async get (section: Section, key: string): Promise<Uint8Array | undefined> {
    const mine = this.pending.get(section)?.get(key)
    if (mine !== undefined) return mine ?? undefined
    return await section.get(key)
  }

  put (section: Section, key: string, value: Uint8Array): void {
    this.changes(section).set(key, value)
  }

  del (section: Section, key: string): void {
    this.changes(section).set(key, null)
  }

  /** Entries in a key range, in key order (or reverse), with pending writes merged in. */
  async entries (section: Section, range: LevelRange): Promise<Array<[string, Uint8Array]>> {
    const mine = [...(this.pending.get(section) ?? new Map<string, Uint8Array | null>())].filter(([key]) => inRange(key, range))
    if (mine.length === 0) return await section.entries(range)
    // Ask the database for enough extra entries to make up for ones we delete:
    // the first `limit` survivors are then always among those returned.
    const deletes = mine.filter(([, value]) => value === null).length
    const limit = range.limit === undefined ? undefined : range.limit + deletes
    const merged = new Map(await section.entries({ ...range, limit }))
    for (const [key, value] of mine) {
      if (value === null) merged.delete(key)
      else merged.set(key, value)
    }
    const sorted = [...merged].sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0)
    if (range.reverse === true) sorted.reverse()
    return range.limit === undefined ? sorted : sorted.slice(0, range.limit)
  }

  /** The level operations this transaction would write. */
  ops (): WriteOp[] {
    const ops: WriteOp[] = []
    for (const [section, changes] of this.pending) {
      for (const [key, value] of changes) {
        ops.push(value === null ? { type: 'del', section, key } : { type: 'put', section, key, value })
      }
    }
    return ops
  }

  private changes (section: Section): Map<string, Uint8Array | null> {
    let changes = this.pending.get(section)
    if (changes === undefined) {
      changes = new Map()
      this.pending.set(section, changes)
    }
    return changes
  }
}

function inRange (key: string, range: LevelRange): boolean {
  if (range.gt !== undefined && !(key > range.gt)) return false
  if (range.gte !== undefined && !(key >= range.gte)) return false
  if (range.lt !== undefined && !(key < range.lt)) return false
  if (range.lte !== undefined && !(key <= range.lte)) return false
  return true
}

/**
 * Runs transactions one at a time, in call order. A transaction whose body
 * throws writes nothing; the next one still runs.
 */
export class TransactionQueue {
  private tail: Promise<unknown> = Promise.resolve()

  constructor (private readonly backend: Pick<StorageBackend<string>, 'write'>) {}

  async run<T> (body: (tx: WriteTransaction) => Promise<T>): Promise<T> {
    const result = this.tail.then(async () => {
      const tx = new WriteTransaction()
      const value = await body(tx)
      await this.backend.write(tx.ops())
      return value
    })
    // The queue must keep going after a failed transaction; the caller still sees the failure.
    this.tail = result.catch(() => undefined)
    return await result
  }

  /** Resolves once every transaction queued so far has finished. */
  async idle (): Promise<void> {
    await this.tail
  }
}
