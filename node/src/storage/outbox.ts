import { InvalidArgumentError } from '@dak/protocol'
import { retryDelay } from './backoff.js'
import { bytesField, decodeRecord, encodeRecord } from './codec.js'
import { CorruptRecordError, RecordExistsError, RecordNotFoundError } from './errors.js'
import { joinKey, keyPart, parseTimeKey, prefixRange, splitKey, timeKey } from './keys.js'
import { EMPTY, type RepositoryContext, type Sections } from './layout.js'
import type { WriteTransaction } from './transaction.js'

/**
 * Work that must reach the network, written before any network I/O so that
 * nothing the officer sent is lost to a crash or an outage. Entries are kept
 * by id, with an index `<nextAttemptAt>!<id>` so "what is due now" is one
 * range read. An entry leaves only through `complete` (a store or delivery
 * receipt arrived); failures just push nextAttemptAt out with backoff.
 */
export interface OutboxEntry {
  id: string
  /** The conversation (topic) the payload is for. */
  conversationId: string
  /** What the payload is, for the sender: e.g. 'message', 'receipt', 'commit', 'welcome'. */
  kind: string
  /** Plaintext to encrypt, or prepared bytes (an envelope) to publish as they are. */
  payload: Uint8Array
  createdAt: number
  attempts: number
  nextAttemptAt: number
  lastError?: string
  /** Which lane it waits in (OUTBOX_LANES): absent = the bulk lane, after every numbered one. */
  lane?: number
}

export interface NewOutboxEntry {
  id: string
  conversationId: string
  kind: string
  payload: Uint8Array
  createdAt: number
  /** First attempt; defaults to createdAt (immediately). */
  nextAttemptAt?: number
  /** 0 to OUTBOX_LANES - 1, lowest first (messenger/precedence-lanes.ts); absent = bulk, sent after every lane. */
  lane?: number
}

export type OutboxOp =
  | { type: 'outbox-add', entry: NewOutboxEntry }
  | { type: 'outbox-attempt', id: string, now: number, error?: string }
  | { type: 'outbox-complete', id: string }

export interface OutboxRepository {
  add: (entry: NewOutboxEntry) => Promise<OutboxEntry>
  get: (id: string) => Promise<OutboxEntry | undefined>
  /**
   * Entries whose nextAttemptAt is at or before `now`: lane 0's first, then
   * lane 1's, and so on, then the bulk (unlaned) ones; soonest first within each.
   */
  due: (now: number, options?: { limit?: number }) => Promise<OutboxEntry[]>
  /** When the earliest entry becomes due (to arm one timer), or undefined if the outbox is empty. */
  nextDueAt: () => Promise<number | undefined>
  /** How many entries wait (the UI's "queued" count). */
  size: () => Promise<number>
  /** Count a failed attempt at `now` and schedule the next one with backoff. */
  recordAttempt: (id: string, now: number, error?: string) => Promise<OutboxEntry>
  /** Remove the entry; false if it was already gone (receipts can arrive twice). */
  complete: (id: string) => Promise<boolean>
  /**
   * Make every entry waiting past `now` due at `now`, its attempts and last error kept: the
   * link is back, and what backed off while it was down (up to minutes) should not wait out
   * its backoff. Resolves with how many entries moved.
   */
  retryNow: (now: number) => Promise<number>
}

const MAX_KIND_LENGTH = 64
/** Entries moved per transaction by retryNow: a big outbox is rewritten in several batches, never one huge one. */
const RETRY_NOW_BATCH = 64
const MAX_ERROR_LENGTH = 500
/**
 * Numbered lanes ahead of the bulk: the messenger puts a flash message and
 * membership work in 0, immediate in 1, routine chat messages in 2, and
 * receipts and other control traffic in none (bulk). One index per lane, so
 * the first due entry of a higher lane is one short range read however much
 * bulk waits (issue 11 part 4).
 */
export const OUTBOX_LANES = 3

function dueKey (entry: Pick<OutboxEntry, 'nextAttemptAt' | 'id'>): string {
  return joinKey(timeKey(entry.nextAttemptAt), entry.id)
}

