import { WriteConflictError } from './errors.js'
import { KeyedMutex } from './mutex.js'

/**
 * The narrow part of abstract-level the department registries use. A
 * classic-level database (production), any sublevel of it, or a memory-level
 * database all satisfy it. It is declared here rather than taken from
 * abstract-level's classes because those are invariant in their own type
 * (hooks), so a ClassicLevel would not pass as an AbstractLevel parameter.
 */
export interface Db {
  /** Each registry makes its own sublevels, string keys, values in the given encoding. */
  sublevel<V> (name: string, options: { valueEncoding: 'json' | 'utf8' | 'view' }): Table<V>
  batch (operations: BatchOpLike[], options: { sync: boolean }): Promise<void>
  /**
   * The seam for a shared engine (store/postgres): locks that hold across every
   * process using the database, for the registries' read-modify-writes. Absent on
   * an embedded LevelDB, which one process owns: an in-memory KeyedMutex serves.
   */
  locks?: (scope: string) => Locks
  /** True when batch() itself refuses a put marked ifAbsent whose key exists (in the same atomic write). */
  readonly checksAbsence?: boolean
}

/** Serialises async work per key: in one process (KeyedMutex) or across all of them (PostgresDb). */
export interface Locks {
  run: <T>(keys: string[], work: () => Promise<T>) => Promise<T>
}

export interface Range {
  gt?: string
  gte?: string
  lt?: string
  lte?: string
  limit?: number
}

interface Reader<T> extends AsyncIterable<T> {
  all: () => Promise<T[]>
}

/** A sublevel: string keys, values of type V (only reads: writes go through writeDurably). */
export interface Table<V> {
  get (key: string): Promise<V | undefined>
  getMany (keys: string[]): Promise<Array<V | undefined>>
  hasMany (keys: string[]): Promise<boolean[]>
  iterator (options?: Range): Reader<[string, V]>
  keys (options?: Range): Reader<string>
  values (options?: Range): Reader<V>
  clear (options?: Range): Promise<void>
}

/** One operation of an atomic batch across sublevels of one Db (descendants of it). */
export type BatchOp =
  /** ifAbsent: the whole batch fails with WriteConflictError if the key is already there (a fence, not a lock). */
  | { type: 'put', sublevel: Table<unknown>, key: string, value: unknown, ifAbsent?: boolean }
  | { type: 'del', sublevel: Table<unknown>, key: string }

/**
 * What Db.batch is declared to take: BatchOp with the sublevel optional, as in
 * abstract-level, so that abstract-level's own batch() fits this contract.
 */
type BatchOpLike =
  | { type: 'put', sublevel?: Table<unknown>, key: string, value: unknown }
  | { type: 'del', sublevel?: Table<unknown>, key: string }

/**
 * The one way a registry writes anything it will acknowledge: a single atomic
 * batch, fsynced before the promise resolves (classic-level's `sync`). What
 * was acknowledged after this resolved survives kill -9 and power loss.
 */
export async function writeDurably (db: Db, ops: BatchOp[]): Promise<void> {
  if (ops.length === 0) return
  if (db.checksAbsence !== true) {
    // LevelDB cannot make a write conditional; its one writer holds the registry's lock, so reading first is exact.
    for (const op of ops) {
      if (op.type === 'put' && op.ifAbsent === true && (await op.sublevel.hasMany([op.key]))[0] === true) {
        throw new WriteConflictError(`${op.key} was written already: refusing to overwrite it`)
      }
    }
  }
  await db.batch(ops, { sync: true })
}

/** Which locks a registry takes: the database's own (shared engine), else a mutex of this process. */
export function locksFor (db: Db, scope: string): Locks {
  return db.locks?.(scope) ?? new KeyedMutex()
}

/** Digits of Number.MAX_SAFE_INTEGER: zero-padded numbers sort as strings in numeric order. */
const NUMBER_KEY_DIGITS = 16

export function numberKey (n: number): string {
  return n.toString().padStart(NUMBER_KEY_DIGITS, '0')
}

/**
 * Keys are `<group>:<rest>` with a group of hex or handle characters, none of
 * which is ':' or ';'. So every key of a group lies in [`group:`, `group;`)
 * and no other group's keys do.
 */
export function groupRange (group: string): { gte: string, lt: string } {
  return { gte: `${group}:`, lt: `${group};` }
}

/**
 * classic-level hands binary values back as Buffers; callers get plain
 * Uint8Arrays (same memory, no copy) so results compare and serialise alike
 * in Node and the browser.
 */
export function asBytes (value: Uint8Array): Uint8Array {
  return value.constructor === Uint8Array ? value : new Uint8Array(value.buffer, value.byteOffset, value.byteLength)
}
