import { numberKey, writeDurably, type BatchOp, type Locks } from './level.js'
import { PURGE_BATCH } from './limits.js'
import { envelopeKey, type StoreTables, type TopicMeta } from './tables.js'

/** Serialises purges with each other; deposits never take it. */
const PURGE_LOCK = 'purge'

/**
 * Delete every envelope stored before `cutoff`, oldest first, a batch at a
 * time. Each batch removes the envelopes, their id and time index entries and
 * lowers the counters of their topics in one atomic write, under the topics'
 * locks, so a concurrent deposit never reads a half-updated counter. The
 * topics' next sequence is never touched: numbering continues where it was,
 * and since stored-at times never go backwards within a topic, what is purged
 * is always a prefix of the topic (no holes in the middle of a cursor's way).
 *
 * Quota counters of days before `today` go too: nothing reads them again.
 */
export async function purgeExpired (tables: StoreTables, mutex: Locks, cutoff: number, today: number): Promise<number> {
  return await mutex.run([PURGE_LOCK], async () => {
    let purged = 0
    for (;;) {
      const expired = await tables.byTime.iterator({ lt: numberKey(Math.max(0, cutoff)), limit: PURGE_BATCH }).all()
      if (expired.length === 0) break
      purged += await purgeBatch(tables, mutex, expired)
    }
    await tables.quota.clear({ lt: numberKey(today) })
    return purged
  })
}

async function purgeBatch (tables: StoreTables, mutex: Locks, expired: Array<[string, string]>): Promise<number> {
  const byTopic = new Map<string, Array<{ timeKey: string, sequence: number, id: string, size: number }>>()
  for (const [timeKey, value] of expired) {
    const [, topic = '', sequence = ''] = timeKey.split(':')
    const [id = '', size = ''] = value.split(':')
    const list = byTopic.get(topic) ?? []
    list.push({ timeKey, sequence: Number(sequence), id, size: Number(size) })
    byTopic.set(topic, list)
  }
  const topics = [...byTopic.keys()]
  return await mutex.run(topics.map(topic => `topic:${topic}`), async () => {
    const ops: BatchOp[] = []
    const metas = await tables.topics.getMany(topics)
    topics.forEach((topic, i) => {
      const entries = byTopic.get(topic) ?? []
      const meta = metas[i]
      for (const entry of entries) {
        ops.push({ type: 'del', sublevel: tables.envelopes, key: envelopeKey(topic, entry.sequence) })
        ops.push({ type: 'del', sublevel: tables.ids, key: entry.id })
        ops.push({ type: 'del', sublevel: tables.byTime, key: entry.timeKey })
      }
      if (meta != null) {
        const bytes = entries.reduce((sum, entry) => sum + entry.size, 0)
        const updated: TopicMeta = { ...meta, count: Math.max(0, meta.count - entries.length), bytes: Math.max(0, meta.bytes - bytes) }
        ops.push({ type: 'put', sublevel: tables.topics, key: topic, value: updated })
      }
    })
    await writeDurably(tables.db, ops)
    return expired.length
  })
}
