import type { AtRestCipher, KeyShape } from './at-rest.js'
import { asStorageError } from './errors.js'
import { planStoredRange, sealedEntries } from './sealed-range.js'

/**
 * The narrow slice of abstract-level that the device store uses. classic-level,
 * browser-level, memory-level and `level` all satisfy it structurally, with
 * whatever default encodings they were opened with, because every section is
 * a sublevel with its own encodings (utf8 keys, 'view' values).
 */
export interface LevelRange {
  gt?: string
  gte?: string
  lt?: string
  lte?: string
  reverse?: boolean
  limit?: number
}

export interface LevelSection {
  open: () => Promise<void>
  get: (key: string) => Promise<Uint8Array | undefined>
  getMany: (keys: string[]) => Promise<Array<Uint8Array | undefined>>
  hasMany: (keys: string[]) => Promise<boolean[]>
  iterator: (options: LevelRange) => { all: () => Promise<Array<[string, Uint8Array]>> }
  keys: (options: LevelRange) => { all: () => Promise<string[]> }
}

interface LevelBatch {
  put: (key: string, value: Uint8Array, options: { sublevel: LevelSection }) => unknown
  del: (key: string, options: { sublevel: LevelSection }) => unknown
  write: () => Promise<void>
  close: () => Promise<void>
}

interface LevelNamespace extends LevelSection {
  sublevel: (name: string, options: { keyEncoding: 'utf8', valueEncoding: 'view' }) => LevelSection
  batch: () => LevelBatch
}

/** Any abstract-level database: `new ClassicLevel(dir)`, `new BrowserLevel(name)`, `new MemoryLevel()`. */
export interface LevelDatabase {
  readonly status: 'opening' | 'open' | 'closing' | 'closed'
  open: () => Promise<void>
  close: () => Promise<void>
  sublevel: (name: string, options: { keyEncoding: 'utf8', valueEncoding: 'view' }) => LevelNamespace
  /** classic-level only (LevelDB): rewrite the files of a key range, dropping deleted and overwritten values. */
  compactRange?: (start: string, end: string) => Promise<void>
}

/** One keyspace of the store (a sublevel). Reads return plain Uint8Array copies and typed errors. */
export interface Section {
  readonly name: string
  get: (key: string) => Promise<Uint8Array | undefined>
  getMany: (keys: string[]) => Promise<Array<Uint8Array | undefined>>
  /** Which keys are present, without reading their values (a file's chunks are asked after by index, not read). */
  hasMany: (keys: string[]) => Promise<boolean[]>
  entries: (range: LevelRange) => Promise<Array<[string, Uint8Array]>>
}

export type WriteOp =
  | { type: 'put', section: Section, key: string, value: Uint8Array }
  | { type: 'del', section: Section, key: string }

export interface StorageBackend<Name extends string> {
  readonly sections: Readonly<Record<Name, Section>>
  /** Apply every op or none: one level batch across all sections. */
  write: (ops: WriteOp[]) => Promise<void>
  /**
   * Rewrite the whole database's files so that deleted values are gone from
   * disk, not just unreachable (LevelDB keeps them in older files until a
   * compaction reaches them). False when the database cannot (IndexedDB, memory).
   */
  compact: () => Promise<boolean>
  close: () => Promise<void>
}

const SECTION_ENCODINGS = { keyEncoding: 'utf8', valueEncoding: 'view' } as const

/** classic-level hands back Buffers; callers get plain, unshared Uint8Arrays. */
function plain (value: Uint8Array): Uint8Array {
  return new Uint8Array(value)
}

/** abstract-level encodes an `undefined` bound as the string "undefined"; drop such bounds. */
function definedRange (range: LevelRange): LevelRange {
  return Object.fromEntries(Object.entries(range).filter(([, value]) => value !== undefined))
}

export interface BackendOptions<Name extends string> {
  /** The sublevel holding every section. */
  namespace: string
  /** Seal every record (at-rest.ts); absent: records are stored as they are. */
  atRest?: { cipher: AtRestCipher, shapes: Readonly<Record<Name, KeyShape>> }
}

