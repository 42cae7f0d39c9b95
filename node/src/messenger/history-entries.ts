import { decodeManifest, fileIdOf, toHex, type HistoryEntry } from '@dak/protocol'
import type { StoreOp } from '../storage/index.js'
import type { ChatMessage } from './api.js'
import { attachmentOf } from './files/send.js'

/**
 * History transfer (docs/messenger.md, *History transfer*): a stored message
 * as a transferred entry and back. What is carried is what the officer sees:
 * text, sender as shown then, quote, edit and deletion, directive times,
 * precedence, the disappearing time, and a file's manifest (its key: the new
 * device fetches the chunks as any member does). Local states (ticks, unread) are not:
 * on the new device the whole history is read, and ticks belong to the device
 * that sent.
 */

/** Not carried: messages still queued (local ids) and expired ones. */
export function isTransferable (message: ChatMessage, now: number): boolean {
  if (message.fromMe && message.state === 'queued') return false
  return message.expiresAt == null || message.expiresAt > now
}

/** `manifest`: a file message's encoded manifest, as this device keeps it. */
export function entryOf (message: ChatMessage, manifest?: Uint8Array): HistoryEntry {
  const { handle, displayName, title, department, deviceKey } = message.sender
  const entry: HistoryEntry = {
    id: message.id,
    sender: { handle, displayName, title, department, deviceKey },
    officersOwn: message.fromMe || message.fromMyOtherDevice === true,
    kind: message.kind,
    text: message.text,
    sentAt: message.sentAt
  }
  if (manifest != null) entry.file = manifest
  if (message.replyTo != null) entry.replyTo = { ...message.replyTo }
  if (message.editedAt != null) entry.editedAt = message.editedAt
  if (message.deletedAt != null) entry.deletedAt = message.deletedAt
  if (message.directive != null) entry.directive = { issuedAt: message.directive.issuedAt, ...(message.directive.deadline != null ? { deadline: message.directive.deadline } : {}) }
  if (message.precedence != null && message.precedence !== 'routine') entry.precedence = message.precedence
  if (message.expiresAt != null) entry.expiresAt = message.expiresAt
  return entry
}

/** On the device that asked: the officer's own messages are theirs from another device; everything is read. */
export function messageOf (entry: HistoryEntry, conversationId: string): { message: ChatMessage, ops: StoreOp[] } {
  const message: ChatMessage = {
    id: entry.id,
    conversationId,
    sender: { ...entry.sender },
    fromMe: false,
    kind: entry.kind,
    text: entry.text,
    sentAt: entry.sentAt,
    state: 'read'
  }
  if (entry.officersOwn && entry.kind !== 'system') message.fromMyOtherDevice = true
  if (entry.replyTo != null) message.replyTo = { ...entry.replyTo }
  if (entry.editedAt != null) message.editedAt = entry.editedAt
  if (entry.deletedAt != null) message.deletedAt = entry.deletedAt
  if (entry.directive != null) message.directive = { ...entry.directive }
  if (entry.precedence != null) message.precedence = entry.precedence
  if (entry.expiresAt != null) message.expiresAt = entry.expiresAt
  const ops: StoreOp[] = []
  if (entry.file != null) {
    // the file record beside its message, as when a file arrives (files/incoming-file.ts): fetched on demand
    const manifest = decodeManifest(entry.file)
    const fileId = toHex(fileIdOf(manifest.chunkHashes))
    message.attachment = attachmentOf(fileId, manifest)
    ops.push({ type: 'file-put', file: { fileId, conversationId, manifest: entry.file, fromMe: false, createdAt: entry.sentAt, uploadedTo: [], ...(entry.expiresAt != null ? { expiresAt: entry.expiresAt } : {}) } })
  }
  ops.push({ type: 'message-add', message })
  return { message, ops }
}
