import { numberKey, writeDurably, type BatchOp } from './level.js'
import { PURGE_BATCH } from './limits.js'
import type { Locks } from './level.js'
import { envelopeKey, timeKey, type StoreTables, type TopicMeta } from './tables.js'

/**
 * Disappearing messages at the department node: delete every envelope whose
 * sender-signed expiry (EnvelopeBody.expires_at) has passed, with its id and
 * time index entries, lowering its topic's counters, a batch at a time under
 * the topics' locks (as retention.ts does). Unlike retention this leaves holes
 * inside a topic; queries walk the keys that are there, so cursors are not
 * affected. An expiry entry whose envelope retention already purged is only
 * removed itself.
 */
export async function purgeDisappeared (tables: StoreTables, mutex: Locks, now: number): Promise<number> {
  return await mutex.run(['purge'], async () => {
    let purged = 0
    for (;;) {
      const due = await tables.expiry.iterator({ lt: numberKey(now + 1), limit: PURGE_BATCH }).all()
      if (due.length === 0) break
      purged += await purgeBatch(tables, mutex, due)
    }
    return purged
  })
}

async function purgeBatch (tables: StoreTables, mutex: Locks, due: Array<[string, string]>): Promise<number> {
  const entries = due.map(([expiryKey, value]) => {
    const [, topic = '', sequence = ''] = expiryKey.split(':')
    const [id = '', size = '', storedAt = ''] = value.split(':')
    return { expiryKey, topic, sequence: Number(sequence), id, size: Number(size), storedAt: Number(storedAt) }
  })
  const topics = [...new Set(entries.map(e => e.topic))]
  return await mutex.run(topics.map(topic => `topic:${topic}`), async () => {
    const ids = await tables.ids.getMany(entries.map(e => e.id))
    const metas = new Map(topics.map((topic, i) => [topic, i]))
    const stored = await tables.topics.getMany(topics)
    const lowered = new Map<string, TopicMeta>()
    const ops: BatchOp[] = []
    let purged = 0
    entries.forEach((entry, i) => {
      ops.push({ type: 'del', sublevel: tables.expiry, key: entry.expiryKey })
      const record = ids[i]
      // gone already (retention got there first): nothing else to do
      if (record == null || record.sequence !== entry.sequence) return
      purged++
      ops.push({ type: 'del', sublevel: tables.envelopes, key: envelopeKey(entry.topic, entry.sequence) })
      ops.push({ type: 'del', sublevel: tables.ids, key: entry.id })
      ops.push({ type: 'del', sublevel: tables.byTime, key: timeKey(entry.storedAt, entry.topic, entry.sequence) })
      const meta = lowered.get(entry.topic) ?? stored[metas.get(entry.topic) ?? -1]
      if (meta != null) lowered.set(entry.topic, { ...meta, count: Math.max(0, meta.count - 1), bytes: Math.max(0, meta.bytes - entry.size) })
    })
    for (const [topic, meta] of lowered) ops.push({ type: 'put', sublevel: tables.topics, key: topic, value: meta })
    await writeDurably(tables.db, ops)
    return purged
  })
}
