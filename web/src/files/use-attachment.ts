/**
 * One message's attachment as the chat shows it: how much of it this device
 * holds (fileStatus, then 'file-progress' events, including the engine's own
 * auto-download of small files), the downloaded bytes as an object URL for
 * images and voice notes, and saving a file to disk. The object URL is
 * revoked when the message leaves the screen, and a download started here is
 * aborted then (its checked chunks stay, so it resumes next time).
 */
import { useCallback, useEffect, useRef, useState } from 'preact/hooks'
import type { FileProgress, Messenger } from '@dak/node/messenger/api'
import { attachmentKind, type Attachment } from './file-format.js'

/** 'remote': nothing held and nothing fetching; 'partial': some chunks kept from an earlier try. */
export type HeldState = 'unknown' | 'remote' | 'partial' | 'downloading' | 'complete' | 'failed'

export interface AttachmentView {
  held: HeldState
  progress: FileProgress | null
  /** Object URL of the checked, decrypted bytes (images and voice notes, once here). */
  url: string | null
  /** Fetches the file (resuming), and for images and voice notes shows it. */
  download: () => void
  /** Hands the file to the browser's Save dialog, fetching it first if needed. */
  save: () => void
}

function heldState (progress: FileProgress): HeldState {
  if (progress.state !== 'downloading') return progress.state
  return progress.held === 0 ? 'remote' : 'partial'
}

export function useAttachment (messenger: Messenger, messageId: string, attachment: Attachment, reportError: (err: unknown) => void): AttachmentView {
  const inline = attachmentKind(attachment) !== 'file'
  const [progress, setProgress] = useState<FileProgress | null>(null)
  const [held, setHeld] = useState<HeldState>('unknown')
  const [url, setUrl] = useState<string | null>(null)
  const abort = useRef(new AbortController())
  const urlRef = useRef<string | null>(null)

  useEffect(() => {
    const controller = new AbortController()
    abort.current = controller
    let open = true
    messenger.fileStatus(messageId).then(status => {
      if (!open) return
      setProgress(status)
      // an event may already have said it is downloading
      setHeld(current => current === 'downloading' ? current : heldState(status))
    }, reportError)
    const off = messenger.on('file-progress', event => {
      if (!open || event.fileId !== attachment.fileId) return
      setProgress(event)
      // a failure is reported by whoever called download(): the officer's click below, or the engine for its auto-download
      setHeld(event.state)
    })
    return () => {
      open = false
      off()
      controller.abort()
      if (urlRef.current !== null) URL.revokeObjectURL(urlRef.current)
      urlRef.current = null
    }
  }, [messenger, messageId, attachment.fileId, reportError])

  const fetchBytes = useCallback(async (): Promise<Blob> => {
    const file = await messenger.download(messageId, { signal: abort.current.signal })
    return new Blob([file.bytes as Uint8Array<ArrayBuffer>], { type: file.mediaType })
  }, [messenger, messageId])

  const download = useCallback(() => {
    setHeld(current => current === 'complete' ? current : 'downloading')
    fetchBytes().then(blob => {
      if (abort.current.signal.aborted || !inline) return
      if (urlRef.current !== null) URL.revokeObjectURL(urlRef.current)
      urlRef.current = URL.createObjectURL(blob)
      setUrl(urlRef.current)
    }, err => {
      if (abort.current.signal.aborted) return
      setHeld('failed')
      reportError(err)
    })
  }, [fetchBytes, inline, reportError])

  // Images and voice notes show as soon as every chunk is here: on opening the
  // chat, after the engine's auto-download, or after the officer's Download.
  useEffect(() => {
    if (inline && held === 'complete' && url === null) download()
  }, [inline, held, url, download])

  const save = useCallback(() => {
    fetchBytes().then(blob => {
      const link = document.createElement('a')
      const href = URL.createObjectURL(blob)
      link.href = href
      link.download = attachment.name
      link.rel = 'noopener'
      document.body.append(link)
      link.click()
      link.remove()
      // the browser has taken the bytes once the click returns; free them a little later
      setTimeout(() => { URL.revokeObjectURL(href) }, 60_000)
    }, err => { if (!abort.current.signal.aborted) reportError(err) })
  }, [fetchBytes, attachment.name, reportError])

  return { held, progress, url, download, save }
}
