import { splitParts, TIME_PART, type KeyShape } from './at-rest.js'
import type { LevelRange } from './backend.js'
import { KEY_SEPARATOR, KEY_SEPARATOR_END } from './constants.js'

/**
 * Range reads on a sealed section, with exactly the answers a plain section
 * gives. Stored keys keep timestamps and hash names (at-rest.ts), so stored
 * order is plain order between different timestamps, but between two names
 * (two message ids in one millisecond, two conversations) it is the order of
 * their hashes. A read therefore:
 *
 * 1. asks level for a stored range that covers the plain one: a bound's
 *    trailing name is widened to its whole timestamp (or dropped), and a bound
 *    whose leading name is not shared by the other bound is dropped;
 * 2. opens every record, keeps those inside the plain bounds;
 * 3. with a limit, reads in stored order until it has enough, then the rest
 *    of the last timestamp it touched, because plain order inside that
 *    millisecond may put a record it has not read yet first (a couple of
 *    records read ahead usually show that timestamp ended: sealedEntries);
 * 4. sorts by plain key and cuts to the limit.
 *
 * Without a timestamp in the shape, or when a range spans several leading
 * names, a limited read cannot stop early and reads the whole stored range.
 */

export interface StoredRangePlan {
  /** Stored bounds covering the plain range (no limit, no direction). */
  stored: LevelRange
  /** Whether stored order may be followed in pages (see 3 above). */
  pageable: boolean
  /** The stored range of every key that shares `storedKey`'s timestamp (and the names before it). */
  bucketOf: (storedKey: string) => LevelRange | undefined
}

export function planStoredRange (shape: KeyShape, namePart: (part: string) => string, range: LevelRange): StoredRangePlan {
  const lower = range.gte ?? range.gt
  const upper = range.lte ?? range.lt
  const firstTime = shape.indexOf('time')
  const lastTime = shape.lastIndexOf('time')
  const leading = firstTime < 0 ? shape.length : firstTime

  // the plain parts before position i are the same in both bounds: hashing them keeps the stored range inside one group
  const shared = (i: number): boolean => {
    if (lower === undefined || upper === undefined) return false
    const a = splitParts(lower, shape.length)
    const b = splitParts(upper, shape.length)
    return a.slice(0, i + 1).every((part, j) => part === b[j])
  }

  const storedBound = (bound: string | undefined, side: 'lower' | 'upper'): string | undefined => {
    if (bound === undefined) return undefined
    const parts = splitParts(bound, shape.length)
    const out: string[] = []
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i] ?? ''
      const last = i === parts.length - 1
      if (last && (part === '' || part === KEY_SEPARATOR_END)) { out.push(part); break }
      if (shape[i] === 'time' && TIME_PART.test(part)) { out.push(part); continue }
      if (last) {
        // a trailing name: its hash orders nowhere in particular, so take its whole group
        if (i === 0) return undefined
        out.push(side === 'lower' ? '' : KEY_SEPARATOR_END)
        break
      }
      if (!shared(i)) return undefined
      out.push(namePart(part))
    }
    return out.join(KEY_SEPARATOR)
  }

  const gte = storedBound(lower, 'lower')
  const lt = storedBound(upper, 'upper')
  // a widened or dropped bound is inclusive of its group: gte/lt, with the plain filter doing the rest
  const stored: LevelRange = {
    ...(gte !== undefined ? (range.gt !== undefined && gte === lower ? { gt: gte } : { gte }) : {}),
    ...(lt !== undefined ? (range.lte !== undefined && lt === upper ? { lte: lt } : { lt }) : {})
  }
  const pageable = lastTime >= 0 && lastTime < shape.length - 1 && (leading === 0 || shared(leading - 1))

  return {
    stored,
    pageable,
    bucketOf (storedKey) {
      const parts = splitParts(storedKey, shape.length)
      if (parts.length <= lastTime + 1) return undefined
      const prefix = parts.slice(0, lastTime + 1).join(KEY_SEPARATOR) + KEY_SEPARATOR
      return { gte: prefix, lt: prefix + KEY_SEPARATOR_END }
    }
  }
}

/** Records read past what a limited read still needs: a widened bound's own record, and one to show the last timestamp is whole. */
const LOOKAHEAD = 2

export interface SealedReader {
  read: (range: LevelRange) => Promise<Array<[string, Uint8Array]>>
  plan: (range: LevelRange) => StoredRangePlan
  open: (storedKey: string, sealed: Uint8Array) => { key: string, value: Uint8Array }
}

/** A plain range read (keys, values, order, limit) over sealed records. */
export async function sealedEntries (range: LevelRange, reader: SealedReader): Promise<Array<[string, Uint8Array]>> {
  const limit = range.limit
  if (limit !== undefined && limit <= 0) return []
  const plan = reader.plan(range)
  const reverse = range.reverse === true
  const found = new Map<string, [string, Uint8Array]>()
  const take = (page: Array<[string, Uint8Array]>): void => {
    for (const [storedKey, sealed] of page) {
      if (found.has(storedKey)) continue
      const record = reader.open(storedKey, sealed)
      if (inRange(record.key, range)) found.set(storedKey, [record.key, record.value])
    }
  }

  if (limit === undefined || !plan.pageable) {
    take(await reader.read(plan.stored))
  } else {
    let window = plan.stored
    // Each read asks for what is still missing and LOOKAHEAD records more, opened only when
    // they share the last timestamp taken: a record of another timestamp after it shows that
    // timestamp is whole, so the common page costs one level read, not three (a widened bound's
    // own record outside the range, and a separate read of the last timestamp, each cost one).
    // Each read either ends the loop or moves past at least one stored record: bounded by the range's size.
    for (;;) {
      const ask = limit - found.size + LOOKAHEAD
      const page = await reader.read({ ...window, reverse, limit: ask })
      let next = 0
      let lastTaken: string | undefined
      for (; next < page.length && found.size < limit; next++) {
        const entry = page[next] as [string, Uint8Array]
        take([entry])
        lastTaken = entry[0]
      }
      if (found.size >= limit && lastTaken !== undefined) {
        const bucket = plan.bucketOf(lastTaken)
        const after = page.slice(next)
        const sameTime = after.filter(([storedKey]) => bucket !== undefined && within(storedKey, bucket))
        take(sameTime)
        // the page ended inside the last timestamp: the rest of it may lie beyond
        if (bucket !== undefined && page.length === ask && sameTime.length === after.length) take(await reader.read(bucket))
        break
      }
      const last = page[page.length - 1]?.[0]
      if (page.length < ask || last === undefined) break
      const { gt, gte, lt, lte, ...rest } = window
      window = reverse ? { ...rest, gt, gte, lt: last } : { ...rest, gt: last, lt, lte }
    }
  }

  const sorted = [...found.values()].sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0)
  if (reverse) sorted.reverse()
  return limit === undefined ? sorted : sorted.slice(0, limit)
}

function within (storedKey: string, bucket: LevelRange): boolean {
  return (bucket.gte === undefined || storedKey >= bucket.gte) && (bucket.lt === undefined || storedKey < bucket.lt)
}

function inRange (key: string, range: LevelRange): boolean {
  if (range.gt !== undefined && !(key > range.gt)) return false
  if (range.gte !== undefined && !(key >= range.gte)) return false
  if (range.lt !== undefined && !(key < range.lt)) return false
  if (range.lte !== undefined && !(key <= range.lte)) return false
  return true
}
