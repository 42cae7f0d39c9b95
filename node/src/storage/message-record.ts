import { InvalidArgumentError, MalformedInputError } from '@dak/protocol'
import type { Attachment, ChatMessage, MessageState, OfficerSummary } from '../messenger/api.js'
import { decodeRecord, encodeRecord, type RecordReader } from './codec.js'
import { InvalidStateTransitionError } from './errors.js'
import { joinKey, keyPart, parseTimeKey, splitKey, timeKey } from './keys.js'
import { MESSAGE_STATES, isStateFor } from './message-state.js'
import { decodeExtras, encodeExtras } from './message-extras.js'

/**
 * How a message is stored and where. The record is the UI's ChatMessage, so
 * history needs no second lookup; the sender is kept as it was when the
 * message arrived, which is what the officer saw at the time.
 *
 * Key in 'messages': `<conversationId>!<sentAt, 16 digits>!<messageId>`, so
 * one conversation is one contiguous range ordered by (sentAt, id): history is
 * a reverse range read from a cursor, and two messages with the same
 * millisecond still have one stable order on every device.
 */
export type StoredMessage = ChatMessage

const KINDS = ['text', 'system', 'file'] as const satisfies ReadonlyArray<ChatMessage['kind']>

/** Where a message sits inside its conversation: `<sentAt>!<id>`. Also the history cursor. */
export function positionOf (message: Pick<StoredMessage, 'sentAt' | 'id'>): string {
  return joinKey(timeKey(message.sentAt), message.id)
}

/** Disappearing messages: the message's key in 'message-expiry', `<expiresAt>!<id>`. */
export function expiryKey (message: Pick<StoredMessage, 'expiresAt' | 'id'>): string | undefined {
  return message.expiresAt == null ? undefined : joinKey(timeKey(message.expiresAt), message.id)
}

export function timelineKey (message: Pick<StoredMessage, 'conversationId' | 'sentAt' | 'id'>): string {
  return joinKey(message.conversationId, positionOf(message))
}

/** Check a cursor that came back from a caller (the UI may hold it across restarts). */
export function parseCursor (cursor: string): string {
  let parts: [string, string] | undefined
  try {
    parts = splitKey(cursor, 2, 'history cursor')
    keyPart('message id', parts[1])
  } catch {
    parts = undefined
  }
  if (parts === undefined || parseTimeKey(parts[0]) === undefined) throw new MalformedInputError('not a history cursor')
  return cursor
}

function checkSender (sender: OfficerSummary): void {
  const fields = [sender?.handle, sender?.displayName, sender?.title, sender?.department, sender?.deviceKey]
  if (fields.some(field => typeof field !== 'string')) throw new InvalidArgumentError('a message sender needs handle, displayName, title, department and deviceKey')
}

/** Validate a message before it is stored; returns its key in 'messages'. */
export function checkNewMessage (message: StoredMessage): string {
  keyPart('message id', message.id)
  keyPart('conversation id', message.conversationId)
  checkSender(message.sender)
  if (typeof message.fromMe !== 'boolean') throw new InvalidArgumentError('fromMe must be a boolean')
  if (!KINDS.includes(message.kind)) throw new InvalidArgumentError(`unknown message kind '${String(message.kind)}'`)
  if (typeof message.text !== 'string') throw new InvalidArgumentError('message text must be a string')
  if ((message.kind === 'file') !== (message.attachment != null)) throw new InvalidArgumentError('a file message, and only a file message, carries an attachment')
  if (message.expiresAt != null) timeKey(message.expiresAt) // disappearing messages: a time the expiry index can hold
  if (!isStateFor(message.fromMe, message.state)) {
    throw new InvalidStateTransitionError(`${message.fromMe ? 'an outgoing' : 'an incoming'} message cannot start in state '${String(message.state)}'`)
  }
  return timelineKey(message)
}

export function encodeMessage (message: StoredMessage): Uint8Array {
  const { id, conversationId, sender, fromMe, kind, text, sentAt, state, attachment, expiresAt } = message
  const { handle, displayName, title, department, deviceKey } = sender
  return encodeRecord({ id, conversationId, sender: { handle, displayName, title, department, deviceKey }, fromMe, kind, text, sentAt, state, ...encodeExtras(message), ...(attachment != null ? { attachment } : {}), ...(expiresAt != null ? { expiresAt } : {}) })
}

/** Attachments (docs/files.md): what the message says about its file. */
function readAttachment (r: RecordReader): Attachment {
  const thumbnail = r.optionalString('thumbnail')
  const durationMs = r.optionalCount('durationMs')
  return {
    fileId: r.string('fileId'),
    name: r.string('name'),
    mediaType: r.string('mediaType'),
    size: r.count('size'),
    ...(thumbnail !== undefined ? { thumbnail } : {}),
    ...(durationMs !== undefined ? { durationMs } : {})
  }
}

function readSender (r: RecordReader): OfficerSummary {
  return { handle: r.string('handle'), displayName: r.string('displayName'), title: r.string('title'), department: r.string('department'), deviceKey: r.string('deviceKey') }
}

/** Decode a record read from `key`, checking that it is the message the key says it is. */
export function decodeMessage (key: string, bytes: Uint8Array): StoredMessage {
  return decodeRecord(bytes, `messages/${key}`, (r) => {
    const sender = r.optionalObject('sender', readSender)
    if (sender === undefined) throw r.corrupt('no sender')
    const message: StoredMessage = {
      id: r.string('id'),
      conversationId: r.string('conversationId'),
      sender,
      fromMe: r.boolean('fromMe'),
      kind: r.oneOf('kind', KINDS),
      text: r.string('text'),
      sentAt: r.count('sentAt'),
      state: r.oneOf<MessageState>('state', MESSAGE_STATES),
      ...decodeExtras(r)
    }
    const attachment = r.optionalObject('attachment', readAttachment)
    if (attachment !== undefined) message.attachment = attachment
    const expiresAt = r.optionalCount('expiresAt')
    if (expiresAt !== undefined) message.expiresAt = expiresAt
    if (timelineKey(message) !== key) throw r.corrupt('record does not match its key')
    if (!isStateFor(message.fromMe, message.state)) throw r.corrupt(`state '${message.state}' does not fit the message's direction`)
    return message
  })
}
