import {
  CHUNK_HASH_BYTES, CHUNK_TAG_BYTES, checkChunk, ChunkIntegrityError, concatBytes, fileIdOf, FileExpiredError, FileQuotaError, bytesEqual, InvalidArgumentError, MAX_FILE_CHUNK_BYTES, toHex
} from '@dak/protocol'
import type { ChunkUpload, HeldChunks } from '@dak/node/net'
import { asBytes, groupRange, numberKey, writeDurably, type BatchOp, type Db, type Table } from '../store/level.js'
import { KeyedMutex } from '../store/mutex.js'
import { DAY_MS } from '../store/limits.js'

/**
 * The department node's share of attachments (docs/files.md): encrypted file
 * chunks its devices upload when they send a file, served to any verified
 * peer that asks by file id. It never holds a key, so it can neither read a
 * file nor make a chunk that a member would accept: every chunk is checked
 * against the file's hash list when it comes in, and the hash list against
 * the file id, so what it serves is exactly what the sender sealed (and a
 * member checks again anyway).
 *
 * Sublevels (docs/department-store.md), file ids as hex:
 *   file-meta    <fileId>                  → FileMeta
 *   file-hashes  <fileId>                  → the chunk hashes, concatenated
 *   file-chunk   <fileId>:<index>          → ciphertext chunk
 *   file-time    <storedAt>:<fileId>       → '' (retention, oldest first)
 *   file-expiry  <expiresAt>:<fileId>      → '' (a file sent in a disappearing conversation)
 *   file-usage   <owner device key>        → bytes held for that device (quota)
 */

export interface FileMeta {
  /** The device that first uploaded the file: its quota pays for it. */
  owner: string
  total: number
  held: number
  bytes: number
  storedAt: number
  /** When the message carrying the file disappears (its sender's upload says so): deleted then. */
  expiresAt?: number
}

export interface ChunkStoreOptions {
  db: Db
  /** Files first uploaded longer ago than this are purged by purge(). */
  retentionDays?: number
  /** Bytes of file chunks held at once per uploading device. */
  quotaBytesPerDevice?: number
}

export const DEFAULT_FILE_RETENTION_DAYS = 30
export const DEFAULT_FILE_QUOTA_BYTES_PER_DEVICE = 2 * 1024 * 1024 * 1024

interface Tables {
  meta: Table<FileMeta>
  hashes: Table<Uint8Array>
  chunks: Table<Uint8Array>
  byTime: Table<string>
  byExpiry: Table<string>
  usage: Table<number>
}

function chunkKey (fileHex: string, index: number): string {
  return `${fileHex}:${numberKey(index)}`
}

function splitHashes (bytes: Uint8Array): Uint8Array[] {
  return Array.from({ length: bytes.length / CHUNK_HASH_BYTES }, (_, i) => bytes.subarray(i * CHUNK_HASH_BYTES, (i + 1) * CHUNK_HASH_BYTES))
}

export class ChunkStore {
  private readonly db: Db
  private readonly tables: Tables
  private readonly mutex = new KeyedMutex()
  private readonly retentionMs: number
  private readonly quotaBytes: number

  constructor (options: ChunkStoreOptions) {
    this.db = options.db
    this.tables = {
      meta: options.db.sublevel<FileMeta>('file-meta', { valueEncoding: 'json' }),
      hashes: options.db.sublevel<Uint8Array>('file-hashes', { valueEncoding: 'view' }),
      chunks: options.db.sublevel<Uint8Array>('file-chunk', { valueEncoding: 'view' }),
      byTime: options.db.sublevel<string>('file-time', { valueEncoding: 'utf8' }),
      byExpiry: options.db.sublevel<string>('file-expiry', { valueEncoding: 'utf8' }),
      usage: options.db.sublevel<number>('file-usage', { valueEncoding: 'json' })
    }
    this.retentionMs = (options.retentionDays ?? DEFAULT_FILE_RETENTION_DAYS) * DAY_MS
    this.quotaBytes = options.quotaBytesPerDevice ?? DEFAULT_FILE_QUOTA_BYTES_PER_DEVICE
    if (!(this.retentionMs > 0) || !(this.quotaBytes > 0)) throw new InvalidArgumentError('file retention and quota must be positive')
  }

  /** Chunks from `first` in a row, up to `count` and about `maxBytes` (at least one when `first` is held). */
  async get (fileId: Uint8Array, first: number, count: number, maxBytes: number): Promise<Uint8Array[]> {
    const fileHex = toHex(fileId)
    const rows = await this.tables.chunks.iterator({ gte: chunkKey(fileHex, first), lt: groupRange(fileHex).lt, limit: count }).all()
    const out: Uint8Array[] = []
    let bytes = 0
    for (const [key, value] of rows) {
      if (key !== chunkKey(fileHex, first + out.length)) break // a gap: the rest are not in a row
      if (out.length > 0 && bytes + value.length > maxBytes) break
      out.push(asBytes(value))
      bytes += value.length
    }
    return out
  }

  async held (fileId: Uint8Array): Promise<HeldChunks> {
    const fileHex = toHex(fileId)
    const meta = await this.tables.meta.get(fileHex)
    if (meta == null) return { total: 0, held: [] }
    const keys = await this.tables.chunks.keys(groupRange(fileHex)).all()
    return { total: meta.total, held: keys.map(k => Number(k.slice(fileHex.length + 1))) }
  }

