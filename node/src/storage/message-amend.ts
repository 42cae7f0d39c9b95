import { InvalidArgumentError } from '@dak/protocol'
import { removeFile } from './files.js'
import { decodeText } from './codec.js'
import { PREVIEW_MAX_CHARS } from './constants.js'
import { loadConversation, saveConversation } from './conversations.js'
import { RecordNotFoundError } from './errors.js'
import { keyPart } from './keys.js'
import type { Sections } from './layout.js'
import { decodeMessage, encodeMessage, type StoredMessage } from './message-record.js'
import type { WriteTransaction } from './transaction.js'

/**
 * An edit or deletion of a stored message, or this device's acknowledgement
 * of a directive. Who may make it was decided before (messenger/amend.ts); the
 * store only applies it, and keeps the conversation's preview in step.
 */
export type MessageAmendOp =
  | { type: 'message-edit', id: string, text: string, at: number }
  | { type: 'message-delete', id: string, at: number }
  | { type: 'message-acknowledged', id: string, at: number }

export async function applyMessageAmendOp (tx: WriteTransaction, sections: Sections, op: MessageAmendOp): Promise<StoredMessage> {
  const pointer = await tx.get(sections['message-ids'], keyPart('message id', op.id))
  if (pointer === undefined) throw new RecordNotFoundError(`no message ${op.id}`)
  const key = decodeText(pointer, `message-ids/${op.id}`)
  const bytes = await tx.get(sections.messages, key)
  if (bytes === undefined) throw new RecordNotFoundError(`no message ${op.id}`)
  const message = decodeMessage(key, bytes)
  let updated: StoredMessage
  switch (op.type) {
    case 'message-edit':
      if (typeof op.text !== 'string' || op.text.length === 0) throw new InvalidArgumentError('edited text must be a non-empty string')
      // a deleted message stays deleted: a late edit must not bring it back
      if (message.deletedAt !== undefined) return message
      updated = { ...message, text: op.text, editedAt: op.at }
      break
    case 'message-delete':
      updated = { ...message, text: '', deletedAt: op.at }
      // deleted for everyone: its file goes too (the message keeps saying what it was, not its contents)
      if (message.attachment != null) await removeFile(tx, sections, message.attachment.fileId)
      break
    case 'message-acknowledged':
      if (message.directive === undefined) throw new InvalidArgumentError(`message ${op.id} is not a directive`)
      updated = { ...message, directive: { ...message.directive, acknowledgedAt: message.directive.acknowledgedAt ?? op.at } }
      break
  }
  tx.put(sections.messages, key, encodeMessage(updated))
  const conversation = await loadConversation(tx, sections, message.conversationId)
  if (conversation.lastMessage?.id === op.id && op.type !== 'message-acknowledged') {
    const text = op.type === 'message-delete' ? '' : Array.from(updated.text).slice(0, PREVIEW_MAX_CHARS).join('')
    saveConversation(tx, sections, conversation, { ...conversation, lastMessage: { ...conversation.lastMessage, text } })
  }
  return updated
}
