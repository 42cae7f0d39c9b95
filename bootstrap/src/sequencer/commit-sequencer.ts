import {
  bytesEqual, EnvelopeKind, EpochTooOldError, FutureEpochError, InvalidArgumentError, MalformedInputError, openEnvelope, toHex
} from '@dak/protocol'
import { asBytes, groupRange, numberKey, writeDurably, type Db } from '../store/level.js'
import { KeyedMutex } from '../store/mutex.js'
import type { Table } from '../store/tables.js'

/** MLS group ids are chosen by the creator; ts-mls uses 32 random bytes. 256 leaves room and bounds keys. */
export const MAX_GROUP_ID_BYTES = 256
/** Commits returned by one commitsAfter call: a member catching up fetches pages. */
export const MAX_COMMITS_PER_PAGE = 64

export type SubmitOutcome =
  | { accepted: true, sequence: number }
  /** Another commit won this epoch: apply `winner` (an encoded Envelope) and redo yours on top. */
  | { accepted: false, sequence: number, winner: Uint8Array }

export interface SequencedCommit {
  epoch: number
  sequence: number
  envelope: Uint8Array
}

/** Per group: the epochs accepted so far are exactly firstEpoch..lastEpoch, numbered from 1. */
interface GroupLog {
  firstEpoch: number
  lastEpoch: number
  next: number
}

/** Stored commit: 8-byte big-endian sequence, then the envelope bytes (commits can be 64 KiB; no base64). */
function encodeRecord (sequence: number, envelope: Uint8Array): Uint8Array {
  const out = new Uint8Array(8 + envelope.length)
  new DataView(out.buffer).setBigUint64(0, BigInt(sequence))
  out.set(envelope, 8)
  return out
}

function decodeRecord (epoch: number, value: Uint8Array): SequencedCommit {
  const bytes = asBytes(value)
  const sequence = Number(new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getBigUint64(0))
  return { epoch, sequence, envelope: bytes.subarray(8) }
}

/**
 * The MLS commit sequencer a department node runs for the groups that name it:
 * the first valid commit for each (group, epoch) wins, durably, before anyone
 * is told. Members apply commits in the sequencer's order, so the group never
 * forks. A resubmission of the winning commit is answered "accepted" again (its
 * sender may have lost the first answer); any other commit for that epoch gets
 * the winner back.
 *
 * Epochs are accepted in order without holes: the first commit seen for a group
 * may be for any epoch (the group may predate this node's log), after that only
 * lastEpoch + 1 is new. A commit for a later epoch means the submitter applied
 * commits this sequencer never accepted (FutureEpochError); one for an epoch
 * before the log began cannot be judged any more (EpochTooOldError).
 *
 * The sequencer cannot read commits. It checks the envelope (signature, shape,
 * kind COMMIT); that the sender is a certified, unrevoked member is the
 * caller's check, and MLS validity is each member's.
 *
 *   commit        <group>:<epoch>  → sequence ‖ envelope
 *   commit-group  <group>          → GroupLog
 */
export class CommitSequencer {
  private readonly db: Db
  private readonly commits: Table<Uint8Array>
  private readonly groups: Table<GroupLog>
  private readonly mutex = new KeyedMutex()

  constructor (options: { db: Db }) {
    this.db = options.db
    this.commits = options.db.sublevel<Uint8Array>('commit', { valueEncoding: 'view' })
    this.groups = options.db.sublevel<GroupLog>('commit-group', { valueEncoding: 'json' })
  }

  async submit (groupId: Uint8Array, epoch: number, commitEnvelope: Uint8Array, now: number): Promise<SubmitOutcome> {
    const group = groupKey(groupId)
    checkEpoch(epoch)
    const envelope = openEnvelope(commitEnvelope, now)
    if (envelope.kind !== EnvelopeKind.COMMIT) throw new MalformedInputError(`a ${envelope.kind} envelope is not a commit`)
    return await this.mutex.run([group], async () => {
      const log = await this.groups.get(group)
      const key = `${group}:${numberKey(epoch)}`
      if (log != null && epoch <= log.lastEpoch) {
        const stored = await this.commits.get(key)
        if (stored == null) throw new EpochTooOldError(`epoch ${epoch} is before this sequencer's log of the group (from ${log.firstEpoch})`)
        const winner = decodeRecord(epoch, stored)
        if (bytesEqual(winner.envelope, envelope.bytes)) return { accepted: true, sequence: winner.sequence }
        return { accepted: false, sequence: winner.sequence, winner: winner.envelope }
      }
      if (log != null && epoch > log.lastEpoch + 1) throw new FutureEpochError(`epoch ${epoch} is ahead of the group's last sequenced epoch ${log.lastEpoch}`)
      const sequence = log?.next ?? 1
      const updated: GroupLog = { firstEpoch: log?.firstEpoch ?? epoch, lastEpoch: epoch, next: sequence + 1 }
      await writeDurably(this.db, [
        { type: 'put', sublevel: this.commits, key, value: encodeRecord(sequence, envelope.bytes) },
        { type: 'put', sublevel: this.groups, key: group, value: updated }
      ])
      return { accepted: true, sequence }
    })
  }

  /**
   * The accepted commits of a group made in `fromEpoch` and later, in order: a
   * member at epoch e that missed the published commits applies these.
   */
  async commitsFrom (groupId: Uint8Array, fromEpoch: number, limit = MAX_COMMITS_PER_PAGE): Promise<SequencedCommit[]> {
    const group = groupKey(groupId)
    checkEpoch(fromEpoch)
    const range = groupRange(group)
    const page = Math.max(1, Math.min(Math.floor(limit), MAX_COMMITS_PER_PAGE))
    const entries = await this.commits.iterator({ gte: `${group}:${numberKey(fromEpoch)}`, lt: range.lt, limit: page }).all()
    return entries.map(([key, value]) => decodeRecord(Number(key.slice(range.gte.length)), value))
  }
}

function groupKey (groupId: Uint8Array): string {
  if (!(groupId instanceof Uint8Array) || groupId.length === 0 || groupId.length > MAX_GROUP_ID_BYTES) {
    throw new InvalidArgumentError(`group id must be 1-${MAX_GROUP_ID_BYTES} bytes`)
  }
  return toHex(groupId)
}

function checkEpoch (epoch: number): void {
  if (!Number.isSafeInteger(epoch) || epoch < 0) throw new InvalidArgumentError('epoch must be a non-negative integer')
}
