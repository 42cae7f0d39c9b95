import { join } from 'node:path'
import { ClassicLevel } from 'classic-level'
import { EnvelopeKind, issueStoreReceipt, openEnvelope, sealEnvelope, signingKeyPairFromSeed, type OpenedEnvelope } from '@dak/protocol'
import { EnvelopeStore, type Db } from '../../../bootstrap/src/store/index.js'
import { numberKey } from '../../../bootstrap/src/store/level.js'
import { topicKey } from '../../../bootstrap/src/store/tables.js'
import { at, buildGroup, NOW } from '../lib/mls.js'
import { sendText, topicFor } from '../lib/pipeline.js'
import { fillerBytes, perSecond, pool, ratio, sig, timed } from '../lib/stats.js'
import type { BenchContext, BenchResult, Benchmark, Figure } from '../lib/types.js'

/**
 * Figure 4: durable envelopes per second into the department node's store
 * (EnvelopeStore.deposit: open the envelope, dedupe, quota, sequence, one
 * atomic batch across five sublevels with {sync: true}, a signed receipt)
 * ÷ raw classic-level writing the same envelope bytes under the same keys with
 * the same durability ({sync: true}), at the same concurrency: 1 in flight,
 * and 16 in flight from 16 senders on 16 topics (a department node's normal
 * load; LevelDB groups concurrent synced writes into one fsync).
 */

const TOPICS = 16

interface Sizes { serial: number, concurrent: number }

function sizes (quick: boolean): Sizes {
  return quick ? { serial: 60, concurrent: 192 } : { serial: 500, concurrent: 3200 }
}

interface Record { topic: string, sequence: number, envelope: OpenedEnvelope }

async function withDb<T> (dir: string, fn: (db: ClassicLevel<string, string>) => Promise<T>): Promise<T> {
  const db = new ClassicLevel<string, string>(dir)
  await db.open()
  try {
    return await fn(db)
  } finally {
    await db.close()
  }
}

/** Sealed envelopes on TOPICS topics, one sender per topic, payloads the size of an MLS text message. */
function records (count: number, payloadBytes: number, offset: number): Record[] {
  const senders = Array.from({ length: TOPICS }, (_, t) => signingKeyPairFromSeed(fillerBytes(32, 500 + t)))
  const topics = Array.from({ length: TOPICS }, (_, t) => topicFor(`ingest ${t}`))
  const seqs = new Array<number>(TOPICS).fill(0)
  const out: Record[] = []
  for (let k = 0; k < count; k++) {
    const t = k % TOPICS
    const sequence = (seqs[t] ?? 0) + 1
    seqs[t] = sequence
    const topic = at(topics, t)
    const envelope = sealEnvelope(at(senders, t), { kind: EnvelopeKind.APPLICATION, topic, timestamp: NOW, senderSeq: offset + sequence, payload: fillerBytes(payloadBytes, offset + k + 1) })
    out.push({ topic, sequence, envelope })
  }
  return out
}

/** Split records by topic so each of `concurrency` workers owns whole topics (deposits on one topic are serialised anyway). */
function lanes (list: Record[], concurrency: number): Record[][] {
  const out: Record[][] = Array.from({ length: concurrency }, () => [])
  const topics = [...new Set(list.map(r => r.topic))]
  for (const r of list) out[topics.indexOf(r.topic) % concurrency]?.push(r)
  return out
}

async function runLanes (list: Record[], concurrency: number, write: (r: Record) => Promise<void>): Promise<number> {
  const split = lanes(list, concurrency)
  const { ms } = await timed(async () => {
    await pool(split.length, concurrency, async (i) => {
      for (const r of split[i] ?? []) await write(r)
    })
  })
  return perSecond(list.length, ms)
}

async function deposits (dir: string, list: Record[], concurrency: number): Promise<number> {
  return await withDb(dir, async (db) => {
    const store = new EnvelopeStore({ db: db as unknown as Db, nodeKey: signingKeyPairFromSeed(fillerBytes(32, 9)) })
    return await runLanes(list, concurrency, async (r) => {
      const outcome = await store.deposit(r.envelope.bytes, NOW)
      if (outcome.duplicate) throw new Error('unexpected duplicate')
    })
  })
}

async function withRawDb<T> (dir: string, fn: (db: ClassicLevel<string, Uint8Array>) => Promise<T>): Promise<T> {
  const db = new ClassicLevel<string, Uint8Array>(dir, { valueEncoding: 'view' })
  await db.open()
  try {
    return await fn(db)
  } finally {
    await db.close()
  }
}

/** The same keys the store uses for envelopes (`<topic hex>:<sequence>`), the same bytes, fsynced each. */
async function rawPuts (dir: string, list: Record[], concurrency: number): Promise<number> {
  return await withRawDb(dir, async (db) => await runLanes(list, concurrency, async (r) => {
    await db.put(`${topicKey(r.topic)}:${numberKey(r.sequence)}`, r.envelope.bytes, { sync: true })
  }))
}

