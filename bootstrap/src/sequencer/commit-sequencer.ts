import {
  bytesEqual, checkGroupIdBound, EnvelopeKind, EpochTooOldError, FutureEpochError, InvalidArgumentError, issueCommitAck, judgeCommit, MalformedInputError, mlsHash,
  openEnvelope, rosterOfCreator, toHex, verifyGroupRegistration, type Certificate, type GroupRoster, type SigningKeyPair
} from '@dak/protocol'
import { peerIdFromString } from '@libp2p/peer-id'
import { asBytes, groupRange, numberKey, writeDurably, locksFor, type Db, type Locks } from '../store/level.js'
import type { Table } from '../store/tables.js'
import { GroupNotRegisteredError, NotYourCommitError } from '@dak/protocol/department'

/** MLS group ids are chosen by the creator; ts-mls uses 32 random bytes. 256 leaves room and bounds keys. */
export const MAX_GROUP_ID_BYTES = 256
/** Commits returned by one commitsFrom call: a member catching up fetches pages. */
export const MAX_COMMITS_PER_PAGE = 64

export type SubmitOutcome =
  | { accepted: true, sequence: number, ack: Uint8Array }
  /** Another commit won this epoch: apply `winner` (an encoded Envelope, acknowledged by `ack`) and redo yours on top. */
  | { accepted: false, sequence: number, winner: Uint8Array, ack: Uint8Array }

export interface Submission {
  /** The device on the connection: it must be the envelope's sender and hold the commit's sender leaf. */
  submitter: Uint8Array
  /** Leaves whose leave proposals the commit carries by reference. */
  leavingLeaves?: number[]
  /** SHA-256 of the Welcome the commit makes (signed into the ack, so the new member can check it). */
  welcomeHash?: Uint8Array
  /** Epoch 0 of a group this node has never seen: the creator's GroupRegistration. */
  registration?: Uint8Array
  /** The connection's verified certificate: lets a member add its own officer's devices (linked devices, issue 16). */
  submitterCertificate?: Certificate
  /** Device keys (hex) enrolled here under the submitter's handle: lets a member remove its own officer's other devices. */
  officerDevices?: string[]
}

export interface SequencedCommit {
  epoch: number
  sequence: number
  envelope: Uint8Array
  ack: Uint8Array
}

/**
 * Per group: the epochs accepted so far are exactly 0..lastEpoch; the roster
 * after the last accepted commit; and when each departed device left, so a
 * member who lost a race to its own removal still gets the winner back.
 */
interface GroupLog {
  lastEpoch: number
  next: number
  roster: GroupRoster
  departed: Record<string, number>
  /** The creator's registration (hex): the group's identity at this node. */
  registration: string
}

/** Stored commit: 8-byte sequence, 2-byte ack length, ack, then the envelope (commits can be 64 KiB; no base64). */
function encodeRecord (sequence: number, ack: Uint8Array, envelope: Uint8Array): Uint8Array {
  const out = new Uint8Array(10 + ack.length + envelope.length)
  const view = new DataView(out.buffer)
  view.setBigUint64(0, BigInt(sequence))
  view.setUint16(8, ack.length)
  out.set(ack, 10)
  out.set(envelope, 10 + ack.length)
  return out
}

function decodeRecord (epoch: number, value: Uint8Array): SequencedCommit {
  const bytes = asBytes(value)
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const sequence = Number(view.getBigUint64(0))
  const ackLength = view.getUint16(8)
  return { epoch, sequence, ack: bytes.subarray(10, 10 + ackLength), envelope: bytes.subarray(10 + ackLength) }
}

/**
 * The MLS commit sequencer a department node runs for the groups that name it:
 * the first valid commit for each (group, epoch) wins, durably, before anyone
 * is told, and the node signs an acknowledgement of it (a CommitAck) that
 * members require before applying it. Members apply commits in the
 * sequencer's order, so the group never forks, and two acks for one epoch
 * would prove the node forked it.
 *
 * A group is registered with its first commit (epoch 0) by its creator; from
 * then on the sequencer keeps the group's roster (who holds each leaf, who is
 * admin) from every commit it accepts, and accepts a commit only from the
 * member holding its sender leaf, by the group's rules (judgeCommit). So a
 * device outside the group can neither take an epoch nor learn the group's
 * commits; a refused commit changes nothing and never blocks the next one.
 * A resubmission of the winning commit is answered "accepted" again (its
 * sender may have lost the first answer); any other member's commit for that
 * epoch gets the winner back. Epochs are accepted in order without holes.
 *
 *   commit        <group>:<epoch>  → sequence ‖ ack ‖ envelope
 *   commit-group  <group>          → GroupLog
 */
export class CommitSequencer {
  private readonly db: Db
  private readonly commits: Table<Uint8Array>
  private readonly groups: Table<GroupLog>
  private readonly mutex: Locks
  private readonly nodeKey: SigningKeyPair

  constructor (options: { db: Db, nodeKey: SigningKeyPair }) {
    this.mutex = locksFor(options.db, 'commit')
    this.db = options.db
    this.nodeKey = options.nodeKey
    this.commits = options.db.sublevel<Uint8Array>('commit', { valueEncoding: 'view' })
    this.groups = options.db.sublevel<GroupLog>('commit-group', { valueEncoding: 'json' })
  }

