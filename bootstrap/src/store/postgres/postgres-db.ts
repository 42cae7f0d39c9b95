import { AsyncLocalStorage } from 'node:async_hooks'
import postgres, { type Sql, type TransactionSql } from 'postgres'
import { InvalidArgumentError } from '@dak/protocol'
import { EngineUnavailableError, WriteConflictError } from '../errors.js'
import type { BatchOp, Db, Locks, Range, Table } from '../level.js'
import { KeyedMutex } from '../mutex.js'
import { guardClosedSocketWrites } from './closed-socket-guard.js'
import { createSchema, KV_TABLE } from './schema.js'

/**
 * The department registries' Db on PostgreSQL: what lets several
 * department-node processes share one department's state (docs/scaled.md).
 *
 * Every registry keeps its layout (sublevels of string keys, ordered): here a
 * sublevel is the `sub` column of one table keyed (sub, key) in byte order
 * (COLLATE "C", LevelDB's order), so the registries run unchanged on either
 * engine and the same contract tests hold them to the same behaviour.
 *
 * What LevelDB gets from being owned by one process, PostgreSQL gives across
 * processes:
 * - locks(): a registry's read-modify-write runs in one transaction holding
 *   transaction-scoped advisory locks on its keys. Reads and writes inside it
 *   go through that transaction (found by AsyncLocalStorage), and its result
 *   is returned only after COMMIT. A process that dies, or loses its
 *   connection, loses the locks and the uncommitted transaction together:
 *   nothing it had not committed was ever acknowledged.
 * - batch(): one transaction; a put marked ifAbsent is an INSERT … ON
 *   CONFLICT DO NOTHING whose missing row fails the whole batch (the
 *   sequencer's fence: one record per group and epoch, whatever a lock did).
 * - durability: COMMIT returns once the WAL is flushed and, with synchronous
 *   replication configured on the engine, once a standby has it too.
 */

type Query = Sql | TransactionSql
type Encoding = 'json' | 'utf8' | 'view'

/** Rows read per round trip when a range is iterated without a limit. */
const PAGE_ROWS = 1000

export interface PostgresDbOptions {
  /**
   * postgres://user@host:port[,host:port…]/database[?schema=name]: several
   * hosts for a replica set (the primary is found); `schema` (default dak)
   * lets departments, or tests, share one engine.
   */
  url: string
  /** Schema to keep the tables in (created if missing); overrides the URL's. */
  schema?: string
  /** Connections in this process's pool. */
  maxConnections?: number
  /** Where notices and background errors go. */
  onError?: (err: unknown) => void
}

export class PostgresDb implements Db {
  readonly checksAbsence = true
  /**
   * The transaction the current async context runs in. `open` turns false at
   * COMMIT or ROLLBACK: a context can outlive its transaction (a socket made
   * inside one carries it into every later callback of that socket), and a
   * query on an ended transaction would wait forever.
   */
  private readonly inTransaction = new AsyncLocalStorage<{ tx: TransactionSql, open: boolean }>()
  private readonly tables = new Map<string, PgTable<unknown>>()

  private constructor (readonly sql: Sql, readonly schema: string) {}

  static async open (options: PostgresDbOptions): Promise<PostgresDb> {
    const { url, schema: inUrl } = splitSchema(options.url)
    const schema = options.schema ?? inUrl ?? 'dak'
    // a dying engine server must not take this process with it (closed-socket-guard.ts)
    guardClosedSocketWrites()
    if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new InvalidArgumentError(`schema "${schema}" must be a lower-case SQL identifier`)
    const sql = postgres(url, {
      max: options.maxConnections ?? 10,
      // a replica set: connect to whichever host is the primary now, and again after a failover.
      // 'primary' (not in recovery), not 'read-write': postgres.js judges read-write by
      // default_transaction_read_only alone, which a hot standby reports as off (primary-choice.test.ts)
      target_session_attrs: 'primary',
      connect_timeout: 10,
      onnotice: () => {},
      connection: { application_name: 'dak-node', search_path: schema }
    })
    try {
      await createSchema(sql, schema)
    } catch (err) {
      await sql.end({ timeout: 1 }).catch(() => {})
      throw new EngineUnavailableError(`cannot use the PostgreSQL store at ${redact(options.url)}: ${(err as Error).message}`)
    }
    return new PostgresDb(sql, schema)
  }

  sublevel<V> (name: string, options: { valueEncoding: Encoding }): Table<V> {
    const table = new PgTable<V>(this, name, options.valueEncoding)
    this.tables.set(name, table as PgTable<unknown>)
    return table
  }

  /** A Db whose sublevel names all start with `prefix`: what a nested LevelDB sublevel is, for tests that want a fresh one. */
  within (prefix: string): Db {
    return {
      sublevel: (name, options) => this.sublevel(`${prefix}!${name}`, options),
      batch: async (operations, options) => { await this.batch(operations, options) },
      locks: (scope) => this.locks(`${prefix}!${scope}`),
      checksAbsence: true
    }
  }

