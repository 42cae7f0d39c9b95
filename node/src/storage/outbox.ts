import { InvalidArgumentError } from '@dak/protocol'
import { retryDelay } from './backoff.js'
import { bytesField, decodeRecord, encodeRecord } from './codec.js'
import { CorruptRecordError, RecordExistsError, RecordNotFoundError } from './errors.js'
import { joinKey, keyPart, parseTimeKey, splitKey, timeKey } from './keys.js'
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
}

export interface NewOutboxEntry {
  id: string
  conversationId: string
  kind: string
  payload: Uint8Array
  createdAt: number
  /** First attempt; defaults to createdAt (immediately). */
  nextAttemptAt?: number
}

export type OutboxOp =
  | { type: 'outbox-add', entry: NewOutboxEntry }
  | { type: 'outbox-attempt', id: string, now: number, error?: string }
  | { type: 'outbox-complete', id: string }

export interface OutboxRepository {
  add: (entry: NewOutboxEntry) => Promise<OutboxEntry>
  get: (id: string) => Promise<OutboxEntry | undefined>
  /** Entries whose nextAttemptAt is at or before `now`, soonest first. */
  due: (now: number, options?: { limit?: number }) => Promise<OutboxEntry[]>
  /** When the earliest entry becomes due (to arm one timer), or undefined if the outbox is empty. */
  nextDueAt: () => Promise<number | undefined>
  /** How many entries wait (the UI's "queued" count). */
  size: () => Promise<number>
  /** Count a failed attempt at `now` and schedule the next one with backoff. */
  recordAttempt: (id: string, now: number, error?: string) => Promise<OutboxEntry>
  /** Remove the entry; false if it was already gone (receipts can arrive twice). */
  complete: (id: string) => Promise<boolean>
}

const MAX_KIND_LENGTH = 64
const MAX_ERROR_LENGTH = 500

function dueKey (entry: Pick<OutboxEntry, 'nextAttemptAt' | 'id'>): string {
  return joinKey(timeKey(entry.nextAttemptAt), entry.id)
}

function decodeEntry (id: string, bytes: Uint8Array): OutboxEntry {
  return decodeRecord(bytes, `outbox/${id}`, (r) => {
    if (r.string('id') !== id) throw r.corrupt('id does not match its key')
    const lastError = r.optionalString('lastError')
    return {
      id,
      conversationId: r.string('conversationId'),
      kind: r.string('kind'),
      payload: r.bytes('payload'),
      createdAt: r.count('createdAt'),
      attempts: r.count('attempts'),
      nextAttemptAt: r.count('nextAttemptAt'),
      ...(lastError !== undefined ? { lastError } : {})
    }
  })
}

function save (tx: WriteTransaction, sections: Sections, before: OutboxEntry | undefined, after: OutboxEntry): void {
  if (before !== undefined) tx.del(sections['outbox-due'], dueKey(before))
  tx.put(sections.outbox, after.id, encodeRecord({ ...after, payload: bytesField(after.payload) }))
  tx.put(sections['outbox-due'], dueKey(after), EMPTY)
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
  if (await load(tx, sections, id) !== undefined) throw new RecordExistsError(`outbox entry ${id} already exists`)
  const entry: OutboxEntry = { id, conversationId, kind, payload, createdAt, attempts: 0, nextAttemptAt }
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
  tx.del(sections['outbox-due'], dueKey(entry))
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
      // Everything up to and including `now`: keys below the next millisecond.
      const index = await sections['outbox-due'].entries({ lt: timeKey(now + 1), limit: options.limit })
      // Index and entries are read outside a transaction: an entry completed between the
      // two reads is simply no longer due (writes remove both together, so this is a race, not corruption).
      const entries = await Promise.all(index.map(async ([key]) => await get(splitKey(key, 2, 'outbox-due')[1])))
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
    complete: async (id) => await transact(async (tx) => await complete(tx, sections, id))
  }
}
