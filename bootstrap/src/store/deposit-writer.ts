import { toHex, type OpenedEnvelope } from '@dak/protocol'
import { QuotaExceededError } from './errors.js'
import { numberKey, writeDurably, type BatchOp, type Locks } from './level.js'
import { DAY_MS, MAX_GROUP_COMMIT_BYTES, MAX_GROUP_COMMIT_DEPOSITS } from './limits.js'
import { envelopeKey, timeKey, topicKey, type IdRecord, type QuotaUse, type StoreTables, type TopicMeta } from './tables.js'

/** Where a deposit ended up; the store signs its receipt from this once it is durable. */
export interface Placement {
  sequence: number
  storedAt: number
  /** The envelope was stored before (on disk, or earlier in the same batch): nothing new was written. */
  duplicate: boolean
}

/** A deposit that passed the door checks, waiting in the queue for its batch. */
interface Pending {
  envelope: OpenedEnvelope
  topic: string
  id: string
  quotaKey: string
  now: number
  resolve: (placement: Placement) => void
  reject: (error: unknown) => void
  /** Set while the batch is decided: how to answer once the batch is durable. */
  settle?: () => void
}

const FRESH_TOPIC: TopicMeta = { next: 1, count: 0, bytes: 0, lastStoredAt: 0 }
const NOTHING_USED: QuotaUse = { envelopes: 0, bytes: 0 }

/**
 * Group commit of deposits: the one writer of envelopes, their indexes, the
 * topics' counters and the senders' quotas.
 *
 * Deposits queue up; one loop takes as many as have arrived (bounded by
 * MAX_GROUP_COMMIT_DEPOSITS and MAX_GROUP_COMMIT_BYTES), decides each in
 * arrival order against what is on disk plus what the batch itself has placed
 * so far (dedupe, quota, next sequence), and writes them all in one fsynced
 * batch. Deposits that arrive while that batch is being written form the next
 * one. A deposit is answered only once its batch is durable; if the write
 * fails, every deposit of the batch is refused with that error and nothing is
 * kept in memory, so the next batch reads the counters again from disk.
 *
 * Since only this loop writes deposits, sequences cannot be handed out twice.
 * It takes the locks of the batch's topics so a purge (which lowers a topic's
 * count) never interleaves with the read-modify-write of a counter.
 */
export class DepositWriter {
  private readonly queue: Pending[] = []
  private draining = false

  constructor (
    private readonly tables: StoreTables,
    private readonly mutex: Locks,
    private readonly quota: QuotaUse
  ) {}

  /** Resolves once the envelope is durable (or was already stored). `envelope` must have passed openEnvelope. */
  async write (envelope: OpenedEnvelope, now: number): Promise<Placement> {
    return await new Promise<Placement>((resolve, reject) => {
      this.queue.push({
        envelope,
        topic: topicKey(envelope.topic),
        id: toHex(envelope.id),
        quotaKey: `${numberKey(Math.floor(now / DAY_MS))}:${toHex(envelope.sender)}`,
        now,
        resolve,
        reject
      })
      if (!this.draining) {
        this.draining = true
        // A microtask later, so that deposits made in the same synchronous burst share the first batch.
        queueMicrotask(() => { void this.drain() })
      }
    })
  }