  /**
   * Take chunks of a file from `owner` (hex device key). The first upload of
   * a file carries its hash list, which must hash to the file id; every chunk
   * must hash to its entry. Durable before it resolves; resolves with the
   * chunks now held. FileQuotaError when the owner's files would pass the quota.
   */
  async put (upload: ChunkUpload, owner: string, now: number): Promise<number> {
    const fileHex = toHex(upload.fileId)
    return await this.mutex.run([`file:${fileHex}`, `owner:${owner}`], async () => {
      const ops: BatchOp[] = []
      let meta = await this.tables.meta.get(fileHex)
      let hashes: Uint8Array[]
      if (meta == null) {
        if (upload.chunkHashes == null) throw new InvalidArgumentError('the first upload of a file carries its chunk hashes')
        if (!bytesEqual(fileIdOf(upload.chunkHashes), upload.fileId)) throw new ChunkIntegrityError('the chunk hashes do not make this file id')
        if (upload.expiresAt != null && upload.expiresAt <= now) throw new FileExpiredError('the message carrying this file has disappeared: its file is not taken')
        hashes = upload.chunkHashes
        meta = { owner, total: hashes.length, held: 0, bytes: 0, storedAt: now, ...(upload.expiresAt != null ? { expiresAt: upload.expiresAt } : {}) }
        ops.push({ type: 'put', sublevel: this.tables.hashes, key: fileHex, value: concatBytes(...hashes) })
        ops.push({ type: 'put', sublevel: this.tables.byTime, key: `${numberKey(now)}:${fileHex}`, value: '' })
        if (upload.expiresAt != null) ops.push({ type: 'put', sublevel: this.tables.byExpiry, key: `${numberKey(upload.expiresAt)}:${fileHex}`, value: '' })
      } else {
        const stored = await this.tables.hashes.get(fileHex)
        if (stored == null) throw new ChunkIntegrityError(`file ${fileHex} has no hash list`)
        hashes = splitHashes(asBytes(stored))
      }
      const indexes = upload.chunks.map((_, i) => upload.first + i)
      const present = await this.tables.chunks.hasMany(indexes.map(i => chunkKey(fileHex, i)))
      let added = 0
      let addedBytes = 0
      upload.chunks.forEach((chunk, i) => {
        const index = upload.first + i
        if (chunk.length > MAX_FILE_CHUNK_BYTES + CHUNK_TAG_BYTES) throw new InvalidArgumentError(`chunk ${index} is larger than any chunk`)
        checkChunk(hashes, index, chunk)
        if (present[i] === true) return
        ops.push({ type: 'put', sublevel: this.tables.chunks, key: chunkKey(fileHex, index), value: chunk })
        added++
        addedBytes += chunk.length
      })
      if (added === 0 && meta.held > 0) return meta.held
      const payer = meta.owner
      const used = await this.tables.usage.get(payer) ?? 0
      if (used + addedBytes > this.quotaBytes) throw new FileQuotaError(`this node holds ${used} bytes of files for this device; ${addedBytes} more would pass its quota of ${this.quotaBytes}`)
      const updated: FileMeta = { ...meta, held: meta.held + added, bytes: meta.bytes + addedBytes }
      ops.push({ type: 'put', sublevel: this.tables.meta, key: fileHex, value: updated })
      ops.push({ type: 'put', sublevel: this.tables.usage, key: payer, value: used + addedBytes })
      await writeDurably(this.db, ops)
      return updated.held
    })
  }

  /** Bytes held for a device's files. */
  async usage (owner: string): Promise<number> {
    return await this.tables.usage.get(owner) ?? 0
  }

  /** Delete every file first stored before now − retention; resolves with how many. */
  async purge (now: number): Promise<number> {
    const cutoff = Math.max(0, now - this.retentionMs)
    const due = await this.tables.byTime.keys({ lt: numberKey(cutoff) }).all()
    for (const timeKey of due) await this.remove(timeKey.slice(timeKey.indexOf(':') + 1), { byTime: timeKey })
    return due.length
  }

  /** Delete every file whose message has disappeared (its expiry is at or before now); resolves with how many. */
  async purgeDisappeared (now: number): Promise<number> {
    const due = await this.tables.byExpiry.keys({ lt: numberKey(now + 1) }).all()
    for (const expiryKey of due) await this.remove(expiryKey.slice(expiryKey.indexOf(':') + 1), { byExpiry: expiryKey })
    return due.length
  }

  /** One file, its chunks, hash list and index entries, and its bytes off its owner's quota, in one durable write. */
  private async remove (fileHex: string, found: { byTime?: string, byExpiry?: string }): Promise<void> {
    const meta = await this.tables.meta.get(fileHex)
    await this.mutex.run([`file:${fileHex}`, ...(meta != null ? [`owner:${meta.owner}`] : [])], async () => {
      const current = await this.tables.meta.get(fileHex)
      const ops: BatchOp[] = [
        { type: 'del', sublevel: this.tables.meta, key: fileHex },
        { type: 'del', sublevel: this.tables.hashes, key: fileHex }
      ]
      // both index entries: the one that found the file, and the other one the record names
      const timeKeys = new Set([found.byTime, current != null ? `${numberKey(current.storedAt)}:${fileHex}` : undefined])
      const expiryKeys = new Set([found.byExpiry, current?.expiresAt != null ? `${numberKey(current.expiresAt)}:${fileHex}` : undefined])
      for (const key of timeKeys) if (key != null) ops.push({ type: 'del', sublevel: this.tables.byTime, key })
      for (const key of expiryKeys) if (key != null) ops.push({ type: 'del', sublevel: this.tables.byExpiry, key })
      for (const key of await this.tables.chunks.keys(groupRange(fileHex)).all()) ops.push({ type: 'del', sublevel: this.tables.chunks, key })
      if (current != null) ops.push({ type: 'put', sublevel: this.tables.usage, key: current.owner, value: Math.max(0, (await this.tables.usage.get(current.owner) ?? 0) - current.bytes) })
      await writeDurably(this.db, ops)
    })
  }
}