  async submit (groupId: Uint8Array, epoch: number, commitEnvelope: Uint8Array, now: number, submission: Submission): Promise<SubmitOutcome> {
    const group = groupKey(groupId)
    checkEpoch(epoch)
    const envelope = openEnvelope(commitEnvelope, now)
    if (envelope.kind !== EnvelopeKind.COMMIT) throw new MalformedInputError(`a ${envelope.kind} envelope is not a commit`)
    if (!bytesEqual(envelope.sender, submission.submitter)) throw new NotYourCommitError('a device submits commits it signed itself')
    const submitter = toHex(submission.submitter)
    return await this.mutex.run([group], async () => {
      const stored = await this.groups.get(group)
      const key = `${group}:${numberKey(epoch)}`
      if (stored != null && epoch <= stored.lastEpoch) {
        // Only someone who was a member at that epoch learns what won it.
        const departedAt = stored.departed[submitter]
        if (!stored.roster.leaves.includes(submitter) && (departedAt === undefined || epoch >= departedAt)) {
          throw new NotYourCommitError('this device is not a member of the group')
        }
        const record = await this.commits.get(key)
        if (record == null) throw new EpochTooOldError(`epoch ${epoch} is before this sequencer's log of the group`)
        const winner = decodeRecord(epoch, record)
        if (bytesEqual(winner.envelope, envelope.bytes)) return { accepted: true, sequence: winner.sequence, ack: winner.ack }
        return { accepted: false, sequence: winner.sequence, winner: winner.envelope, ack: winner.ack }
      }
      const log = stored ?? this.register(groupId, epoch, submission)
      if (epoch > log.lastEpoch + 1) throw new FutureEpochError(`epoch ${epoch} is ahead of the group's last sequenced epoch ${log.lastEpoch}`)
      const change = judgeCommit(log.roster, { groupId, epoch, commit: envelope.payload, submitter: submission.submitter, leavingLeaves: submission.leavingLeaves ?? [], ...(submission.submitterCertificate != null ? { submitterCertificate: submission.submitterCertificate } : {}), ...(submission.officerDevices != null ? { officerDevices: submission.officerDevices } : {}) })
      const sequence = log.next
      const welcomeHash = submission.welcomeHash ?? new Uint8Array(0)
      if (welcomeHash.length > 0 && change.added.length === 0) throw new MalformedInputError('a commit that adds nobody makes no Welcome')
      const ack = issueCommitAck(this.nodeKey, { groupId, epoch, sequence, commitHash: mlsHash(envelope.payload), welcomeHash }).bytes
      const departed = { ...log.departed }
      for (const device of change.removed) departed[device] = epoch + 1
      for (const certificate of change.added) delete departed[toHex(certificate.devicePublicKey)]
      const updated: GroupLog = { ...log, lastEpoch: epoch, next: sequence + 1, roster: change.roster, departed }
      await writeDurably(this.db, [
        // ifAbsent: the epoch's record is written once, whatever a lock did: never two acks for one epoch.
        { type: 'put', sublevel: this.commits, key, value: encodeRecord(sequence, ack, envelope.bytes), ifAbsent: true },
        { type: 'put', sublevel: this.groups, key: group, value: updated }
      ])
      return { accepted: true, sequence, ack }
    })
  }

  /** A group this node has not seen: only its creator's registration, with its epoch-0 commit, opens its log. */
  private register (groupId: Uint8Array, epoch: number, submission: Submission): GroupLog {
    if (submission.registration == null || submission.registration.length === 0) {
      throw new GroupNotRegisteredError('this sequencer does not know the group: its creator registers it with the first commit')
    }
    const registration = verifyGroupRegistration(submission.registration)
    if (!bytesEqual(registration.groupId, groupId)) throw new MalformedInputError('the registration names another group')
    if (!bytesEqual(registration.creator, submission.submitter)) throw new NotYourCommitError('a group is registered by its creator')
    if (epoch !== registration.firstEpoch) throw new GroupNotRegisteredError(`a group is registered with its epoch-${registration.firstEpoch} commit`)
    // The id is on the wire before this registration (the creator subscribes to its topic at once): only the
    // salt that made it from this node's peer id, known to the creator alone until now, registers it.
    checkGroupIdBound(registration.groupId, registration.policy)
    if (!this.isThisNode(registration.policy.sequencer)) throw new GroupNotRegisteredError(`the group names sequencer ${registration.policy.sequencer}, not this node`)
    return { lastEpoch: epoch - 1, next: 1, roster: rosterOfCreator(registration.creator, registration.policy), departed: {}, registration: toHex(registration.bytes) }
  }

  private isThisNode (sequencer: string): boolean {
    try {
      return bytesEqual(peerIdFromString(sequencer).publicKey?.raw ?? new Uint8Array(0), this.nodeKey.publicKey)
    } catch {
      return false // not a peer id at all
    }
  }

  /** Whether a group id is taken here (for callers that refuse a second registration outright). */
  async isRegistered (groupId: Uint8Array): Promise<boolean> {
    return await this.groups.get(groupKey(groupId)) != null
  }

  /**
   * What a device is to a group this node sequences: a member now, a former
   * member, or an outsider; 'unsequenced' when the node has no log of the group.
   */
  async relationOf (groupId: Uint8Array, device: Uint8Array): Promise<'member' | 'departed' | 'outsider' | 'unsequenced'> {
    const log = await this.groups.get(groupKey(groupId))
    if (log == null) return 'unsequenced'
    const key = toHex(device)
    if (log.roster.leaves.includes(key)) return 'member'
    return log.departed[key] !== undefined ? 'departed' : 'outsider'
  }

  /** The group's roster now, or undefined for a group this node does not sequence. */
  async rosterOf (groupId: Uint8Array): Promise<GroupRoster | undefined> {
    return (await this.groups.get(groupKey(groupId)))?.roster
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
