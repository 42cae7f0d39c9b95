import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sha256 } from '@noble/hashes/sha2.js'
import { ClassicLevel } from 'classic-level'
import { EnvelopeKind, sealEnvelope, signingKeyPairFromSeed, utf8, type OpenedEnvelope, type SigningKeyPair } from '@dak/protocol'
import type { Db } from './level.js'
import { postgresBinDir, startLocalEngine, type LocalEngine } from '../cluster/local-engine.js'
import { PostgresDb } from './postgres/postgres-db.js'

/**
 * Shared by the department node's registry tests (not used in production):
 * real classic-level databases in temporary directories, deterministic keys
 * and a fixed clock.
 */

/** 15 January 2025, 09:00 UTC, as in protocol/'s fixtures. */
export const NOW = Date.UTC(2025, 0, 15, 9, 0, 0)

export function seededKey (label: string): SigningKeyPair {
  return signingKeyPairFromSeed(sha256(utf8(`dak test key: ${label}`)))
}

/** The engines the registries run on: the embedded default, and the shared engine of a scaled department. */
export type StoreBackend = 'level' | 'postgres'

/**
 * The contract tests run against both. Without PostgreSQL installed (the test
 * set-up installs it) the postgres runs are left out, loudly.
 */
export const STORE_BACKENDS: StoreBackend[] = postgresBinDir() != null
  ? ['level', 'postgres']
  : (console.warn('PostgreSQL is not installed: the registry contract tests run on LevelDB only (apt-get install postgresql)'), ['level'])

let engine: Promise<LocalEngine> | undefined

/** One PostgreSQL server per test file, started on first use; each temp database is a fresh schema of it. */
async function testEngine (): Promise<LocalEngine> {
  engine ??= startLocalEngine({ replicas: 0 })
  return await engine
}

let engineUrl: string | undefined

/** The URL of this file's PostgreSQL server (after an openTempDb('postgres')). */
export function testEngineUrl (): string {
  if (engineUrl == null) throw new Error('no test engine started in this file')
  return engineUrl
}

/** Stop this file's PostgreSQL server, if it started one (afterAll of a file that uses the postgres backend). */
export async function stopTestEngine (): Promise<void> {
  const started = engine
  engine = undefined
  if (started != null) await (await started).stop()
}

export interface TempDb<D extends Db = ClassicLevel<string, string>> {
  /** A ClassicLevel or a PostgresDb: a Db either way. */
  db: D
  dir: string
  /** Close and reopen the same database, as after a restart. */
  reopen: () => Promise<D>
  cleanup: () => Promise<void>
  /** A fresh, empty Db inside this one (a nested sublevel, or prefixed sublevels on PostgreSQL). */
  fresh: (name: string) => Db
  /** Every key and value stored, as bytes, whatever the sublevel: for tests that look for what must not be there. */
  everything: () => Promise<Array<[Uint8Array, Uint8Array]>>
}

export async function openTempDb (): Promise<TempDb>
export async function openTempDb (backend: StoreBackend): Promise<TempDb<Db>>
export async function openTempDb (backend: StoreBackend = 'level'): Promise<TempDb<Db>> {
  if (backend === 'postgres') return await openTempPostgres()
  return await openTempLevel()
}

let schemas = 0

async function openTempPostgres (): Promise<TempDb<PostgresDb>> {
  const { url } = await testEngine()
  engineUrl = url
  const schema = `t${process.pid}_${++schemas}`
  let db = await PostgresDb.open({ url, schema })
  return {
    get db () { return db },
    dir: schema,
    reopen: async () => {
      await db.close()
      db = await PostgresDb.open({ url, schema })
      return db
    },
    cleanup: async () => {
      await db.sql`drop schema ${db.sql(schema)} cascade`
      await db.close()
    },
    fresh: (name) => db.within(name),
    everything: async () => (await db.sql<Array<{ key: string, value: Buffer }>>`select sub || '!' || key as key, value from dak_kv`)
      .map(row => [new TextEncoder().encode(row.key), new Uint8Array(row.value)])
  }
}

async function openTempLevel (): Promise<TempDb> {
  const dir = await mkdtemp(join(tmpdir(), 'dak-store-'))
  let db: ClassicLevel<string, string> = new ClassicLevel(dir)
  await db.open()
  return {
    get db () { return db },
    dir,
    reopen: async () => {
      await db.close()
      db = new ClassicLevel(dir)
      await db.open()
      return db
    },
    cleanup: async () => {
      await db.close()
      await rm(dir, { recursive: true, force: true })
    },
    fresh: (name) => db.sublevel(name),
    everything: async () => await db.iterator<Uint8Array, Uint8Array>({ keyEncoding: 'view', valueEncoding: 'view' }).all()
  }
}

/** A real database seen through its batch calls: what group commit is about. */
export interface ObservedDb {
  /** Pass this to the store: it is `db`, with every batch call seen. */
  db: Db
  /** Operation counts of the synced (fsynced) batches written so far, in order. */
  synced: number[]
  /** The next synced batch fails with this error before reaching the database, as a full disk or an I/O error would; undefined disarms it. */
  failNextSync: (error: Error | undefined) => void
  /** Resolves when the next synced batch is handed to the database (it is then being written). */
  nextSync: () => Promise<void>
}

export function observeBatches (db: Db): ObservedDb {
  const synced: number[] = []
  let failure: Error | undefined
  let waiters: Array<() => void> = []
  const observed: Db = {
    ...(db.locks != null ? { locks: db.locks.bind(db) } : {}),
    ...(db.checksAbsence != null ? { checksAbsence: db.checksAbsence } : {}),
    sublevel: (name, options) => db.sublevel(name, options),
    batch: async (operations, options) => {
      if (options.sync) {
        const error = failure
        failure = undefined
        if (error != null) throw error
        synced.push(operations.length)
        const started = db.batch(operations, options)
        for (const wake of waiters) wake()
        waiters = []
        return await started
      }
      return await db.batch(operations, options)
    }
  }
  return {
    db: observed,
    synced,
    failNextSync: (error) => { failure = error },
    nextSync: async () => await new Promise<void>(resolve => waiters.push(resolve))
  }
}

/** A signed envelope; `n` makes each one distinct. */
export function envelope (device: SigningKeyPair, topic: string, n: number, options: { timestamp?: number, kind?: EnvelopeKind, payloadBytes?: number, expiresAt?: number } = {}): OpenedEnvelope {
  const payload = new Uint8Array(options.payloadBytes ?? 24).fill(n % 251)
  payload.set(utf8(String(n)).slice(0, payload.length))
  return sealEnvelope(device, { kind: options.kind ?? EnvelopeKind.APPLICATION, topic, timestamp: options.timestamp ?? NOW, senderSeq: n, payload, ...(options.expiresAt != null ? { expiresAt: options.expiresAt } : {}) })
}