/** Every laned entry is in 'outbox-due' as well (size, nextDueAt) and in 'outbox-lanes' as `<lane>!<nextAttemptAt>!<id>`. */
function laneKey (entry: Pick<OutboxEntry, 'nextAttemptAt' | 'id' | 'lane'>): string | undefined {
  return entry.lane === undefined ? undefined : joinKey(String(entry.lane), timeKey(entry.nextAttemptAt), entry.id)
}

function checkLane (lane: unknown): void {
  if (lane !== undefined && (!Number.isSafeInteger(lane) || (lane as number) < 0 || (lane as number) >= OUTBOX_LANES)) throw new InvalidArgumentError(`an outbox lane is 0-${OUTBOX_LANES - 1}, or absent for bulk`)
}

function decodeEntry (id: string, bytes: Uint8Array): OutboxEntry {
  return decodeRecord(bytes, `outbox/${id}`, (r) => {
    if (r.string('id') !== id) throw r.corrupt('id does not match its key')
    const lastError = r.optionalString('lastError')
    const lane = r.optionalCount('lane')
    if (lane !== undefined && lane >= OUTBOX_LANES) throw r.corrupt(`lane ${lane} is not 0-${OUTBOX_LANES - 1}`)
    return {
      id,
      conversationId: r.string('conversationId'),
      kind: r.string('kind'),
      payload: r.bytes('payload'),
      createdAt: r.count('createdAt'),
      attempts: r.count('attempts'),
      nextAttemptAt: r.count('nextAttemptAt'),
      ...(lastError !== undefined ? { lastError } : {}),
      ...(lane !== undefined ? { lane } : {})
    }
  })
}

function save (tx: WriteTransaction, sections: Sections, before: OutboxEntry | undefined, after: OutboxEntry): void {
  if (before !== undefined) unindex(tx, sections, before)
  tx.put(sections.outbox, after.id, encodeRecord({ ...after, payload: bytesField(after.payload) }))
  tx.put(sections['outbox-due'], dueKey(after), EMPTY)
  const lane = laneKey(after)
  if (lane !== undefined) tx.put(sections['outbox-lanes'], lane, EMPTY)
}

function unindex (tx: WriteTransaction, sections: Sections, entry: OutboxEntry): void {
  tx.del(sections['outbox-due'], dueKey(entry))
  const lane = laneKey(entry)
  if (lane !== undefined) tx.del(sections['outbox-lanes'], lane)
}

async function load (tx: WriteTransaction, sections: Sections, id: string): Promise<OutboxEntry | undefined> {
  const bytes = await tx.get(sections.outbox, keyPart('outbox id', id))
  return bytes === undefined ? undefined : decodeEntry(id, bytes)
}

async function add (tx: WriteTransaction, sections: Sections, input: NewOutboxEntry): Promise<OutboxEntry> {
  const { id, conversationId, kind, payload, createdAt } = input
  const nextAttemptAt = input.nextAttemptAt ?? createdAt
  keyPart('outbox id', id)
  keyPart('conversation id', conversationId)
  if (typeof kind !== 'string' || kind.length === 0 || kind.length > MAX_KIND_LENGTH) throw new InvalidArgumentError(`an outbox kind is 1-${MAX_KIND_LENGTH} characters`)
  if (!(payload instanceof Uint8Array)) throw new InvalidArgumentError('an outbox payload must be bytes')
  timeKey(createdAt)
  timeKey(nextAttemptAt)
  checkLane(input.lane)
  if (await load(tx, sections, id) !== undefined) throw new RecordExistsError(`outbox entry ${id} already exists`)
  const entry: OutboxEntry = { id, conversationId, kind, payload, createdAt, attempts: 0, nextAttemptAt, ...(input.lane !== undefined ? { lane: input.lane } : {}) }
  save(tx, sections, undefined, entry)
  return entry
}

async function attempt (tx: WriteTransaction, sections: Sections, op: Extract<OutboxOp, { type: 'outbox-attempt' }>, random: () => number): Promise<OutboxEntry> {
  timeKey(op.now)
  const before = await load(tx, sections, op.id)
  if (before === undefined) throw new RecordNotFoundError(`no outbox entry ${op.id}`)
  const attempts = before.attempts + 1
  const after: OutboxEntry = { ...before, attempts, nextAttemptAt: op.now + retryDelay(attempts, random) }
  if (op.error !== undefined) after.lastError = String(op.error).slice(0, MAX_ERROR_LENGTH)
  save(tx, sections, before, after)
  return after
}

