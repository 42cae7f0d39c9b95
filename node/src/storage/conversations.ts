import { InvalidArgumentError } from '@dak/protocol'
import { decodeRecord, encodeRecord, type RecordReader } from './codec.js'
import { CorruptRecordError, RecordExistsError, RecordNotFoundError } from './errors.js'
import { joinKey, keyPart, splitKey, timeKey } from './keys.js'
import { EMPTY, type RepositoryContext, type Sections } from './layout.js'
import type { WriteTransaction } from './transaction.js'

/**
 * Conversations by id (the conversation's topic), plus an index by last
 * activity — `<lastActivityAt>!<id>` — so the list the UI shows is one
 * reverse range read, not a sort of every conversation. The unread count and
 * last-message preview live in the record and are only ever changed in the
 * same transaction as the messages they summarise (see messages.ts).
 */
export interface ConversationMember {
  handle: string
  /** Hex of the member device's Ed25519 key. */
  deviceKey: string
}

export interface LastMessage {
  id: string
  /** Start of the text, at most PREVIEW_MAX_CHARS characters. */
  text: string
  sentAt: number
  fromMe: boolean
}

export interface StoredConversation {
  id: string
  kind: 'direct' | 'group'
  /** Hex MLS group id; the group's state is in the groups section under it. */
  groupId: string
  title: string
  members: ConversationMember[]
  /** Handles of the members allowed to add and remove. */
  admins: string[]
  /** Who orders this group's commits: a department node's peer id, or the creating device. */
  sequencer: string
  createdAt: number
  /** The later of createdAt and the newest message's sentAt: the list's sort key. */
  lastActivityAt: number
  lastMessage?: LastMessage
  unread: number
  /**
   * Set once, when this device left or was removed, or when the other officer
   * of a direct chat is out of it (left, or their access was withdrawn): the
   * conversation is read-only history from then on. `by` is the device key
   * (hex) of whoever removed it, when known; for 'other-left' and
   * 'other-revoked', the other officer's device.
   */
  closed?: ConversationClosed
  /** Handles this device asked to add whose add has not been committed yet: who the conversation waits for. */
  invited?: string[]
  /** Disappearing messages: ms after sending that messages sent here are deleted; absent when off. */
  timerMs?: number
}

export interface ConversationClosed {
  reason: 'left' | 'removed' | 'other-left' | 'other-revoked'
  by?: string
  at: number
}

export type NewConversation = Omit<StoredConversation, 'lastActivityAt' | 'lastMessage' | 'unread' | 'closed' | 'timerMs'>
/** `kind` changes once at most: a joiner learns from the admin's info message whether it is a 1:1. */
export type ConversationChanges = Partial<Pick<StoredConversation, 'kind' | 'title' | 'members' | 'admins' | 'sequencer' | 'closed' | 'invited' | 'timerMs'>>

export type ConversationOp =
  | { type: 'conversation-create', conversation: NewConversation }
  | { type: 'conversation-update', id: string, changes: ConversationChanges }

export interface ConversationRepository {
  get: (id: string) => Promise<StoredConversation | undefined>
  /** Most recent activity first. */
  list: (options?: { limit?: number }) => Promise<StoredConversation[]>
  create: (conversation: NewConversation) => Promise<StoredConversation>
  update: (id: string, changes: ConversationChanges) => Promise<StoredConversation>
}

const KINDS = ['direct', 'group'] as const
const CLOSE_REASONS = ['left', 'removed', 'other-left', 'other-revoked'] as const

function readMember (r: RecordReader): ConversationMember {
  return { handle: r.string('handle'), deviceKey: r.string('deviceKey') }
}

function decodeConversation (id: string, bytes: Uint8Array): StoredConversation {
  return decodeRecord(bytes, `conversations/${id}`, (r) => {
    const lastMessage = r.optionalObject('lastMessage', (m) => ({ id: m.string('id'), text: m.string('text'), sentAt: m.count('sentAt'), fromMe: m.boolean('fromMe') }))
    const invited = r.optionalStrings('invited')
    const timerMs = r.optionalCount('timerMs')
    const closed = r.optionalObject('closed', (c): ConversationClosed => {
      const by = c.optionalString('by')
      return { reason: c.oneOf('reason', CLOSE_REASONS), ...(by !== undefined ? { by } : {}), at: c.count('at') }
    })
    if (r.string('id') !== id) throw r.corrupt('id does not match its key')
    return {
      id,
      kind: r.oneOf('kind', KINDS),
      groupId: r.string('groupId'),
      title: r.string('title'),
      members: r.objects('members', readMember),
      admins: r.strings('admins'),
      sequencer: r.string('sequencer'),
      createdAt: r.count('createdAt'),
      lastActivityAt: r.count('lastActivityAt'),
      ...(lastMessage !== undefined ? { lastMessage } : {}),
      unread: r.count('unread'),
      ...(closed !== undefined ? { closed } : {}),
      ...(invited !== undefined && invited.length > 0 ? { invited } : {}),
      ...(timerMs !== undefined && timerMs > 0 ? { timerMs } : {})
    }
  })
}