/** Open the database and one sublevel per name under the namespace. */
export async function openLevelBackend<Name extends string> (db: LevelDatabase, names: readonly Name[], options: BackendOptions<Name>): Promise<StorageBackend<Name>> {
  const levels = new Map<Section, LevelSection>()
  const sealing = new Map<Section, { cipher: AtRestCipher, shape: KeyShape }>()
  const sections = await guard('opening the database', async () => {
    await db.open()
    const namespace = db.sublevel(options.namespace, SECTION_ENCODINGS)
    await namespace.open()
    const opened = await Promise.all(names.map(async (name) => {
      const level = namespace.sublevel(name, SECTION_ENCODINGS)
      await level.open()
      const atRest = options.atRest
      const handle = atRest === undefined ? sectionOf(name, level) : sealedSectionOf(name, level, atRest.cipher, atRest.shapes[name])
      if (atRest !== undefined) sealing.set(handle, { cipher: atRest.cipher, shape: atRest.shapes[name] })
      levels.set(handle, level)
      return [name, handle] as const
    }))
    return { namespace, byName: Object.fromEntries(opened) as Record<Name, Section> }
  })

  async function write (ops: WriteOp[]): Promise<void> {
    if (ops.length === 0) return
    await guard('writing', async () => {
      const batch = sections.namespace.batch()
      try {
        for (const op of ops) {
          const sublevel = levels.get(op.section)
          if (sublevel === undefined) throw new Error(`section ${op.section.name} belongs to another store`)
          const seal = sealing.get(op.section)
          const key = seal === undefined ? op.key : seal.cipher.storedKey(op.section.name, seal.shape, op.key)
          if (op.type === 'put') batch.put(key, seal === undefined ? op.value : seal.cipher.seal(op.section.name, key, op.key, op.value), { sublevel })
          else batch.del(key, { sublevel })
        }
      } catch (err) {
        // Nothing was written; release the batch and report why it was never sent.
        await batch.close()
        throw err
      }
      await batch.write()
    })
  }

  return {
    sections: sections.byName,
    write,
    compact: async () => {
      const compactRange = db.compactRange
      if (compactRange === undefined) return false
      // every key the store writes is printable ASCII: U+0000..U+FFFF (UTF-8) spans them all
      await guard('compacting the database', async () => { await compactRange.call(db, '\u0000', '\uffff') })
      return true
    },
    close: async () => { await guard('closing the database', async () => { await db.close() }) }
  }
}

function sectionOf (name: string, level: LevelSection): Section {
  return {
    name,
    get: async (key) => await guard(`reading ${name}`, async () => {
      const value = await level.get(key)
      return value === undefined ? undefined : plain(value)
    }),
    getMany: async (keys) => await guard(`reading ${name}`, async () => {
      const values = await level.getMany(keys)
      return values.map(value => value === undefined ? undefined : plain(value))
    }),
    hasMany: async (keys) => await guard(`reading ${name}`, async () => await level.hasMany(keys)),
    entries: async (range) => await guard(`reading ${name}`, async () => {
      const entries = await level.iterator(definedRange(range)).all()
      return entries.map(([key, value]): [string, Uint8Array] => [key, plain(value)])
    })
  }
}

/**
 * A section whose records are sealed: callers see plain keys, plain values
 * and plain key order, level sees neither. Stored keys order like plain ones
 * only up to their hashed parts, so a range read goes through sealed-range.ts:
 * read a stored range that covers the plain one, open, filter, sort.
 */
function sealedSectionOf (name: string, level: LevelSection, cipher: AtRestCipher, shape: KeyShape): Section {
  const value = (storedKey: string, sealed: Uint8Array): Uint8Array => cipher.open(name, storedKey, sealed).value
  const read = async (range: LevelRange): Promise<Array<[string, Uint8Array]>> => await guard(`reading ${name}`, async () => await level.iterator(definedRange(range)).all())
  return {
    name,
    get: async (key) => {
      const storedKey = cipher.storedKey(name, shape, key)
      const sealed = await guard(`reading ${name}`, async () => await level.get(storedKey))
      return sealed === undefined ? undefined : value(storedKey, sealed)
    },
    getMany: async (keys) => {
      const storedKeys = keys.map(key => cipher.storedKey(name, shape, key))
      const values = await guard(`reading ${name}`, async () => await level.getMany(storedKeys))
      return values.map((sealed, i) => sealed === undefined ? undefined : value(storedKeys[i] ?? '', sealed))
    },
    // a stored key is derived from the plain one, so presence needs no record opened
    hasMany: async (keys) => await guard(`reading ${name}`, async () => await level.hasMany(keys.map(key => cipher.storedKey(name, shape, key)))),
    entries: async (range) => await sealedEntries(range, {
      read,
      plan: (plain) => planStoredRange(shape, (part) => cipher.namePart(name, part), plain),
      open: (storedKey, sealed) => cipher.open(name, storedKey, sealed)
    })
  }
}

async function guard<T> (doing: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn()
  } catch (err) {
    throw asStorageError(err, doing)
  }
}