  /** The transaction the caller runs in, if any, else the pool. */
  query (): Query {
    return this.current() ?? this.sql
  }

  private current (): TransactionSql | undefined {
    const store = this.inTransaction.getStore()
    return store?.open === true ? store.tx : undefined
  }

  /** Run `work` outside any transaction (a callback that must not inherit one, such as a LISTEN handler). */
  outside<T> (work: () => T): T {
    return this.inTransaction.exit(work)
  }

  async batch (operations: Array<BatchOp | { type: 'put' | 'del', sublevel?: Table<unknown>, key: string, value?: unknown }>, _options: { sync: boolean }): Promise<void> {
    await this.transaction(async (tx) => { await applyBatch(tx, operations) })
  }

  locks (scope: string): Locks {
    const local = new KeyedMutex()
    return {
      run: async <T>(keys: string[], work: () => Promise<T>): Promise<T> => {
        // This process's own waiters queue in memory first, rather than each holding a pooled connection while blocked.
        return await local.run(keys, async () => await this.transaction(async (tx) => {
          const names = [...new Set(keys)].sort().map(key => `${scope}:${key}`)
          // In sorted order, as KeyedMutex does, so two processes never wait on each other.
          for (const name of names) await tx`select pg_advisory_xact_lock(hashtextextended(${name}, 0))`
          return await work()
        }))
      }
    }
  }

  /** Run `work` in a transaction: the caller's if it is in one (locks nest), else a new one committed before this returns. */
  async transaction<T> (work: (tx: TransactionSql) => Promise<T>): Promise<T> {
    const current = this.current()
    if (current != null) return await work(current)
    return await this.sql.begin(async (tx) => {
      const store = { tx, open: true }
      try {
        return await this.inTransaction.run(store, async () => await work(tx))
      } finally {
        store.open = false
      }
    }) as T
  }

  async close (): Promise<void> {
    await this.sql.end({ timeout: 5 })
  }
}

async function applyBatch (tx: TransactionSql, operations: Array<{ type: 'put' | 'del', sublevel?: Table<unknown>, key: string, value?: unknown, ifAbsent?: boolean }>): Promise<void> {
  // Only the last operation on a key counts, as in a LevelDB batch; one statement may not touch a row twice.
  const last = new Map<string, { sub: string, key: string, op: typeof operations[number] }>()
  for (const op of operations) {
    if (!(op.sublevel instanceof PgTable)) throw new InvalidArgumentError('a PostgreSQL batch operation names a sublevel of the same database')
    last.set(`${op.sublevel.name}\u0000${op.key}`, { sub: op.sublevel.name, key: op.key, op })
  }
  const puts = { subs: [] as string[], keys: [] as string[], values: [] as string[] }
  const fenced = { subs: [] as string[], keys: [] as string[], values: [] as string[] }
  const dels = { subs: [] as string[], keys: [] as string[] }
  for (const { sub, key, op } of last.values()) {
    if (op.type === 'del') {
      dels.subs.push(sub)
      dels.keys.push(key)
      continue
    }
    const target = op.ifAbsent === true ? fenced : puts
    target.subs.push(sub)
    target.keys.push(key)
    // hex: postgres.js sends no bytea[] parameter, and decode() on the server is cheap next to the fsync
    target.values.push(encode((op.sublevel as PgTable<unknown>).encoding, op.value).toString('hex'))
  }
  if (dels.keys.length > 0) {
    await tx`delete from ${tx(KV_TABLE)} where (sub, key) in (select * from unnest(${dels.subs}::text[], ${dels.keys}::text[]))`
  }
  if (fenced.keys.length > 0) {
    const inserted = await tx`insert into ${tx(KV_TABLE)} (sub, key, value)
      select s, k, decode(v, 'hex') from unnest(${fenced.subs}::text[], ${fenced.keys}::text[], ${fenced.values}::text[]) as u(s, k, v)
      on conflict (sub, key) do nothing returning key`
    if (inserted.length !== fenced.keys.length) {
      const taken = fenced.keys.filter(key => !inserted.some(row => row.key === key))
      throw new WriteConflictError(`${taken.join(', ')} was written already (by another process?): refusing to overwrite it`)
    }
  }
  if (puts.keys.length > 0) {
    await tx`insert into ${tx(KV_TABLE)} (sub, key, value)
      select s, k, decode(v, 'hex') from unnest(${puts.subs}::text[], ${puts.keys}::text[], ${puts.values}::text[]) as u(s, k, v)
      on conflict (sub, key) do update set value = excluded.value`
  }
}

