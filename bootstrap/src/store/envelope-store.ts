import { issueStoreReceipt } from '@dak/protocol'
import { InvalidArgumentError, MAX_CLOCK_SKEW_MS, MAX_TOPIC_BYTES, openEnvelope, utf8, type SigningKeyPair } from '@dak/protocol'
import { DepositWriter } from './deposit-writer.js'
import { ExpiredEnvelopeError } from './errors.js'
import { asBytes, groupRange, locksFor, type Db, type Locks } from './level.js'
import { DAY_MS, DEFAULT_QUOTA_BYTES_PER_DAY, DEFAULT_QUOTA_ENVELOPES_PER_DAY, DEFAULT_RETENTION_DAYS, MAX_QUERY_BYTES, MAX_QUERY_ENTRIES } from './limits.js'
import { purgeExpired } from './retention.js'
import { purgeDisappeared } from './expiry.js'
import { envelopeKey, openStoreTables, topicKey, type StoreTables } from './tables.js'

export interface EnvelopeStoreOptions {
  /** classic-level in production; the store makes its sublevels below it. */
  db: Db
  /** The node key that signs store receipts. */
  nodeKey: SigningKeyPair
  /** Envelopes stored longer ago than this are purged by purge(). */
  retentionDays?: number
  /** Per sending device per UTC day: one runaway or stolen device cannot fill the disk. */
  quotaEnvelopesPerDay?: number
  quotaBytesPerDay?: number
  /** Told of each envelope stored for the first time, once it is durable (not of duplicates). */
  onStored?: (topic: string, sequence: number) => void
}

export interface DepositOutcome {
  sequence: number
  /** Encoded StoreReceipt, signed by the node: sent back only once the envelope is durable. */
  receipt: Uint8Array
  /** True when the envelope was stored before; sequence and receipt are the first copy's. */
  duplicate: boolean
}

export interface QueryEntry {
  sequence: number
  envelope: Uint8Array
}

/** The same shape as rpc.proto's QueryPage, so a handler encodes it as is. */
export interface QueryPage {
  entries: QueryEntry[]
  /** The cursor for the next query: the last sequence returned, or the one asked for. */
  nextAfterSequence: number
  hasMore: boolean
}

export interface StoreStats {
  envelopes: number
  bytes: number
  topics: number
}

function checkNow (now: number): void {
  if (!Number.isSafeInteger(now) || now < 0) throw new InvalidArgumentError('now must be a non-negative integer (ms since epoch)')
}

function positiveOr (value: number | undefined, fallback: number, what: string): number {
  const n = value ?? fallback
  if (!(n > 0)) throw new InvalidArgumentError(`${what} must be positive`)
  return n
}

/** 0 is what proto3 sends for "not set": it means "as many as allowed". */
function clampRequested (requested: number, max: number, what: string): number {
  if (!Number.isSafeInteger(requested) || requested < 0) throw new InvalidArgumentError(`${what} must be a non-negative integer`)
  return requested === 0 ? max : Math.min(requested, max)
}

/**
 * The department node's store-and-forward: envelopes by topic and sequence.
 *
 * - deposit() validates at the door (openEnvelope), then hands the envelope to
 *   the DepositWriter, which dedupes by message id, checks the quota, hands out
 *   the topic's next sequence and writes envelope, id index, retention index,
 *   topic counter and quota in one fsynced batch, shared with the other
 *   deposits that arrived meanwhile (group commit). The receipt is signed only
 *   after that batch resolved: acknowledged means durable.
 * - The writer is the only writer of deposits, so a sequence is never handed
 *   out twice.
 * - query() serves a topic from a cursor, bounded in entries and bytes.
 * - purge() drops envelopes past retention; sequences keep counting.
 *
 * Whether the sender holds a valid, unrevoked certificate is checked by the
 * caller before deposit (it needs the directory and revocation state).
 */
export class EnvelopeStore {
  private readonly tables: StoreTables
  private readonly mutex: Locks
  private readonly writer: DepositWriter
  private readonly nodeKey: SigningKeyPair
  private readonly retentionMs: number
  private readonly onStored: ((topic: string, sequence: number) => void) | undefined

