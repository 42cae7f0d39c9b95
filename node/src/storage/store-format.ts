import { fromUtf8, utf8 } from '@dak/protocol'
import type { AtRestCipher } from './at-rest.js'
import type { LevelDatabase, LevelRange, LevelSection } from './backend.js'
import { SEALED_NAMESPACE, STORE_NAMESPACE } from './constants.js'
import { asStorageError, CorruptRecordError, StoreLockedError, WrongStorageKeyError } from './errors.js'
import { KEY_SHAPES, SECTION_NAMES, type SectionName } from './layout.js'

/**
 * Which form a device's database is in, and the one-way move from the plain
 * form (every version before encryption at rest) to the sealed one.
 *
 * A sealed store keeps its records under SEALED_NAMESPACE; the plain form is
 * under STORE_NAMESPACE. 'dak-meta' says which one holds the truth:
 * `format` = 'sealed-v1' (with a sealed `check` record that tells a wrong
 * storage key from a right one) once the migration has finished. Until then
 * the plain records are the truth, so a migration killed at any point simply
 * starts over from its `progress` marker: sealed keys are a function of plain
 * keys, so writing a record again replaces it and nothing is duplicated.
 * Only after the flip to 'sealed-v1' are the plain records erased.
 */

const META_NAMESPACE = 'dak-meta'
const SEALED_V1 = 'sealed-v1'
const CHECK_TEXT = 'dak storage key check'
/** Records moved (or erased) per level batch: small enough to keep each batch's memory and time bounded. */
export const MIGRATION_BATCH = 256

const ENCODINGS = { keyEncoding: 'utf8', valueEncoding: 'view' } as const

interface RootBatch {
  put: (key: string, value: Uint8Array, options: { sublevel: LevelSection }) => unknown
  del: (key: string, options: { sublevel: LevelSection }) => unknown
  write: () => Promise<void>
}

/** The root database as the migration needs it: batches across namespaces, and LevelDB's compaction if it has one. */
interface RootDatabase extends LevelDatabase {
  batch: () => RootBatch
  compactRange?: (start: string, end: string) => Promise<void>
}

export interface MigrationProgress {
  section: SectionName
  moved: number
}

export interface PrepareOptions {
  /** Called after each batch of the migration is written (tests kill the process here). */
  onProgress?: (progress: MigrationProgress) => void
}

/** A store that holds sealed records must not be opened as a plain one: a plain write there would be a leak. */
export async function checkPlainStore (db: LevelDatabase): Promise<void> {
  await guard('opening the database', async () => { await db.open() })
  const meta = await openMeta(db)
  if (await readFormat(meta) === SEALED_V1) throw new StoreLockedError('this device store is encrypted at rest: it opens only with its storage key')
}

/**
 * Make sure the store is in sealed form under `cipher`'s key: check the key
 * of a sealed store, or migrate a plain one (resuming a migration that was
 * cut off), then erase any plain records left behind.
 */
export async function prepareSealedStore (db: LevelDatabase, cipher: AtRestCipher, options: PrepareOptions = {}): Promise<void> {
  await guard('opening the database', async () => { await db.open() })
  const root = db as RootDatabase
  const meta = await openMeta(db)
  const plain = await openSections(db, STORE_NAMESPACE)
  const sealed = await openSections(db, SEALED_NAMESPACE)
  if (await readFormat(meta) === SEALED_V1) {
    checkKey(cipher, await get(meta, 'check'))
  } else {
    await migrate(root, meta, plain, sealed, cipher, options)
  }
  await erasePlain(root, plain)
}