function encode (encoding: Encoding, value: unknown): Buffer {
  if (encoding === 'view') {
    if (!(value instanceof Uint8Array)) throw new InvalidArgumentError('a binary sublevel stores bytes')
    return Buffer.from(value.buffer, value.byteOffset, value.byteLength)
  }
  return Buffer.from(encoding === 'utf8' ? String(value) : JSON.stringify(value), 'utf8')
}

function decode<V> (encoding: Encoding, bytes: Buffer): V {
  if (encoding === 'view') return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength) as V
  const text = bytes.toString('utf8')
  return (encoding === 'utf8' ? text : JSON.parse(text)) as V
}

/** The URL without its `schema` parameter (ours, not a server setting), and that parameter. */
function splitSchema (url: string): { url: string, schema?: string } {
  const match = /([?&])schema=([^&]*)&?/.exec(url)
  if (match == null) return { url }
  const rest = url.slice(0, match.index) + (match[0].endsWith('&') ? match[1] : '') + url.slice(match.index + match[0].length)
  return { url: rest.replace(/[?&]$/, ''), schema: decodeURIComponent(match[2] ?? '') }
}

function redact (url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@')
}

interface Row { key: string, value: Buffer }

class PgTable<V> implements Table<V> {
  constructor (private readonly db: PostgresDb, readonly name: string, readonly encoding: Encoding) {}

  async get (key: string): Promise<V | undefined> {
    const q = this.db.query()
    const [row] = await q<Row[]>`select value from ${q(KV_TABLE)} where sub = ${this.name} and key = ${key}`
    return row == null ? undefined : decode<V>(this.encoding, row.value)
  }

  async getMany (keys: string[]): Promise<Array<V | undefined>> {
    if (keys.length === 0) return []
    const q = this.db.query()
    const rows = await q<Row[]>`select key, value from ${q(KV_TABLE)} where sub = ${this.name} and key = any(${keys}::text[])`
    const found = new Map(rows.map(row => [row.key, row.value]))
    return keys.map(key => { const value = found.get(key); return value == null ? undefined : decode<V>(this.encoding, value) })
  }

  async hasMany (keys: string[]): Promise<boolean[]> {
    if (keys.length === 0) return []
    const q = this.db.query()
    const rows = await q<Array<{ key: string }>>`select key from ${q(KV_TABLE)} where sub = ${this.name} and key = any(${keys}::text[])`
    const found = new Set(rows.map(row => row.key))
    return keys.map(key => found.has(key))
  }

  iterator (range: Range = {}): Reader<[string, V]> {
    return reader(this.rows(range, true), row => [row.key, decode<V>(this.encoding, row.value)])
  }

  keys (range: Range = {}): Reader<string> {
    return reader(this.rows(range, false), row => row.key)
  }

  values (range: Range = {}): Reader<V> {
    return reader(this.rows(range, true), row => decode<V>(this.encoding, row.value))
  }

  async clear (range: Range = {}): Promise<void> {
    if (range.limit != null) throw new InvalidArgumentError('clear() with a limit is not supported on PostgreSQL')
    const q = this.db.query()
    await q`delete from ${q(KV_TABLE)} where sub = ${this.name} ${bounds(q, range)}`
  }

  /** The range in key order, a page at a time (keyset pagination: no cursor held open between pages). */
  private async * rows (range: Range, withValues: boolean): AsyncGenerator<Row> {
    let remaining = range.limit ?? Infinity
    let after: string | undefined
    while (remaining > 0) {
      const q = this.db.query()
      const page = Math.min(remaining, PAGE_ROWS)
      const from = after == null ? range : { ...range, gt: after, gte: undefined }
      const rows = await q<Row[]>`select key, ${withValues ? q`value` : q`null as value`} from ${q(KV_TABLE)}
        where sub = ${this.name} ${bounds(q, from)} order by key limit ${page}`
      yield * rows
      if (rows.length < page) return
      remaining -= rows.length
      after = rows[rows.length - 1]?.key
    }
  }
}

function bounds (q: Query, range: Range): postgres.Fragment {
  let fragment: postgres.Fragment = q``
  if (range.gt != null) fragment = q`${fragment} and key > ${range.gt}`
  if (range.gte != null) fragment = q`${fragment} and key >= ${range.gte}`
  if (range.lt != null) fragment = q`${fragment} and key < ${range.lt}`
  if (range.lte != null) fragment = q`${fragment} and key <= ${range.lte}`
  return fragment
}

interface Reader<T> extends AsyncIterable<T> {
  all: () => Promise<T[]>
}

function reader<R, T> (rows: AsyncGenerator<R>, map: (row: R) => T): Reader<T> {
  const items = async function * (): AsyncGenerator<T> { for await (const row of rows) yield map(row) }
  return {
    [Symbol.asyncIterator]: () => items(),
    all: async () => { const out: T[] = []; for await (const item of items()) out.push(item); return out }
  }
}
