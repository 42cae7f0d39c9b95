import { encodeManifest, fileIdOf, toHex, type FileManifest, type OpenedEnvelope, type Precedence } from '@dak/protocol'
import type { StoreOp, StoredConversation } from '../../storage/index.js'
import type { ChatMessage, OfficerSummary } from '../api.js'
import { attachmentOf } from './send.js'

/**
 * A file message arrived (docs/files.md): the message, and the file record
 * with its manifest, go into the inbox's batch together, so a message whose
 * file this device cannot fetch never exists. The chunks come later, on
 * demand or by auto-download.
 */
export function incomingFileOps (conversation: StoredConversation, envelope: OpenedEnvelope, sender: OfficerSummary, manifest: FileManifest, extras: { expiresAt?: number, precedence?: Precedence, ownOfficer?: boolean } = {}): { message: ChatMessage, ops: StoreOp[] } {
  const { expiresAt, precedence, ownOfficer } = extras
  const fileId = toHex(fileIdOf(manifest.chunkHashes))
  // disappearing messages: the file record carries its message's expiry, and goes with it
  const expiry = expiresAt != null ? { expiresAt } : {}
  const message: ChatMessage = {
    id: toHex(envelope.id), conversationId: conversation.id, sender, fromMe: false, kind: 'file', text: manifest.name, sentAt: envelope.timestamp,
    // sent by the officer's own other device: read already, as for a text (inbox-effects.ts)
    state: ownOfficer === true ? 'read' : 'received', ...(ownOfficer === true ? { fromMyOtherDevice: true } : {}),
    attachment: attachmentOf(fileId, manifest), ...expiry,
    ...(precedence != null && precedence !== 'routine' ? { precedence } : {})
  }
  return {
    message,
    ops: [
      { type: 'file-put', file: { fileId, conversationId: conversation.id, manifest: encodeManifest(manifest), fromMe: false, createdAt: envelope.timestamp, uploadedTo: [], ...expiry } },
      { type: 'message-add', message }
    ]
  }
}