  constructor (options: EnvelopeStoreOptions) {
    this.mutex = locksFor(options.db, 'envelope-store')
    this.tables = openStoreTables(options.db)
    this.nodeKey = options.nodeKey
    this.onStored = options.onStored
    this.retentionMs = positiveOr(options.retentionDays, DEFAULT_RETENTION_DAYS, 'retention days') * DAY_MS
    this.writer = new DepositWriter(this.tables, this.mutex, {
      envelopes: positiveOr(options.quotaEnvelopesPerDay, DEFAULT_QUOTA_ENVELOPES_PER_DAY, 'envelope quota'),
      bytes: positiveOr(options.quotaBytesPerDay, DEFAULT_QUOTA_BYTES_PER_DAY, 'byte quota')
    })
  }

  async deposit (envelopeBytes: Uint8Array, now: number): Promise<DepositOutcome> {
    checkNow(now)
    const envelope = openEnvelope(envelopeBytes, now)
    // With the clock-skew margin, a replay of an envelope whose copy was already
    // purged is always refused here, so it can never be stored a second time.
    if (envelope.timestamp < now - this.retentionMs + MAX_CLOCK_SKEW_MS) {
      throw new ExpiredEnvelopeError(`envelope from ${new Date(envelope.timestamp).toISOString()} is older than this store keeps`)
    }
    // a disappearing message whose time is up is not stored (and a replay of one the store deleted is not stored again)
    if (envelope.expiresAt != null && envelope.expiresAt <= now) throw new ExpiredEnvelopeError('this disappearing message has expired')
    const placed = await this.writer.write(envelope, now)
    if (!placed.duplicate) this.onStored?.(envelope.topic, placed.sequence)
    return { sequence: placed.sequence, receipt: this.receipt(envelope.topic, envelope.id, placed.sequence, placed.storedAt), duplicate: placed.duplicate }
  }

  /** Entries of `topic` after `afterSequence`, oldest first; limit and maxBytes of 0 mean the maximum. */
  async query (topic: string, afterSequence: number, limit: number, maxBytes: number): Promise<QueryPage> {
    if (typeof topic !== 'string' || topic.length === 0 || utf8(topic).length > MAX_TOPIC_BYTES) throw new InvalidArgumentError(`topic must be 1-${MAX_TOPIC_BYTES} bytes`)
    if (!Number.isSafeInteger(afterSequence) || afterSequence < 0) throw new InvalidArgumentError('cursor must be a non-negative integer')
    const maxEntries = clampRequested(limit, MAX_QUERY_ENTRIES, 'limit')
    const byteBudget = clampRequested(maxBytes, MAX_QUERY_BYTES, 'max bytes')
    const hexTopic = topicKey(topic)
    const range = groupRange(hexTopic)
    const entries: QueryEntry[] = []
    let bytes = 0
    let lastKey = envelopeKey(hexTopic, afterSequence)
    for await (const [key, envelope] of this.tables.envelopes.iterator({ gt: lastKey, lt: range.lt, limit: maxEntries })) {
      // At least one entry per page, or an envelope larger than the budget would stall the cursor forever.
      if (entries.length > 0 && bytes + envelope.length > byteBudget) break
      entries.push({ sequence: Number(key.slice(range.gte.length)), envelope: asBytes(envelope) })
      bytes += envelope.length
      lastKey = key
    }
    const next = await this.tables.envelopes.keys({ gt: lastKey, lt: range.lt, limit: 1 }).all()
    return { entries, nextAfterSequence: entries.at(-1)?.sequence ?? afterSequence, hasMore: next.length > 0 }
  }

  /** Drop envelopes stored more than the retention period before `now`; returns how many. */
  async purge (now: number): Promise<number> {
    checkNow(now)
    return await purgeExpired(this.tables, this.mutex, now - this.retentionMs, Math.floor(now / DAY_MS))
  }

  /** Delete the disappearing messages whose expiry has passed (expiry.ts); returns how many. */
  async purgeDisappeared (now: number): Promise<number> {
    checkNow(now)
    return await purgeDisappeared(this.tables, this.mutex, now)
  }

  /** For metrics. Reads every topic's counters: cheap next to the envelopes themselves. */
  async stats (): Promise<StoreStats> {
    const stats: StoreStats = { envelopes: 0, bytes: 0, topics: 0 }
    for await (const meta of this.tables.topics.values()) {
      stats.envelopes += meta.count
      stats.bytes += meta.bytes
      stats.topics++
    }
    return stats
  }

  private receipt (topic: string, messageId: Uint8Array, sequence: number, storedAt: number): Uint8Array {
    return issueStoreReceipt(this.nodeKey, { topic, messageId, sequence, storedAt }).bytes
  }
}