/** What raw classic-level can do when it may group records: 64 per synced batch. The ceiling a group commit could approach. */
async function rawBatched (dir: string, list: Record[]): Promise<number> {
  return await withRawDb(dir, async (db) => {
    const { ms } = await timed(async () => {
      for (let i = 0; i < list.length; i += 64) {
        await db.batch(list.slice(i, i + 64).map(r => ({ type: 'put' as const, key: `${topicKey(r.topic)}:${numberKey(r.sequence)}`, value: r.envelope.bytes })), { sync: true })
      }
    })
    return perSecond(list.length, ms)
  })
}

/** CPU per deposit outside LevelDB: the envelope signature check and the receipt signature. */
function cpuPerDeposit (list: Record[]): { openMs: number, receiptMs: number } {
  const n = Math.min(100, list.length)
  const key = signingKeyPairFromSeed(fillerBytes(32, 9))
  let start = performance.now()
  for (let i = 0; i < n; i++) openEnvelope(at(list, i).envelope.bytes, NOW)
  const openMs = (performance.now() - start) / n
  start = performance.now()
  for (let i = 0; i < n; i++) {
    const r = at(list, i)
    issueStoreReceipt(key, { topic: r.topic, messageId: r.envelope.id, sequence: r.sequence, storedAt: NOW })
  }
  return { openMs, receiptMs: (performance.now() - start) / n }
}

async function run (bench: BenchContext): Promise<BenchResult> {
  const s = sizes(bench.quick)
  const group = await buildGroup(2, 'ingest')
  const probe = await sendText(at(group.states, 0), at(group.devices, 0).device, topicFor('probe'), 0, 1)
  const payloadBytes = probe.envelope.payload.length
  bench.progress(`sealing ${s.serial + s.concurrent} envelopes (${probe.envelope.bytes.length} B each)`)
  const serial = records(s.serial, payloadBytes, 0)
  const concurrent = records(s.concurrent, payloadBytes, 1_000_000)
  const cpu = cpuPerDeposit(serial)

  bench.progress(`1 in flight: raw puts, deposits (${s.serial} each)`)
  const rawSerial = await rawPuts(join(bench.tmpDir, 'raw-1'), serial, 1)
  const dakSerial = await deposits(join(bench.tmpDir, 'dak-1'), serial, 1)
  bench.progress(`${TOPICS} in flight: raw puts, deposits (${s.concurrent} each)`)
  const rawConcurrent = await rawPuts(join(bench.tmpDir, 'raw-16'), concurrent, TOPICS)
  const dakConcurrent = await deposits(join(bench.tmpDir, 'dak-16'), concurrent, TOPICS)
  bench.progress('raw batched (64 records per fsync)')
  const rawGrouped = await rawBatched(join(bench.tmpDir, 'raw-batched'), concurrent)

  const figures: Figure[] = [
    {
      key: 'ingest.serial',
      label: 'store ingest, 1 deposit in flight (fsync each)',
      value: sig(dakSerial),
      unit: 'env/s',
      baseline: { label: 'raw classic-level put {sync}', value: sig(rawSerial), unit: 'rec/s' },
      ratio: ratio(dakSerial, rawSerial),
      target: { text: '≥ 0.5 of raw', met: ratio(dakSerial, rawSerial) >= 0.5 }
    },
    {
      key: 'ingest.concurrent',
      label: `store ingest, ${TOPICS} deposits in flight on ${TOPICS} topics`,
      value: sig(dakConcurrent),
      unit: 'env/s',
      baseline: { label: 'raw classic-level put {sync}, same concurrency', value: sig(rawConcurrent), unit: 'rec/s' },
      ratio: ratio(dakConcurrent, rawConcurrent),
      target: { text: '≥ 0.5 of raw', met: ratio(dakConcurrent, rawConcurrent) >= 0.5 },
      note: `CPU per deposit outside LevelDB: openEnvelope ${sig(cpu.openMs, 2)} ms + receipt ${sig(cpu.receiptMs, 2)} ms; raw batched 64/fsync: ${sig(rawGrouped)} rec/s (${sig(ratio(dakConcurrent, rawGrouped), 2)} of it)`
    }
  ]
  return { figures, details: { sizes: s, envelopeBytes: probe.envelope.bytes.length, perSecond: { rawSerial, dakSerial, rawConcurrent, dakConcurrent, rawGrouped }, cpuPerDepositMs: cpu } }
}

export const ingest: Benchmark = {
  id: 'ingest',
  title: 'Department store ingest (durable)',
  budgetSeconds: { full: 60, quick: 10 },
  run
}