function checkChanges (changes: ConversationChanges): void {
  if (changes.title !== undefined && typeof changes.title !== 'string') throw new InvalidArgumentError('a title must be a string')
  if (changes.sequencer !== undefined && (typeof changes.sequencer !== 'string' || changes.sequencer.length === 0)) throw new InvalidArgumentError('a sequencer must be a non-empty string')
  for (const member of changes.members ?? []) {
    keyPart('member handle', member.handle)
    keyPart('member device key', member.deviceKey)
  }
  for (const admin of changes.admins ?? []) keyPart('admin handle', admin)
  for (const handle of changes.invited ?? []) keyPart('invited handle', handle)
  if (changes.timerMs !== undefined && (!Number.isSafeInteger(changes.timerMs) || changes.timerMs < 0)) throw new InvalidArgumentError('a timer is a non-negative whole number of ms (0: off)')
  const closed = changes.closed
  if (closed !== undefined) {
    if (!CLOSE_REASONS.includes(closed.reason)) throw new InvalidArgumentError(`a conversation closes as 'left', 'removed', 'other-left' or 'other-revoked', not '${String(closed.reason)}'`)
    timeKey(closed.at)
  }
}

/** The invited list is kept only while it names someone. */
function withInvited (invited: string[] | undefined): { invited?: string[] } {
  return invited != null && invited.length > 0 ? { invited } : {}
}

function activityKey (conversation: StoredConversation): string {
  return joinKey(timeKey(conversation.lastActivityAt), conversation.id)
}

/** The conversation as it stands in this transaction, or a RecordNotFoundError. */
export async function loadConversation (tx: WriteTransaction, sections: Sections, id: string): Promise<StoredConversation> {
  const bytes = await tx.get(sections.conversations, keyPart('conversation id', id))
  if (bytes === undefined) throw new RecordNotFoundError(`no conversation ${id}`)
  return decodeConversation(id, bytes)
}

/** Stage a conversation record and keep the activity index pointing at it. */
export function saveConversation (tx: WriteTransaction, sections: Sections, before: StoredConversation | undefined, after: StoredConversation): void {
  if (before !== undefined && before.lastActivityAt !== after.lastActivityAt) tx.del(sections['conversation-activity'], activityKey(before))
  tx.put(sections.conversations, after.id, encodeRecord(after))
  tx.put(sections['conversation-activity'], activityKey(after), EMPTY)
}

export async function applyConversationOp (tx: WriteTransaction, sections: Sections, op: ConversationOp): Promise<StoredConversation> {
  if (op.type === 'conversation-update') {
    checkChanges(op.changes)
    const before = await loadConversation(tx, sections, op.id)
    const { kind, title, members, admins, sequencer, closed, invited, timerMs } = op.changes
    if (kind !== undefined && !KINDS.includes(kind)) throw new InvalidArgumentError(`a conversation kind is 'direct' or 'group', not '${String(kind)}'`)
    const { invited: invitedBefore, timerMs: timerBefore, ...rest } = before
    const timer = timerMs ?? timerBefore ?? 0
    const after: StoredConversation = {
      ...rest,
      kind: kind ?? before.kind,
      title: title ?? before.title,
      members: members ?? before.members,
      admins: admins ?? before.admins,
      sequencer: sequencer ?? before.sequencer,
      // closed once, for good: the first reason and time stay
      ...(before.closed != null || closed != null ? { closed: before.closed ?? closed } : {}),
      ...withInvited(invited ?? invitedBefore),
      ...(timer > 0 ? { timerMs: timer } : {})
    }
    saveConversation(tx, sections, before, after)
    return after
  }
  const { id, kind, groupId, title, members, admins, sequencer, createdAt, invited } = op.conversation
  keyPart('conversation id', id)
  keyPart('group id', groupId)
  if (!KINDS.includes(kind)) throw new InvalidArgumentError(`a conversation kind is 'direct' or 'group', not '${String(kind)}'`)
  checkChanges({ title, members, admins, sequencer, invited })
  timeKey(createdAt)
  if (await tx.get(sections.conversations, id) !== undefined) throw new RecordExistsError(`conversation ${id} already exists`)
  const created: StoredConversation = { id, kind, groupId, title, members, admins, sequencer, createdAt, lastActivityAt: createdAt, unread: 0, ...withInvited(invited) }
  saveConversation(tx, sections, undefined, created)
  return created
}

export function createConversationRepository ({ sections, transact }: RepositoryContext): ConversationRepository {
  const commit = async (op: ConversationOp): Promise<StoredConversation> => await transact(async (tx) => await applyConversationOp(tx, sections, op))
  return {
    async get (id) {
      const bytes = await sections.conversations.get(keyPart('conversation id', id))
      return bytes === undefined ? undefined : decodeConversation(id, bytes)
    },
    async list (options = {}) {
      const index = await sections['conversation-activity'].entries({ reverse: true, limit: options.limit })
      const ids = index.map(([key]) => splitKey(key, 2, 'conversation-activity')[1])
      const records = await sections.conversations.getMany(ids)
      return records.map((bytes, i) => {
        const id = ids[i] ?? ''
        if (bytes === undefined) throw new CorruptRecordError(`conversation-activity lists ${id}, which does not exist`)
        return decodeConversation(id, bytes)
      })
    },
    create: async (conversation) => await commit({ type: 'conversation-create', conversation }),
    update: async (id, changes) => await commit({ type: 'conversation-update', id, changes })
  }
}
