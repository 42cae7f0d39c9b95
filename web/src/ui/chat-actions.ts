/**
 * What a message bubble can ask of its chat (issue 16): answer it, edit or
 * delete it, acknowledge a directive, show a directive's status. The chat
 * (ChatView) provides them; the composer shows the reply or edit under way.
 */
import { createContext } from 'preact'
import { useContext } from 'preact/hooks'
import type { ChatMessage } from '../messenger.js'

export interface ChatActions {
  reply: (message: ChatMessage) => void
  edit: (message: ChatMessage) => void
  remove: (message: ChatMessage) => void
  acknowledge: (message: ChatMessage) => void
  showStatus: (message: ChatMessage) => void
  /** The department's edit window in ms: past it, no Edit or Delete button. */
  editWindowMs: number
  /** False on a closed conversation or a revoked device: history only. */
  writable: boolean
}

export const ChatActionsContext = createContext<ChatActions | null>(null)

export function useChatActions (): ChatActions | null {
  return useContext(ChatActionsContext)
}

/** A sent message of ours that may still be edited or deleted (the receivers check again). */
export function canAmend (message: ChatMessage, windowMs: number, now: number): boolean {
  return message.fromMe && message.kind === 'text' && message.directive == null && message.deletedAt == null &&
    /^[0-9a-f]{64}$/.test(message.id) && now - message.sentAt <= windowMs
}
