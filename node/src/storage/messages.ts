import { removeFile } from './files.js'
import { DuplicateMessageError, InvalidArgumentError, utf8 } from '@dak/protocol'
import type { HistoryPage, MessageState } from '../messenger/api.js'
import { decodeText } from './codec.js'
import { DEFAULT_HISTORY_LIMIT, MAX_HISTORY_LIMIT, PREVIEW_MAX_CHARS } from './constants.js'
import { loadConversation, saveConversation, type StoredConversation } from './conversations.js'
import { CorruptRecordError, RecordNotFoundError } from './errors.js'
import { joinKey, keyPart, parseTimeKey, prefixRange, splitKey, timeKey } from './keys.js'
import { EMPTY, type RepositoryContext, type Sections } from './layout.js'
import { checkNewMessage, decodeMessage, encodeMessage, expiryKey, parseCursor, positionOf, timelineKey, type StoredMessage } from './message-record.js'
import { advanceState } from './message-state.js'
import type { WriteTransaction } from './transaction.js'
import { renameDirective } from './directives.js'

/**
 * Messages, their states, and the conversation summaries that depend on them.
 * Every operation that changes a message also fixes up, in the same
 * transaction, the indexes ('message-ids', 'unread') and the conversation's
 * unread count and preview, so they can never disagree after a crash.
 */
export type MessageOp =
  | { type: 'message-add', message: StoredMessage }
  | { type: 'message-state', id: string, state: MessageState }
  | { type: 'mark-read', conversationId: string, upTo?: string }
  | { type: 'message-rename', id: string, newId: string }
  | { type: 'message-expire', id: string }

export interface MessageRepository {
  /** Store a new message; a DuplicateMessageError if its id is already stored. */
  add: (message: StoredMessage) => Promise<void>
  get: (id: string) => Promise<StoredMessage | undefined>
  has: (id: string) => Promise<boolean>
  /** Newest page first; within a page oldest first. Pass `before` from one page to get the next older one. */
  history: (conversationId: string, options?: { before?: string, limit?: number }) => Promise<HistoryPage>
  /** Move a message forward to `state` (a state behind the current one changes nothing); returns the message as stored. */
  setState: (id: string, state: MessageState) => Promise<StoredMessage>
  /** Mark incoming messages read up to and including `upTo` (all if absent); returns how many changed. */
  markRead: (conversationId: string, upTo?: string) => Promise<number>
  /** Give a queued message its final id (the envelope hash) once it is sealed. */
  rename: (id: string, newId: string) => Promise<StoredMessage>
  /**
   * Disappearing messages: delete up to `limit` messages whose expiresAt is at or
   * before `now`, oldest expiry first, with their indexes, in one transaction.
   * Returns what it deleted; a full page means more may be due.
   */
  deleteExpired: (now: number, limit: number) => Promise<ExpiredMessage[]>
  /** The earliest expiresAt of any stored message; undefined when none expires. */
  nextExpiry: () => Promise<number | undefined>
}

export interface ExpiredMessage { id: string, conversationId: string }

function preview (message: StoredMessage): StoredConversation['lastMessage'] {
  // Cut by code points, never inside a surrogate pair.
  const text = Array.from(message.text).slice(0, PREVIEW_MAX_CHARS).join('')
  return { id: message.id, text, sentAt: message.sentAt, fromMe: message.fromMe }
}

async function findKey (tx: WriteTransaction, sections: Sections, id: string): Promise<string | undefined> {
  const pointer = await tx.get(sections['message-ids'], keyPart('message id', id))
  return pointer === undefined ? undefined : decodeText(pointer, `message-ids/${id}`)
}

async function load (tx: WriteTransaction, sections: Sections, id: string): Promise<[string, StoredMessage]> {
  const key = await findKey(tx, sections, id)
  if (key === undefined) throw new RecordNotFoundError(`no message ${id}`)
  const bytes = await tx.get(sections.messages, key)
  if (bytes === undefined) throw new CorruptRecordError(`message-ids/${id} points at ${key}, which does not exist`)
  return [key, decodeMessage(key, bytes)]
}

async function add (tx: WriteTransaction, sections: Sections, message: StoredMessage): Promise<void> {
  const key = checkNewMessage(message)
  if (await findKey(tx, sections, message.id) !== undefined) throw new DuplicateMessageError(`message ${message.id} is already stored`)
  const before = await loadConversation(tx, sections, message.conversationId)
  const after = { ...before }
  tx.put(sections.messages, key, encodeMessage(message))
  tx.put(sections['message-ids'], message.id, utf8(key))
  const expiry = expiryKey(message)
  if (expiry !== undefined) tx.put(sections['message-expiry'], expiry, EMPTY)
  if (!message.fromMe && message.state === 'received') {
    tx.put(sections.unread, key, EMPTY)
    after.unread += 1
  }
  // Catch-up delivers old messages late: only a newer one replaces the preview.
  if (before.lastMessage === undefined || positionOf(message) > positionOf(before.lastMessage)) after.lastMessage = preview(message)
  after.lastActivityAt = Math.max(before.lastActivityAt, message.sentAt)
  saveConversation(tx, sections, before, after)
}

