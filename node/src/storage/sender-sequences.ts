import { InvalidArgumentError, utf8 } from '@dak/protocol'
import { decodeText } from './codec.js'
import { CorruptRecordError } from './errors.js'
import { joinKey, keyPart, prefixRange, splitKey } from './keys.js'
import type { RepositoryContext, Sections } from './layout.js'
import type { WriteTransaction } from './transaction.js'

/**
 * Which sender sequence numbers this device has received, per topic and
 * sending device: what tells a message that never came (a store that dropped
 * or withheld it) from one that was never sent. Key `<topic>!<senderHex>`,
 * value `C` or `C:s1,s2,...`: every number up to C is accounted for (received,
 * or before the first one received from that sender), and s1 < s2 < ... are
 * received above C. The holes between C and the highest s are missing.
 * Written in the same commit as what the envelope produced.
 */
export interface SenderSeqOp { type: 'sender-seq', topic: string, sender: string, seq: number }

export interface SenderSequence {
  sender: string
  /** Every sequence number up to this one is accounted for. */
  contiguous: number
  /** Received above `contiguous`, ascending. */
  above: number[]
}

export interface SenderSequenceRepository {
  get: (topic: string, sender: string) => Promise<SenderSequence | undefined>
  /** Every sender's record on one topic. */
  forTopic: (topic: string) => Promise<SenderSequence[]>
}

/**
 * Above this many numbers received past a hole, the oldest hole is given up
 * (counted as accounted for): a record stays small even if a message is lost for good.
 */
export const MAX_ABOVE = 2048
/** A number this far past what we have is not believed (a sender's own signed nonsense): not recorded. */
export const MAX_AHEAD = 100_000

/** How many numbers are missing: the holes between `contiguous` and the highest received. */
export function missingCount (record: SenderSequence): number {
  const highest = record.above[record.above.length - 1]
  return highest == null ? 0 : highest - record.contiguous - record.above.length
}

function encode (record: { contiguous: number, above: number[] }): Uint8Array {
  return utf8(record.above.length === 0 ? String(record.contiguous) : `${record.contiguous}:${record.above.join(',')}`)
}

function decode (sender: string, bytes: Uint8Array, where: string): SenderSequence {
  const text = decodeText(bytes, where)
  const match = /^(0|[1-9][0-9]*)(?::((?:0|[1-9][0-9]*)(?:,(?:0|[1-9][0-9]*))*))?$/.exec(text)
  if (match == null) throw new CorruptRecordError(`${where}: not a sender sequence record`)
  const contiguous = Number(match[1])
  const above = match[2] == null ? [] : match[2].split(',').map(Number)
  if (!Number.isSafeInteger(contiguous) || above.some((s, i) => !Number.isSafeInteger(s) || s <= contiguous || (i > 0 && s <= above[i - 1]!))) {
    throw new CorruptRecordError(`${where}: sender sequence numbers out of order`)
  }
  return { sender, contiguous, above }
}

/** Add `seq` to a record (undefined: the first number from this sender, which sets the baseline). */
export function withReceived (record: { contiguous: number, above: number[] } | undefined, seq: number): { contiguous: number, above: number[] } | undefined {
  if (record == null) return { contiguous: seq, above: [] }
  if (seq <= record.contiguous || record.above.includes(seq) || seq > record.contiguous + MAX_AHEAD) return undefined
  const above = [...record.above, seq].sort((a, b) => a - b)
  let contiguous = record.contiguous
  while (above.length > 0 && (above[0] === contiguous + 1 || above.length > MAX_ABOVE)) contiguous = above.shift()!
  return { contiguous, above }
}

function recordKey (topic: string, sender: string): string {
  return joinKey(keyPart('topic', topic), keyPart('sender', sender))
}

export async function applySenderSeqOp (tx: WriteTransaction, sections: Sections, op: SenderSeqOp): Promise<void> {
  if (!Number.isSafeInteger(op.seq) || op.seq < 0) throw new InvalidArgumentError('a sender sequence must be a non-negative integer')
  const key = recordKey(op.topic, op.sender)
  const current = await tx.get(sections['sender-seqs'], key)
  const next = withReceived(current === undefined ? undefined : decode(op.sender, current, `sender-seqs/${key}`), op.seq)
  if (next != null) tx.put(sections['sender-seqs'], key, encode(next))
}

export function createSenderSequenceRepository ({ sections }: RepositoryContext): SenderSequenceRepository {
  return {
    async get (topic, sender) {
      const key = recordKey(topic, sender)
      const value = await sections['sender-seqs'].get(key)
      return value === undefined ? undefined : decode(sender, value, `sender-seqs/${key}`)
    },
    async forTopic (topic) {
      const entries = await sections['sender-seqs'].entries(prefixRange(keyPart('topic', topic)))
      return entries.map(([key, value]) => {
        const [, sender] = splitKey(key, 2, 'sender-seqs')
        return decode(sender, value, `sender-seqs/${key}`)
      })
    }
  }
}
