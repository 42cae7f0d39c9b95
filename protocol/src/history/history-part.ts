import { FORMAT_VERSION, MAX_TEXT_BYTES } from '../constants.js'
import { utf8 } from '../bytes.js'
import { decodeBounded } from '../codec.js'
import { InvalidArgumentError, MalformedInputError } from '../errors.js'
import { isPrecedence, type Precedence } from '../content/precedence.js'
import { decodeManifest } from '../files/manifest.js'
import { HistoryKind, HistoryPart as WirePart, type HistoryMessage as WireMessage } from '../wire/generated/history.js'

/**
 * History transfer (docs/messenger.md, *History transfer*): what one device of
 * an officer sends another about a conversation, as plain data. The parts are
 * sealed to the asking device (history-seal.ts); this file packs messages
 * into parts and checks every field of a part that arrives.
 */

/** A request names its transfer with this many random bytes. */
export const HISTORY_REQUEST_ID_BYTES = 16
/** Most messages in one part (the repeated field's limit in history.proto too). */
export const MAX_HISTORY_PART_MESSAGES = 256
/**
 * Largest encoded part: the largest file manifest (2,048 chunk hashes and a
 * thumbnail, about 88 KiB) fits with room to spare, and a part stays well
 * under an envelope's 256 KiB. Parts are bulk traffic on a 2G link (64 kbit/s:
 * up to 16 s a part), sent after every text.
 */
export const MAX_HISTORY_PART_BYTES = 128 * 1024
/** Parts one conversation's transfer may have: 4,096 × 256 messages is more than a store keeps. */
export const MAX_HISTORY_PARTS = 4096
/** Longest message id, conversation id, handle or name field carried (ids are 64 hex digits). */
const MAX_FIELD_CHARS = 256
/** A quote is the start of a message's text. */
const MAX_QUOTE_BYTES = 1024

export interface HistorySender {
  handle: string
  displayName: string
  title: string
  department: string
  deviceKey: string
}

/** One message of a conversation, as the answering device has it. */
export interface HistoryEntry {
  id: string
  sender: HistorySender
  /** Written by one of the officer's own devices. */
  officersOwn: boolean
  kind: 'text' | 'system' | 'file'
  /** Empty only for a message deleted for everyone; a file's name for a file. */
  text: string
  /** A file's encoded FileManifest (its key included): the new device fetches the chunks like any member. */
  file?: Uint8Array
  sentAt: number
  replyTo?: { id: string, text: string, sender: string }
  editedAt?: number
  deletedAt?: number
  directive?: { issuedAt: number, deadline?: number }
  precedence?: Exclude<Precedence, 'routine'>
  expiresAt?: number
}

export interface HistoryPart {
  conversationId: string
  /** From 0. */
  part: number
  parts: number
  /** Messages in all the conversation's parts. */
  messagesTotal: number
  messages: HistoryEntry[]
}

const PRECEDENCE_TO_WIRE = { immediate: 1, flash: 2 } as const
const PRECEDENCE_FROM_WIRE: Record<number, Exclude<Precedence, 'routine'> | undefined> = { 1: 'immediate', 2: 'flash' }

function checkField (value: string, what: string, allowEmpty = false): void {
  if (typeof value !== 'string' || value.length > MAX_FIELD_CHARS || (!allowEmpty && value.length === 0)) throw new InvalidArgumentError(`${what} must be 1 to ${MAX_FIELD_CHARS} characters`)
}

function checkTime (value: number | undefined, what: string): void {
  if (value !== undefined && (!Number.isSafeInteger(value) || value <= 0)) throw new InvalidArgumentError(`${what} must be a positive integer of ms`)
}

