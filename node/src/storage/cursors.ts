import { InvalidArgumentError, utf8 } from '@dak/protocol'
import { decodeText } from './codec.js'
import { CorruptRecordError } from './errors.js'
import { joinKey, keyPart, prefixRange, splitKey } from './keys.js'
import type { RepositoryContext, Sections } from './layout.js'
import type { WriteTransaction } from './transaction.js'

/**
 * Catch-up cursors: for each topic and each department node that stores it,
 * the last store sequence number this device has processed. Key
 * `<topic>!<storeNode>`, value the decimal sequence. A cursor only moves
 * forward, so a page processed late can never make us fetch (and re-process)
 * what we already have; write it in the same commit as the page's messages.
 */
export interface CursorOp { type: 'cursor', topic: string, node: string, seq: number }

export interface CursorRepository {
  get: (topic: string, node: string) => Promise<number | undefined>
  /** Every store node's cursor for one topic. */
  forTopic: (topic: string) => Promise<Array<{ node: string, seq: number }>>
  advance: (topic: string, node: string, seq: number) => Promise<void>
}

function decodeSeq (bytes: Uint8Array, where: string): number {
  const text = decodeText(bytes, where)
  const seq = /^(0|[1-9][0-9]*)$/.test(text) ? Number(text) : NaN
  if (!Number.isSafeInteger(seq)) throw new CorruptRecordError(`${where}: not a sequence number`)
  return seq
}

function cursorKey (topic: string, node: string): string {
  return joinKey(keyPart('topic', topic), keyPart('store node', node))
}

export async function applyCursorOp (tx: WriteTransaction, sections: Sections, op: CursorOp): Promise<void> {
  if (!Number.isSafeInteger(op.seq) || op.seq < 0) throw new InvalidArgumentError('a store sequence must be a non-negative integer')
  const key = cursorKey(op.topic, op.node)
  const current = await tx.get(sections.cursors, key)
  if (current !== undefined && decodeSeq(current, `cursors/${key}`) >= op.seq) return
  tx.put(sections.cursors, key, utf8(String(op.seq)))
}

export function createCursorRepository ({ sections, transact }: RepositoryContext): CursorRepository {
  return {
    async get (topic, node) {
      const key = cursorKey(topic, node)
      const value = await sections.cursors.get(key)
      return value === undefined ? undefined : decodeSeq(value, `cursors/${key}`)
    },
    async forTopic (topic) {
      const entries = await sections.cursors.entries(prefixRange(keyPart('topic', topic)))
      return entries.map(([key, value]) => {
        const [, node] = splitKey(key, 2, 'cursors')
        return { node, seq: decodeSeq(value, `cursors/${key}`) }
      })
    },
    advance: async (topic, node, seq) => { await transact(async (tx) => { await applyCursorOp(tx, sections, { type: 'cursor', topic, node, seq }) }) }
  }
}