/** Take `count` messages that were just read off the conversation's unread count. */
async function decrementUnread (tx: WriteTransaction, sections: Sections, conversationId: string, count: number): Promise<void> {
  if (count === 0) return
  const before = await loadConversation(tx, sections, conversationId)
  saveConversation(tx, sections, before, { ...before, unread: Math.max(0, before.unread - count) })
}

async function setState (tx: WriteTransaction, sections: Sections, id: string, state: MessageState): Promise<StoredMessage> {
  const [key, message] = await load(tx, sections, id)
  const next = advanceState(message.fromMe, message.state, state)
  if (next === message.state) return message
  const updated = { ...message, state: next }
  tx.put(sections.messages, key, encodeMessage(updated))
  if (!message.fromMe && next === 'read' && await tx.get(sections.unread, key) !== undefined) {
    tx.del(sections.unread, key)
    await decrementUnread(tx, sections, message.conversationId, 1)
  }
  return updated
}

async function markRead (tx: WriteTransaction, sections: Sections, conversationId: string, upTo: string | undefined): Promise<number> {
  const range = prefixRange(keyPart('conversation id', conversationId))
  await loadConversation(tx, sections, conversationId)
  let lte: string | undefined
  if (upTo !== undefined) {
    const [key, message] = await load(tx, sections, upTo)
    if (message.conversationId !== conversationId) throw new InvalidArgumentError(`message ${upTo} is not in conversation ${conversationId}`)
    lte = key
  }
  const unread = await tx.entries(sections.unread, lte === undefined ? range : { gte: range.gte, lte })
  for (const [key] of unread) {
    const bytes = await tx.get(sections.messages, key)
    if (bytes === undefined) throw new CorruptRecordError(`unread/${key} has no message`)
    tx.put(sections.messages, key, encodeMessage({ ...decodeMessage(key, bytes), state: 'read' }))
    tx.del(sections.unread, key)
  }
  await decrementUnread(tx, sections, conversationId, unread.length)
  return unread.length
}

async function rename (tx: WriteTransaction, sections: Sections, id: string, newId: string): Promise<StoredMessage> {
  const [key, message] = await load(tx, sections, id)
  if (newId === id) return message
  if (await findKey(tx, sections, keyPart('message id', newId)) !== undefined) throw new DuplicateMessageError(`message ${newId} is already stored`)
  const renamed = { ...message, id: newId }
  const newKey = timelineKey(renamed)
  tx.del(sections.messages, key)
  tx.del(sections['message-ids'], id)
  tx.put(sections.messages, newKey, encodeMessage(renamed))
  tx.put(sections['message-ids'], newId, utf8(newKey))
  const oldExpiry = expiryKey(message)
  const newExpiry = expiryKey(renamed)
  if (oldExpiry !== undefined) tx.del(sections['message-expiry'], oldExpiry)
  if (newExpiry !== undefined) tx.put(sections['message-expiry'], newExpiry, EMPTY)
  if (await tx.get(sections.unread, key) !== undefined) {
    tx.del(sections.unread, key)
    tx.put(sections.unread, newKey, EMPTY)
  }
  const before = await loadConversation(tx, sections, message.conversationId)
  if (before.lastMessage?.id === id) saveConversation(tx, sections, before, { ...before, lastMessage: { ...before.lastMessage, id: newId } })
  if (message.directive !== undefined) await renameDirective(tx, sections, id, newId) // issue 16: its signed bytes follow it
  return renamed
}

/**
 * Disappearing messages: a message and everything that points at it or repeats
 * it (ids, unread, expiry index, the conversation's preview and unread count) go
 * in the one transaction. A preview that showed it moves to the newest message left.
 */