  private async drain (): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.take()
      try {
        await this.commit(batch)
      } catch (err) {
        // Settling a promise twice is a no-op, so deposits already answered keep their answer.
        for (const pending of batch) pending.reject(err)
      }
    }
    this.draining = false
  }

  /** The next batch: at least one deposit, then as many as fit the bounds. */
  private take (): Pending[] {
    const batch: Pending[] = []
    let bytes = 0
    for (const pending of this.queue) {
      const size = pending.envelope.bytes.length
      if (batch.length > 0 && (batch.length === MAX_GROUP_COMMIT_DEPOSITS || bytes + size > MAX_GROUP_COMMIT_BYTES)) break
      batch.push(pending)
      bytes += size
    }
    this.queue.splice(0, batch.length)
    return batch
  }

  private async commit (batch: Pending[]): Promise<void> {
    const topics = [...new Set(batch.map(p => p.topic))]
    await this.mutex.run(topics.map(topic => `topic:${topic}`), async () => {
      const ops = await this.decide(batch, topics)
      await writeDurably(this.tables.db, ops)
    })
    // Answered only once run() returned: on a shared engine that is when the transaction committed.
    for (const p of batch) p.settle?.()
  }

  /**
   * Decides every deposit of the batch in arrival order and returns the batch's
   * writes. A deposit already on disk is answered at once (it is durable); the
   * others get `settle`, called only after the batch is durable.
   */
  private async decide (batch: Pending[], topics: string[]): Promise<BatchOp[]> {
    const t = this.tables
    const ids = [...new Set(batch.map(p => p.id))]
    const quotaKeys = [...new Set(batch.map(p => p.quotaKey))]
    const [stored, metas, uses] = await Promise.all([t.ids.getMany(ids), t.topics.getMany(topics), t.quota.getMany(quotaKeys)])
    const onDisk = new Map(ids.map((id, i) => [id, stored[i]]))
    // What the batch has done so far, over what is on disk: read from here, never from disk again.
    const meta = new Map(topics.map((topic, i) => [topic, metas[i] ?? FRESH_TOPIC]))
    const used = new Map(quotaKeys.map((key, i) => [key, uses[i] ?? NOTHING_USED]))
    const placed = new Map<string, Placement>()
    const ops: BatchOp[] = []
    for (const p of batch) {
      const known = onDisk.get(p.id)
      if (known != null) {
        p.resolve({ sequence: known.sequence, storedAt: known.storedAt, duplicate: true })
        continue
      }
      const earlier = placed.get(p.id)
      if (earlier != null) {
        p.settle = () => p.resolve({ ...earlier, duplicate: true })
        continue
      }
      const size = p.envelope.bytes.length
      const use = used.get(p.quotaKey) ?? NOTHING_USED
      if (use.envelopes + 1 > this.quota.envelopes || use.bytes + size > this.quota.bytes) {
        const error = new QuotaExceededError(`device has used its daily store quota (${use.envelopes} envelopes, ${use.bytes} bytes)`)
        p.settle = () => p.reject(error)
        continue
      }
      const topic = meta.get(p.topic) ?? FRESH_TOPIC
      const sequence = topic.next
      // Stored times never go backwards within a topic, even if the clock does: retention purges a prefix.
      const storedAt = Math.max(p.now, topic.lastStoredAt)
      meta.set(p.topic, { next: sequence + 1, count: topic.count + 1, bytes: topic.bytes + size, lastStoredAt: storedAt })
      used.set(p.quotaKey, { envelopes: use.envelopes + 1, bytes: use.bytes + size })
      const placement: Placement = { sequence, storedAt, duplicate: false }
      placed.set(p.id, placement)
      p.settle = () => p.resolve(placement)
      ops.push(
        { type: 'put', sublevel: t.envelopes, key: envelopeKey(p.topic, sequence), value: p.envelope.bytes },
        { type: 'put', sublevel: t.ids, key: p.id, value: { topic: p.envelope.topic, sequence, storedAt } satisfies IdRecord },
        { type: 'put', sublevel: t.byTime, key: timeKey(storedAt, p.topic, sequence), value: `${p.id}:${size}` }
      )
      // a disappearing message: deleted at its expiry, before retention would (expiry.ts)
      if (p.envelope.expiresAt != null) ops.push({ type: 'put', sublevel: t.expiry, key: timeKey(p.envelope.expiresAt, p.topic, sequence), value: `${p.id}:${size}:${storedAt}` })
    }
    // Each counter the batch moved (its map entry replaced) is written once, with its final value.
    topics.forEach((topic, i) => {
      const value = meta.get(topic)
      if (value != null && value !== (metas[i] ?? FRESH_TOPIC)) ops.push({ type: 'put', sublevel: t.topics, key: topic, value: value satisfies TopicMeta })
    })
    quotaKeys.forEach((key, i) => {
      const value = used.get(key)
      if (value != null && value !== (uses[i] ?? NOTHING_USED)) ops.push({ type: 'put', sublevel: t.quota, key, value: value satisfies QuotaUse })
    })
    return ops
  }
}
