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
export interface SenderSeqOp {
  type: 'sender-seq'
  topic: string
  sender: string
  seq: number
  /** The envelope's timestamp (sender's clock): kept for the highest number, see `expired`. */
  at?: number
  /**
   * Disappearing messages: the conversation's timer and the receiver's clock.
   * A new hole whose sender's previous message (the highest number received
   * before it) was sent at least `timerMs` before `now` may be messages that
   * expired and were deleted before they reached us: it is counted as
   * accounted for, not as missing (docs/messenger.md, "Missing messages").
   */
  expired?: { timerMs: number, now: number }
}

export interface SenderSequence {
  sender: string
  /** Every sequence number up to this one is accounted for. */
  contiguous: number
  /** Received above `contiguous`, ascending. */
  above: number[]
  /** Timestamp of the envelope with the highest number received, when known. */
  lastAt?: number
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

type SequenceRecord = Omit<SenderSequence, 'sender'>

function encode (record: SequenceRecord): Uint8Array {
  const numbers = record.above.length === 0 ? String(record.contiguous) : `${record.contiguous}:${record.above.join(',')}`
  return utf8(record.lastAt === undefined ? numbers : `${numbers}@${record.lastAt}`)
}

function decode (sender: string, bytes: Uint8Array, where: string): SenderSequence {
  const text = decodeText(bytes, where)
  const match = /^(0|[1-9][0-9]*)(?::((?:0|[1-9][0-9]*)(?:,(?:0|[1-9][0-9]*))*))?(?:@(0|[1-9][0-9]*))?$/.exec(text)
  if (match == null) throw new CorruptRecordError(`${where}: not a sender sequence record`)
  const contiguous = Number(match[1])
  const above = match[2] == null ? [] : match[2].split(',').map(Number)
  if (!Number.isSafeInteger(contiguous) || above.some((s, i) => !Number.isSafeInteger(s) || s <= contiguous || (i > 0 && s <= above[i - 1]!))) {
    throw new CorruptRecordError(`${where}: sender sequence numbers out of order`)
  }
  const lastAt = match[3] == null ? undefined : Number(match[3])
  if (lastAt !== undefined && !Number.isSafeInteger(lastAt)) throw new CorruptRecordError(`${where}: sender sequence time out of range`)
  return { sender, contiguous, above, ...(lastAt !== undefined ? { lastAt } : {}) }
}

function highestOf (record: SequenceRecord): number {
  return record.above[record.above.length - 1] ?? record.contiguous
}

/**
 * Disappearing messages: the numbers between the highest received and `seq`,
 * when they may be messages that expired before reaching us, as if received.
 * A filled hole of more than MAX_ABOVE numbers is one the record cannot hold
 * beside older holes: those are given up with it.
 */
function withExpiredHole (record: SequenceRecord, op: SenderSeqOp): SequenceRecord {
  const highest = highestOf(record)
  if (op.expired == null || op.expired.timerMs <= 0 || record.lastAt === undefined || op.seq - highest <= 1) return record
  if (record.lastAt + op.expired.timerMs > op.expired.now) return record
  if (op.seq - 1 - highest > MAX_ABOVE || record.above.length === 0) return { contiguous: op.seq - 1, above: [], lastAt: record.lastAt }
  const filled: number[] = []
  for (let n = highest + 1; n < op.seq; n++) filled.push(n)
  return { ...record, above: [...record.above, ...filled] }
}

/** Add `seq` to a record (undefined: the first number from this sender, which sets the baseline). */
export function withReceived (record: SequenceRecord | undefined, seq: number, at?: number): SequenceRecord | undefined {
  if (record == null) return { contiguous: seq, above: [], ...(at !== undefined ? { lastAt: at } : {}) }
  if (seq <= record.contiguous || record.above.includes(seq) || seq > record.contiguous + MAX_AHEAD) return undefined
  const above = [...record.above, seq].sort((a, b) => a - b)
  let contiguous = record.contiguous
  while (above.length > 0 && (above[0] === contiguous + 1 || above.length > MAX_ABOVE)) contiguous = above.shift()!
  // the time of the highest number: a later hole's lower bound on when its messages were sent
  const lastAt = seq > highestOf(record) && at !== undefined ? at : record.lastAt
  return { contiguous, above, ...(lastAt !== undefined ? { lastAt } : {}) }
}

function recordKey (topic: string, sender: string): string {
  return joinKey(keyPart('topic', topic), keyPart('sender', sender))
}

export async function applySenderSeqOp (tx: WriteTransaction, sections: Sections, op: SenderSeqOp): Promise<void> {
  if (!Number.isSafeInteger(op.seq) || op.seq < 0) throw new InvalidArgumentError('a sender sequence must be a non-negative integer')
  const key = recordKey(op.topic, op.sender)
  const current = await tx.get(sections['sender-seqs'], key)
  if (op.at !== undefined && (!Number.isSafeInteger(op.at) || op.at < 0)) throw new InvalidArgumentError('a sender sequence time must be a non-negative integer')
  const record = current === undefined ? undefined : decode(op.sender, current, `sender-seqs/${key}`)
  const next = withReceived(record === undefined || op.seq > record.contiguous + MAX_AHEAD ? record : withExpiredHole(record, op), op.seq, op.at)
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