async function migrate (root: RootDatabase, meta: LevelSection, plain: Sections, sealed: Sections, cipher: AtRestCipher, options: PrepareOptions): Promise<void> {
  const resume = parseProgress(await get(meta, 'progress'))
  let started = resume === undefined
  for (const section of SECTION_NAMES) {
    if (!started && section !== resume?.section) continue
    let after = section === resume?.section ? resume.after : undefined
    started = true
    let moved = 0
    for (;;) {
      const range: LevelRange = after === undefined ? { limit: MIGRATION_BATCH } : { gt: after, limit: MIGRATION_BATCH }
      const page = await guard(`migrating ${section}`, async () => await plain[section].iterator(range).all())
      if (page.length === 0) break
      const batch = root.batch()
      for (const [key, value] of page) {
        const storedKey = cipher.storedKey(section, KEY_SHAPES[section], key)
        batch.put(storedKey, cipher.seal(section, storedKey, key, new Uint8Array(value)), { sublevel: sealed[section] })
      }
      after = page[page.length - 1]?.[0]
      // the marker lands with the records it covers, so a restart never skips one
      batch.put('progress', utf8(JSON.stringify({ section, after })), { sublevel: meta })
      await guard(`migrating ${section}`, async () => { await batch.write() })
      moved += page.length
      options.onProgress?.({ section, moved })
    }
  }
  // The flip: from here on the sealed records are the truth.
  const flip = root.batch()
  flip.put('format', utf8(SEALED_V1), { sublevel: meta })
  flip.put('check', cipher.seal(META_NAMESPACE, 'check', 'check', utf8(CHECK_TEXT)), { sublevel: meta })
  flip.del('progress', { sublevel: meta })
  await guard('finishing the migration', async () => { await flip.write() })
}

/** Delete the plain records (after a migration, or what a cut-off erase left), then let LevelDB drop them from its files. */
async function erasePlain (root: RootDatabase, plain: Sections): Promise<void> {
  let erased = 0
  for (const section of SECTION_NAMES) {
    for (;;) {
      const keys = await guard(`erasing plain ${section}`, async () => await plain[section].keys({ limit: MIGRATION_BATCH }).all())
      if (keys.length === 0) break
      const batch = root.batch()
      for (const key of keys) batch.del(key, { sublevel: plain[section] })
      await guard(`erasing plain ${section}`, async () => { await batch.write() })
      erased += keys.length
    }
  }
  // Deleted LevelDB records stay in its log and table files until compacted: compact, so none of it stays readable on disk.
  if (erased > 0 && typeof root.compactRange === 'function') {
    await guard('compacting after the migration', async () => { await root.compactRange?.('\x00', '\xff') })
  }
}

function checkKey (cipher: AtRestCipher, check: Uint8Array | undefined): void {
  if (check === undefined) throw new CorruptRecordError('dak-meta/check: a sealed store without its key check')
  let text: string
  try {
    text = fromUtf8(cipher.open(META_NAMESPACE, 'check', check).value)
  } catch {
    throw new WrongStorageKeyError('this device store was sealed with another storage key')
  }
  if (text !== CHECK_TEXT) throw new WrongStorageKeyError('this device store was sealed with another storage key')
}

type Sections = Record<SectionName, LevelSection>

async function openSections (db: LevelDatabase, namespace: string): Promise<Sections> {
  return await guard('opening the database', async () => {
    const parent = db.sublevel(namespace, ENCODINGS)
    await parent.open()
    const opened = await Promise.all(SECTION_NAMES.map(async (name) => {
      const level = parent.sublevel(name, ENCODINGS)
      await level.open()
      return [name, level] as const
    }))
    return Object.fromEntries(opened) as Sections
  })
}

async function openMeta (db: LevelDatabase): Promise<LevelSection> {
  return await guard('opening the database', async () => {
    const meta = db.sublevel(META_NAMESPACE, ENCODINGS)
    await meta.open()
    return meta
  })
}

async function get (meta: LevelSection, key: string): Promise<Uint8Array | undefined> {
  return await guard('reading the store format', async () => await meta.get(key))
}

async function readFormat (meta: LevelSection): Promise<string | undefined> {
  const format = await get(meta, 'format')
  return format === undefined ? undefined : fromUtf8(format)
}

function parseProgress (bytes: Uint8Array | undefined): { section: SectionName, after: string } | undefined {
  if (bytes === undefined) return undefined
  try {
    const { section, after } = JSON.parse(fromUtf8(bytes)) as { section: unknown, after: unknown }
    if ((SECTION_NAMES as readonly unknown[]).includes(section) && typeof after === 'string') return { section: section as SectionName, after }
    return undefined
  } catch {
    // An unreadable marker costs only time: the migration starts over, and rewriting a record replaces it.
    return undefined
  }
}

async function guard<T> (doing: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn()
  } catch (err) {
    throw asStorageError(err, doing)
  }
}
