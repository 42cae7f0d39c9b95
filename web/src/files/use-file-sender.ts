/**
 * Sending attachments from the chat: files picked with the attach button or
 * dropped on the chat, and recorded voice notes. Each file is checked against
 * the limit before it is read, then queued like a message (the engine keeps it
 * encrypted on this device first, so it goes out when a path exists).
 */
import { useCallback, useState } from 'preact/hooks'
import type { ChatMessage, Messenger } from '../messenger.js'
import { checkSize, outgoingFile } from './outgoing.js'
import type { VoiceNote } from './voice-recorder.js'

export interface FileSender {
  /** Files being read and queued now. */
  sending: number
  sendFiles: (files: Iterable<File>) => void
  sendVoiceNote: (note: VoiceNote) => void
}

export function useFileSender (messenger: Messenger, conversationId: string, onSent: (message: ChatMessage) => void, reportError: (err: unknown) => void): FileSender {
  const [sending, setSending] = useState(0)

  const queue = useCallback((work: () => Promise<ChatMessage>) => {
    setSending(n => n + 1)
    work().then(onSent, reportError).finally(() => { setSending(n => n - 1) })
  }, [onSent, reportError])

  const sendFiles = useCallback((files: Iterable<File>) => {
    for (const file of files) {
      // one file over the limit is refused on its own; the others still go
      try {
        checkSize(file)
      } catch (err) {
        reportError(err)
        continue
      }
      queue(async () => await messenger.sendFile(conversationId, await outgoingFile(file)))
    }
  }, [messenger, conversationId, queue, reportError])

  const sendVoiceNote = useCallback((note: VoiceNote) => {
    queue(async () => {
      const bytes = new Uint8Array(await note.blob.arrayBuffer())
      // the name is what the chat list previews and what Save offers: "Voice note 2026-12-07 10.24.05.webm"
      const now = new Date()
      const two = (n: number): string => String(n).padStart(2, '0')
      const stamp = `${now.getFullYear()}-${two(now.getMonth() + 1)}-${two(now.getDate())} ${two(now.getHours())}.${two(now.getMinutes())}.${two(now.getSeconds())}`
      return await messenger.sendFile(conversationId, { bytes, name: `Voice note ${stamp}.webm`, mediaType: note.mediaType, durationMs: Math.max(1, note.durationMs) })
    })
  }, [messenger, conversationId, queue])

  return { sending, sendFiles, sendVoiceNote }
}
