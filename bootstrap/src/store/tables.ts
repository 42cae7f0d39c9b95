import { toHex, utf8 } from '@dak/protocol'
import { numberKey, type Db, type Table } from './level.js'

export type { Table }

/** Where one stored envelope is, by its message id: enough to answer a duplicate. */
export interface IdRecord {
  topic: string
  sequence: number
  storedAt: number
}

/** Per topic: the next sequence to hand out (never reset, not even by a purge) and what is held now. */
export interface TopicMeta {
  next: number
  count: number
  bytes: number
  /** Stored-at times never go backwards within a topic, so retention always purges a prefix. */
  lastStoredAt: number
}

/** What one device deposited on one day. */
export interface QuotaUse {
  envelopes: number
  bytes: number
}

/**
 * The store's sublevels. Topics appear in keys as the hex of their UTF-8, so
 * any topic string gives a key of [0-9a-f] that cannot run into a neighbour's
 * range; numbers are zero-padded so they sort numerically.
 *
 *   env        <topic>:<sequence>               → envelope bytes
 *   env-id     <message id>                     → IdRecord (dedupe)
 *   env-time   <storedAt>:<topic>:<sequence>    → "<message id>:<length>" (retention)
 *   env-topic  <topic>                          → TopicMeta (sequence counter, stats)
 *   env-quota  <day>:<sender>                   → QuotaUse
 *   env-expiry <expiresAt>:<topic>:<sequence>   → "<message id>:<length>:<storedAt>" (disappearing messages)
 */
export interface StoreTables {
  db: Db
  envelopes: Table<Uint8Array>
  ids: Table<IdRecord>
  byTime: Table<string>
  topics: Table<TopicMeta>
  quota: Table<QuotaUse>
  expiry: Table<string>
}

export function openStoreTables (db: Db): StoreTables {
  return {
    db,
    envelopes: db.sublevel<Uint8Array>('env', { valueEncoding: 'view' }),
    ids: db.sublevel<IdRecord>('env-id', { valueEncoding: 'json' }),
    byTime: db.sublevel<string>('env-time', { valueEncoding: 'utf8' }),
    topics: db.sublevel<TopicMeta>('env-topic', { valueEncoding: 'json' }),
    quota: db.sublevel<QuotaUse>('env-quota', { valueEncoding: 'json' }),
    expiry: db.sublevel<string>('env-expiry', { valueEncoding: 'utf8' })
  }
}

export function topicKey (topic: string): string {
  return toHex(utf8(topic))
}

export function envelopeKey (topicHex: string, sequence: number): string {
  return `${topicHex}:${numberKey(sequence)}`
}

export function timeKey (storedAt: number, topicHex: string, sequence: number): string {
  return `${numberKey(storedAt)}:${topicHex}:${numberKey(sequence)}`
}
