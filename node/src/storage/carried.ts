import { InvalidArgumentError } from '@dak/protocol'
import { EMPTY, type RepositoryContext, type Sections } from './layout.js'
import { CorruptRecordError } from './errors.js'
import { joinKey, keyPart, parseTimeKey, prefixRange, splitKey, timeKey } from './keys.js'
import type { WriteTransaction } from './transaction.js'

/**
 * Delay-tolerant carry (docs/messenger.md, "Carry"): the sealed envelopes of
 * this device's conversations, kept as they arrived (MLS ciphertext and the
 * sender's signature, nothing decrypted), so a member met later on a LAN can
 * be given what it missed, and a department node reached later what it
 * lacks. Key `<topic>!<time>!<envelope id>` (the time is when kept: pruning
 * reads the oldest first); `carry-out` marks, under the same key, those still
 * to be deposited at a department node. Bounded by count per topic and by age
 * (prune), sealed at rest like every section.
 */
export type CarryOp =
  | { type: 'carry-keep', topic: string, id: string, at: number, bytes: Uint8Array, deposit: boolean }
  | { type: 'carry-deposited', topic: string, id: string, at: number }

export interface CarriedEnvelope { topic: string, id: string, at: number, bytes: Uint8Array }

export interface CarryRepository {
  /** A topic's kept envelopes, oldest first. */
  list: (topic: string) => Promise<CarriedEnvelope[]>
  /** Up to `limit` envelopes still to be deposited at a department node (any topic). */
  toDeposit: (limit: number) => Promise<CarriedEnvelope[]>
  /** Drop a topic's envelopes kept before `olderThan`, and the oldest beyond `maxCount` or `maxBytes`; resolves with how many went. */
  prune: (topic: string, limits: { maxCount: number, maxBytes: number, olderThan: number }) => Promise<number>
  /** Forget a topic altogether (conversation left or deleted). */
  forget: (topic: string) => Promise<void>
}

function carryKey (topic: string, at: number, id: string): string {
  return joinKey(keyPart('topic', topic), timeKey(at), keyPart('envelope id', id))
}

function parse (key: string, bytes: Uint8Array): CarriedEnvelope {
  const [topic, time, id] = splitKey(key, 3, 'carried')
  const at = parseTimeKey(time)
  if (at === undefined) throw new CorruptRecordError(`carried/${key}: not a timestamp`)
  return { topic, id, at, bytes }
}

export function applyCarryOp (tx: WriteTransaction, sections: Sections, op: CarryOp): void {
  const key = carryKey(op.topic, op.at, op.id)
  if (op.type === 'carry-deposited') {
    tx.del(sections['carry-out'], key)
    return
  }
  if (!(op.bytes instanceof Uint8Array) || op.bytes.length === 0) throw new InvalidArgumentError('a carried envelope has bytes')
  tx.put(sections.carried, key, op.bytes)
  if (op.deposit) tx.put(sections['carry-out'], key, EMPTY)
}

export function createCarryRepository ({ sections, transact }: RepositoryContext): CarryRepository {
  const list = async (topic: string): Promise<CarriedEnvelope[]> =>
    (await sections.carried.entries(prefixRange(keyPart('topic', topic)))).map(([key, value]) => parse(key, value))
  return {
    list,
    async toDeposit (limit) {
      const marked = await sections['carry-out'].entries({ limit })
      const values = await sections.carried.getMany(marked.map(([key]) => key))
      const found: CarriedEnvelope[] = []
      const stale: string[] = []
      marked.forEach(([key], i) => {
        const bytes = values[i]
        if (bytes === undefined) stale.push(key) // pruned before it could be deposited
        else found.push(parse(key, bytes))
      })
      if (stale.length > 0) await transact(async (tx) => { for (const key of stale) tx.del(sections['carry-out'], key) })
      return found
    },
    async prune (topic, { maxCount, maxBytes, olderThan }) {
      const all = await list(topic)
      // newest first: keep while both bounds hold and the envelope is young enough
      let count = 0
      let bytes = 0
      const gone: CarriedEnvelope[] = []
      for (const e of [...all].reverse()) {
        count++
        bytes += e.bytes.length
        if (count > maxCount || bytes > maxBytes || e.at < olderThan) gone.push(e)
      }
      if (gone.length === 0) return 0
      await transact(async (tx) => {
        for (const e of gone) {
          const key = carryKey(e.topic, e.at, e.id)
          tx.del(sections.carried, key)
          tx.del(sections['carry-out'], key)
        }
      })
      return gone.length
    },
    async forget (topic) {
      const all = await list(topic)
      await transact(async (tx) => {
        for (const e of all) {
          const key = carryKey(e.topic, e.at, e.id)
          tx.del(sections.carried, key)
          tx.del(sections['carry-out'], key)
        }
      })
    }
  }
}
