import { utf8 } from '@dak/protocol'
import { decodeText } from './codec.js'
import { CorruptRecordError } from './errors.js'
import { keyPart, parseTimeKey, timeKey } from './keys.js'
import type { RepositoryContext, Sections } from './layout.js'
import type { WriteTransaction } from './transaction.js'

/**
 * Ids of envelopes already processed (messages, receipts, commits), checked
 * before MLS sees a ciphertext: the same envelope arriving twice (gossip plus
 * catch-up) must not be decrypted twice. Recorded in the same commit as what
 * processing it produced; the value is when, for a future pruning pass.
 */
export interface SeenOp { type: 'seen', id: string, at: number }

export interface SeenRepository {
  has: (id: string) => Promise<boolean>
  /** When the id was first processed, if it was. */
  seenAt: (id: string) => Promise<number | undefined>
  add: (id: string, at: number) => Promise<void>
}

export async function applySeenOp (tx: WriteTransaction, sections: Sections, op: SeenOp): Promise<void> {
  const key = keyPart('envelope id', op.id)
  const value = utf8(timeKey(op.at))
  // First sighting wins, so re-recording an id never moves its time forward.
  if (await tx.get(sections.seen, key) === undefined) tx.put(sections.seen, key, value)
}

export function createSeenRepository ({ sections, transact }: RepositoryContext): SeenRepository {
  async function seenAt (id: string): Promise<number | undefined> {
    const value = await sections.seen.get(keyPart('envelope id', id))
    if (value === undefined) return undefined
    const at = parseTimeKey(decodeText(value, `seen/${id}`))
    if (at === undefined) throw new CorruptRecordError(`seen/${id}: not a timestamp`)
    return at
  }
  return {
    seenAt,
    has: async (id) => await seenAt(id) !== undefined,
    add: async (id, at) => { await transact(async (tx) => { await applySeenOp(tx, sections, { type: 'seen', id, at }) }) }
  }
}
