/** How an attachment is described and shown: sizes, durations, kinds, the thumbnail's URL (pure). */
import type { ChatMessage } from '../messenger.js'

export type Attachment = NonNullable<ChatMessage['attachment']>

/** Images show inline, voice notes play inline, everything else is a card with Download/Save. */
export type AttachmentKind = 'image' | 'voice' | 'file'

/** Image types every current browser decodes; an officer's TIFF or HEIC stays a file card. */
const INLINE_IMAGE = /^image\/(png|jpeg|gif|webp|avif|bmp)$/i

export function attachmentKind (attachment: Pick<Attachment, 'mediaType' | 'durationMs'>): AttachmentKind {
  const type = baseType(attachment.mediaType)
  if (INLINE_IMAGE.test(type)) return 'image'
  if (type.startsWith('audio/') && attachment.durationMs !== undefined) return 'voice'
  return 'file'
}

/** `audio/webm;codecs=opus` → `audio/webm`, lower case. */
export function baseType (mediaType: string): string {
  return (mediaType.split(';')[0] ?? '').trim().toLowerCase()
}

/** Sizes as officers read them: 0 B, 850 B, 20 KB, 2.5 MB, 1.2 GB (decimal, like file managers). */
export function formatBytes (bytes: number): string {
  if (bytes < 1000) return `${bytes} B`
  const units = ['KB', 'MB', 'GB']
  let value = bytes / 1000
  let unit = 0
  while (value >= 1000 && unit < units.length - 1) { value /= 1000; unit++ }
  const digits = value < 10 ? 1 : 0
  return `${value.toFixed(digits).replace(/\.0$/, '')} ${units[unit] ?? 'GB'}`
}

/** A voice note's length: 0:07, 1:05, 12:00. */
export function formatDuration (ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000))
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`
}

/** What the card says under the name: "PDF · 2.5 MB". */
export function fileDescription (attachment: Pick<Attachment, 'mediaType' | 'size'>): string {
  const type = baseType(attachment.mediaType)
  const sub = type.split('/')[1] ?? ''
  const label = sub === '' || sub === 'octet-stream' ? 'File' : sub.replace(/^(x-|vnd\.)/, '').toUpperCase()
  return `${label} · ${formatBytes(attachment.size)}`
}

/** The image type of a thumbnail, from its first bytes (the manifest does not say it). */
export function sniffImageType (bytes: Uint8Array): string | undefined {
  const starts = (...b: number[]): boolean => b.every((v, i) => bytes[i] === v)
  if (starts(0x89, 0x50, 0x4e, 0x47)) return 'image/png'
  if (starts(0xff, 0xd8, 0xff)) return 'image/jpeg'
  if (starts(0x52, 0x49, 0x46, 0x46) && bytes[8] === 0x57 && bytes[9] === 0x45 && bytes[10] === 0x42 && bytes[11] === 0x50) return 'image/webp'
  if (starts(0x47, 0x49, 0x46, 0x38)) return 'image/gif'
  return undefined
}

/** base64url (the engine's form of the thumbnail) → bytes; undefined when it is not base64url. */
export function fromBase64Url (text: string): Uint8Array | undefined {
  if (!/^[A-Za-z0-9_-]*={0,2}$/.test(text)) return undefined
  const standard = text.replace(/-/g, '+').replace(/_/g, '/').replace(/=+$/, '')
  const binary = atob(standard + '='.repeat((4 - standard.length % 4) % 4))
  return Uint8Array.from(binary, c => c.charCodeAt(0))
}

/** A data: URL for the thumbnail, or undefined when there is none or it is not an image we know. */
export function thumbnailUrl (attachment: Pick<Attachment, 'thumbnail'>): string | undefined {
  if (attachment.thumbnail === undefined) return undefined
  const bytes = fromBase64Url(attachment.thumbnail)
  const type = bytes === undefined ? undefined : sniffImageType(bytes)
  if (bytes === undefined || type === undefined) return undefined
  let binary = ''
  for (const b of bytes) binary += String.fromCharCode(b)
  return `data:${type};base64,${btoa(binary)}`
}
