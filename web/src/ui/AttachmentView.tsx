/**
 * What a file message shows (docs/web.md, *Attachments*): an image's preview
 * from the message itself, then the image once downloaded; a voice note's
 * player; for any other file a card with its name, type and size, Download
 * with progress, then Save.
 */
import { attachmentKind, fileDescription, formatBytes, formatDuration, thumbnailUrl, type Attachment } from '../files/file-format.js'
import { useAttachment, type AttachmentView as View } from '../files/use-attachment.js'
import { useApp } from './context.js'

interface Props {
  messageId: string
  attachment: Attachment
}

export function AttachmentView ({ messageId, attachment }: Props) {
  const { messenger, reportError } = useApp()
  const view = useAttachment(messenger, messageId, attachment, reportError)
  const kind = attachmentKind(attachment)
  return (
    <div class="attachment" data-testid="attachment" data-kind={kind} data-held={view.held} data-file-id={attachment.fileId}>
      {kind === 'image' && <ImageBody attachment={attachment} view={view} />}
      {kind === 'voice' && <VoiceBody attachment={attachment} view={view} />}
      {kind === 'file' && <p class="attachment-name" data-testid="attachment-name">{attachment.name}</p>}
      <p class="attachment-meta muted">{fileDescription(attachment)}</p>
      <Progress view={view} />
      <Actions kind={kind} view={view} name={attachment.name} />
    </div>
  )
}

function ImageBody ({ attachment, view }: { attachment: Attachment, view: View }) {
  if (view.url !== null) return <img class="attachment-image" data-testid="attachment-image" src={view.url} alt={attachment.name} />
  const preview = thumbnailUrl(attachment)
  if (preview === undefined) return <p class="attachment-name">{attachment.name}</p>
  return <img class="attachment-thumbnail" data-testid="attachment-thumbnail" src={preview} alt={`Preview of ${attachment.name}`} />
}

function VoiceBody ({ attachment, view }: { attachment: Attachment, view: View }) {
  // the length from the message: a recorder's WebM carries none, so the player alone would say 0:00
  const length = formatDuration(attachment.durationMs ?? 0)
  return (
    <>
      <p class="attachment-name">Voice note · {length}</p>
      {view.url !== null && <audio class="attachment-audio" data-testid="attachment-audio" controls preload="metadata" src={view.url} aria-label={`Voice note, ${length}`} />}
    </>
  )
}

function Progress ({ view }: { view: View }) {
  const p = view.progress
  if (view.held !== 'downloading' || p === null) return null
  return (
    <p class="attachment-progress" role="status">
      <progress data-testid="attachment-progress" value={p.held} max={p.total} />
      <span>{formatBytes(p.bytes)} of {formatBytes(p.size)}</span>
    </p>
  )
}

function Actions ({ kind, view, name }: { kind: string, view: View, name: string }) {
  const here = view.held === 'complete'
  const fetchable = view.held === 'remote' || view.held === 'partial' || view.held === 'failed'
  return (
    <p class="attachment-actions">
      {fetchable && (
        <button type="button" data-testid="attachment-download" onClick={view.download}>
          {view.held === 'failed' ? 'Try again' : view.held === 'partial' ? 'Resume download' : 'Download'}
        </button>
      )}
      {here && (kind === 'file' || view.url !== null) && (
        <button type="button" data-testid="attachment-save" onClick={view.save} aria-label={`Save ${name}`}>Save</button>
      )}
    </p>
  )
}