async function remove (tx: WriteTransaction, sections: Sections, id: string): Promise<StoredMessage | undefined> {
  const key = await findKey(tx, sections, id)
  if (key === undefined) return undefined
  const [, message] = await load(tx, sections, id)
  tx.del(sections.messages, key)
  tx.del(sections['message-ids'], id)
  // a file goes with its message: the record with the file's key, and its chunks
  if (message.attachment != null) await removeFile(tx, sections, message.attachment.fileId)
  const expiry = expiryKey(message)
  if (expiry !== undefined) tx.del(sections['message-expiry'], expiry)
  const before = await loadConversation(tx, sections, message.conversationId)
  const after = { ...before }
  if (await tx.get(sections.unread, key) !== undefined) {
    tx.del(sections.unread, key)
    after.unread = Math.max(0, before.unread - 1)
  }
  if (before.lastMessage?.id === id) {
    delete after.lastMessage
    const range = prefixRange(keyPart('conversation id', message.conversationId))
    // the newest message still there, not counting the one being deleted
    for (const [otherKey, bytes] of await tx.entries(sections.messages, { gte: range.gte, lt: range.lt, reverse: true, limit: 2 })) {
      if (otherKey === key) continue
      after.lastMessage = preview(decodeMessage(otherKey, bytes))
      break
    }
  }
  saveConversation(tx, sections, before, after)
  return message
}

async function deleteExpired (tx: WriteTransaction, sections: Sections, now: number, limit: number): Promise<ExpiredMessage[]> {
  const due = await tx.entries(sections['message-expiry'], { lt: timeKey(now + 1), limit })
  const deleted: ExpiredMessage[] = []
  for (const [expiry] of due) {
    const id = splitKey(expiry, 2, 'message-expiry')[1]
    const message = await remove(tx, sections, id)
    if (message === undefined) tx.del(sections['message-expiry'], expiry) // an index entry left by nothing: drop it too
    else deleted.push({ id, conversationId: message.conversationId })
  }
  return deleted
}

export async function applyMessageOp (tx: WriteTransaction, sections: Sections, op: MessageOp): Promise<unknown> {
  switch (op.type) {
    case 'message-add': return await add(tx, sections, op.message)
    case 'message-state': return await setState(tx, sections, op.id, op.state)
    case 'mark-read': return await markRead(tx, sections, op.conversationId, op.upTo)
    case 'message-rename': return await rename(tx, sections, op.id, op.newId)
    case 'message-expire': return await remove(tx, sections, op.id)
  }
}

export function createMessageRepository ({ sections, transact }: RepositoryContext): MessageRepository {
  const get = async (id: string): Promise<StoredMessage | undefined> => {
    const pointer = await sections['message-ids'].get(keyPart('message id', id))
    if (pointer === undefined) return undefined
    const key = decodeText(pointer, `message-ids/${id}`)
    const bytes = await sections.messages.get(key)
    if (bytes === undefined) throw new CorruptRecordError(`message-ids/${id} points at ${key}, which does not exist`)
    return decodeMessage(key, bytes)
  }
  return {
    get,
    has: async (id) => await sections['message-ids'].get(keyPart('message id', id)) !== undefined,
    async history (conversationId, options = {}) {
      const limit = options.limit ?? DEFAULT_HISTORY_LIMIT
      if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_HISTORY_LIMIT) throw new InvalidArgumentError(`a history page holds 1-${MAX_HISTORY_LIMIT} messages`)
      const prefix = keyPart('conversation id', conversationId)
      if (await sections.conversations.get(prefix) === undefined) throw new RecordNotFoundError(`no conversation ${conversationId}`)
      const range = prefixRange(prefix)
      const lt = options.before === undefined ? range.lt : joinKey(prefix, parseCursor(options.before))
      // One extra entry tells us whether an older page exists without a second read.
      const entries = await sections.messages.entries({ gte: range.gte, lt, reverse: true, limit: limit + 1 })
      const page = entries.slice(0, limit).map(([key, bytes]) => decodeMessage(key, bytes)).reverse()
      const oldest = page[0]
      return entries.length > limit && oldest !== undefined ? { messages: page, before: positionOf(oldest) } : { messages: page }
    },
    add: async (message) => { await transact(async (tx) => { await add(tx, sections, message) }) },
    setState: async (id, state) => await transact(async (tx) => await setState(tx, sections, id, state)),
    markRead: async (conversationId, upTo) => await transact(async (tx) => await markRead(tx, sections, conversationId, upTo)),
    rename: async (id, newId) => await transact(async (tx) => await rename(tx, sections, id, newId)),
    async nextExpiry () {
      const [first] = await sections['message-expiry'].entries({ limit: 1 })
      return first === undefined ? undefined : parseTimeKey(splitKey(first[0], 2, 'message-expiry')[0])
    },
    deleteExpired: async (now, limit) => {
      if (!Number.isSafeInteger(limit) || limit < 1) throw new InvalidArgumentError('a sweep deletes at least 1 message')
      return await transact(async (tx) => await deleteExpired(tx, sections, now, limit))
    }
  }
}