function checkEntry (entry: HistoryEntry): void {
  checkField(entry.id, 'a message id')
  for (const field of ['handle', 'displayName', 'title', 'department', 'deviceKey'] as const) checkField(entry.sender[field], `the sender's ${field}`, field === 'title')
  if (entry.kind !== 'text' && entry.kind !== 'system' && entry.kind !== 'file') throw new InvalidArgumentError('a transferred message is a text, a file or a system line')
  if ((entry.kind === 'file') !== (entry.file !== undefined)) throw new InvalidArgumentError('a file, and only a file, carries a manifest')
  if (entry.file !== undefined) decodeManifest(entry.file)
  if (typeof entry.text !== 'string' || utf8(entry.text).length > MAX_TEXT_BYTES) throw new InvalidArgumentError(`a message's text is at most ${MAX_TEXT_BYTES} bytes`)
  if (entry.text === '' && entry.deletedAt === undefined) throw new InvalidArgumentError('only a deleted message has no text')
  checkTime(entry.sentAt, 'sent at')
  checkTime(entry.editedAt, 'edited at')
  checkTime(entry.deletedAt, 'deleted at')
  checkTime(entry.expiresAt, 'expires at')
  if (entry.replyTo !== undefined) {
    checkField(entry.replyTo.id, 'a quoted message id')
    checkField(entry.replyTo.sender, 'a quoted sender')
    if (utf8(entry.replyTo.text).length > MAX_QUOTE_BYTES) throw new InvalidArgumentError(`a quote is at most ${MAX_QUOTE_BYTES} bytes`)
  }
  if (entry.directive !== undefined) {
    checkTime(entry.directive.issuedAt, 'a directive\'s issue time')
    checkTime(entry.directive.deadline, 'a directive\'s deadline')
  }
  if (entry.precedence !== undefined && (!isPrecedence(entry.precedence) || (entry.precedence as Precedence) === 'routine')) throw new InvalidArgumentError('a precedence is flash or immediate; routine is left out')
}

/** Whether an entry can travel (InvalidArgumentError or MalformedInputError if not): lets a sender leave out one it cannot send. */
export function checkHistoryEntry (entry: HistoryEntry): void {
  checkEntry(entry)
}

function checkPart (part: HistoryPart): void {
  checkField(part.conversationId, 'a conversation id')
  if (!Number.isInteger(part.parts) || part.parts < 1 || part.parts > MAX_HISTORY_PARTS) throw new InvalidArgumentError(`a transfer has 1 to ${MAX_HISTORY_PARTS} parts`)
  if (!Number.isInteger(part.part) || part.part < 0 || part.part >= part.parts) throw new InvalidArgumentError(`part ${part.part} is not one of ${part.parts}`)
  if (part.messages.length > MAX_HISTORY_PART_MESSAGES) throw new InvalidArgumentError(`a part holds at most ${MAX_HISTORY_PART_MESSAGES} messages`)
  if (!Number.isInteger(part.messagesTotal) || part.messagesTotal < part.messages.length || part.messagesTotal > MAX_HISTORY_PARTS * MAX_HISTORY_PART_MESSAGES) throw new InvalidArgumentError('the transfer\'s message total does not fit its parts')
  for (const entry of part.messages) checkEntry(entry)
}

function entryToWire (e: HistoryEntry): WireMessage {
  return {
    id: e.id,
    sender: { ...e.sender },
    officersOwn: e.officersOwn,
    kind: e.kind === 'text' ? HistoryKind.HISTORY_TEXT : e.kind === 'file' ? HistoryKind.HISTORY_FILE : HistoryKind.HISTORY_SYSTEM,
    text: e.text,
    sentAt: e.sentAt,
    replyToId: e.replyTo?.id ?? '',
    replyToText: e.replyTo?.text ?? '',
    replyToSender: e.replyTo?.sender ?? '',
    editedAt: e.editedAt ?? 0,
    deletedAt: e.deletedAt ?? 0,
    directiveIssuedAt: e.directive?.issuedAt ?? 0,
    directiveDeadline: e.directive?.deadline ?? 0,
    precedence: e.precedence !== undefined ? PRECEDENCE_TO_WIRE[e.precedence] : 0,
    expiresAt: e.expiresAt ?? 0,
    file: e.file ?? new Uint8Array(0)
  }
}

const optional = (ms: number): number | undefined => ms > 0 ? ms : undefined