async function complete (tx: WriteTransaction, sections: Sections, id: string): Promise<boolean> {
  const entry = await load(tx, sections, id)
  if (entry === undefined) return false
  tx.del(sections.outbox, entry.id)
  unindex(tx, sections, entry)
  return true
}

export async function applyOutboxOp (tx: WriteTransaction, sections: Sections, op: OutboxOp, random: () => number): Promise<unknown> {
  switch (op.type) {
    case 'outbox-add': return await add(tx, sections, op.entry)
    case 'outbox-attempt': return await attempt(tx, sections, op, random)
    case 'outbox-complete': return await complete(tx, sections, op.id)
  }
}

export function createOutboxRepository ({ sections, transact }: RepositoryContext, random: () => number): OutboxRepository {
  const get = async (id: string): Promise<OutboxEntry | undefined> => {
    const bytes = await sections.outbox.get(keyPart('outbox id', id))
    return bytes === undefined ? undefined : decodeEntry(id, bytes)
  }
  return {
    get,
    async due (now, options = {}) {
      const limit = options.limit ?? Number.POSITIVE_INFINITY
      // Everything up to and including `now`: keys below the next millisecond. The lanes
      // first, highest first; then 'outbox-due', which holds every entry, for the bulk
      // ones (and those written before lanes existed), skipping what a lane gave already.
      const ids: string[] = []
      const taken = new Set<string>()
      for (let lane = 0; lane < OUTBOX_LANES && ids.length < limit; lane++) {
        const prefix = String(lane)
        const range = prefixRange(prefix)
        const index = await sections['outbox-lanes'].entries({ gte: range.gte, lt: joinKey(prefix, timeKey(now + 1)), limit: limit - ids.length })
        for (const [key] of index) {
          const id = splitKey(key, 3, 'outbox-lanes')[2]
          ids.push(id)
          taken.add(id)
        }
      }
      if (ids.length < limit) {
        // Bounded: at most `taken` of what it reads are skipped, so it reads limit + taken keys.
        const index = await sections['outbox-due'].entries({ lt: timeKey(now + 1), limit: Number.isFinite(limit) ? limit + taken.size : undefined })
        for (const [key] of index) {
          if (ids.length >= limit) break
          const id = splitKey(key, 2, 'outbox-due')[1]
          if (!taken.has(id)) ids.push(id)
        }
      }
      // Index and entries are read outside a transaction: an entry completed between the
      // two reads is simply no longer due (writes remove both together, so this is a race, not corruption).
      const entries = await Promise.all(ids.map(async (id) => await get(id)))
      return entries.filter((entry): entry is OutboxEntry => entry !== undefined)
    },
    async nextDueAt () {
      const [first] = await sections['outbox-due'].entries({ limit: 1 })
      if (first === undefined) return undefined
      const at = parseTimeKey(splitKey(first[0], 2, 'outbox-due')[0])
      if (at === undefined) throw new CorruptRecordError(`outbox-due/${first[0]}: not a timestamp`)
      return at
    },
    size: async () => (await sections['outbox-due'].entries({})).length,
    add: async (entry) => await transact(async (tx) => await add(tx, sections, entry)),
    recordAttempt: async (id, now, error) => await transact(async (tx) => await attempt(tx, sections, { type: 'outbox-attempt', id, now, error }, random)),
    complete: async (id) => await transact(async (tx) => await complete(tx, sections, id)),
    async retryNow (now) {
      timeKey(now)
      const later = await sections['outbox-due'].entries({ gte: timeKey(now + 1) })
      let moved = 0
      for (let i = 0; i < later.length; i += RETRY_NOW_BATCH) {
        moved += await transact(async (tx) => {
          let n = 0
          for (const [key] of later.slice(i, i + RETRY_NOW_BATCH)) {
            const before = await load(tx, sections, splitKey(key, 2, 'outbox-due')[1])
            // completed or attempted meanwhile: leave it as it is now
            if (before === undefined || before.nextAttemptAt <= now) continue
            save(tx, sections, before, { ...before, nextAttemptAt: now })
            n++
          }
          return n
        })
      }
      return moved
    }
  }
}