function entryFromWire (w: WireMessage): HistoryEntry {
  if (w.sender == null) throw new InvalidArgumentError('a transferred message names its sender')
  const kind = w.kind === HistoryKind.HISTORY_TEXT ? 'text' : w.kind === HistoryKind.HISTORY_SYSTEM ? 'system' : w.kind === HistoryKind.HISTORY_FILE ? 'file' : undefined
  if (kind === undefined) throw new InvalidArgumentError('a transferred message is a text, a file or a system line')
  const precedence = PRECEDENCE_FROM_WIRE[w.precedence]
  if (w.precedence !== 0 && precedence === undefined) throw new InvalidArgumentError(`precedence ${w.precedence} is not known`)
  if (w.directiveIssuedAt === 0 && w.directiveDeadline !== 0) throw new InvalidArgumentError('a deadline belongs to a directive')
  const entry: HistoryEntry = { id: w.id, sender: { ...w.sender }, officersOwn: w.officersOwn, kind, text: w.text, sentAt: w.sentAt }
  if (w.replyToId !== '') entry.replyTo = { id: w.replyToId, text: w.replyToText, sender: w.replyToSender }
  else if (w.replyToText !== '' || w.replyToSender !== '') throw new InvalidArgumentError('a quote names the message it quotes')
  const editedAt = optional(w.editedAt)
  const deletedAt = optional(w.deletedAt)
  const expiresAt = optional(w.expiresAt)
  if (editedAt !== undefined) entry.editedAt = editedAt
  if (deletedAt !== undefined) entry.deletedAt = deletedAt
  if (expiresAt !== undefined) entry.expiresAt = expiresAt
  if (w.directiveIssuedAt > 0) entry.directive = { issuedAt: w.directiveIssuedAt, ...(w.directiveDeadline > 0 ? { deadline: w.directiveDeadline } : {}) }
  if (precedence !== undefined) entry.precedence = precedence
  if (w.file.length > 0) entry.file = w.file
  return entry
}

export function encodeHistoryPart (part: HistoryPart): Uint8Array {
  checkPart(part)
  const bytes = WirePart.encode({ version: FORMAT_VERSION, conversationId: part.conversationId, part: part.part, parts: part.parts, messagesTotal: part.messagesTotal, messages: part.messages.map(entryToWire) })
  if (bytes.length > MAX_HISTORY_PART_BYTES) throw new InvalidArgumentError(`a history part of ${bytes.length} bytes is over the limit of ${MAX_HISTORY_PART_BYTES}`)
  return bytes
}

/** Every failure is a MalformedInputError or TooLargeError. */
export function decodeHistoryPart (bytes: Uint8Array): HistoryPart {
  const wire = decodeBounded(WirePart, bytes, MAX_HISTORY_PART_BYTES, 'history part', { limits: { messages: MAX_HISTORY_PART_MESSAGES } })
  try {
    if (wire.version !== FORMAT_VERSION) throw new InvalidArgumentError(`history part version ${wire.version} is not supported`)
    const part: HistoryPart = { conversationId: wire.conversationId, part: wire.part, parts: wire.parts, messagesTotal: wire.messagesTotal, messages: wire.messages.map(entryFromWire) }
    checkPart(part)
    return part
  } catch (err) {
    throw new MalformedInputError(`history part: ${(err as Error).message}`)
  }
}

/**
 * A conversation's messages (oldest first) as parts, each under both limits.
 * No messages still make one empty part, so the asking device hears that the
 * transfer is complete.
 */
export function packHistory (conversationId: string, entries: HistoryEntry[]): HistoryPart[] {
  let current: HistoryEntry[] = []
  const groups: HistoryEntry[][] = [current]
  let size = 0
  const headroom = 64 // the part's own fields
  for (const entry of entries) {
    const one = WirePart.encode({ version: FORMAT_VERSION, conversationId, part: 0, parts: 1, messagesTotal: 0, messages: [entryToWire(entry)] }).length
    if (one + headroom > MAX_HISTORY_PART_BYTES) throw new InvalidArgumentError(`message ${entry.id} does not fit a history part`)
    if (current.length >= MAX_HISTORY_PART_MESSAGES || size + one + headroom > MAX_HISTORY_PART_BYTES) {
      current = [entry]
      groups.push(current)
      size = one
    } else {
      current.push(entry)
      size += one
    }
  }
  if (groups.length > MAX_HISTORY_PARTS) throw new InvalidArgumentError(`a history of ${entries.length} messages is more than ${MAX_HISTORY_PARTS} parts`)
  return groups.map((messages, part) => ({ conversationId, part, parts: groups.length, messagesTotal: entries.length, messages }))
}
