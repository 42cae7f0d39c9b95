import { extname } from 'node:path'

/**
 * The media type `dak send-file` gives a file from its extension, when
 * --type does not say: the types officers send (circulars, photos, voice
 * notes, spreadsheets); anything else is application/octet-stream.
 */
const BY_EXTENSION: Record<string, string> = {
  '.pdf': 'application/pdf',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.png': 'image/png',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.txt': 'text/plain',
  '.csv': 'text/csv',
  '.doc': 'application/msword',
  '.docx': 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  '.xls': 'application/vnd.ms-excel',
  '.xlsx': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  '.odt': 'application/vnd.oasis.opendocument.text',
  '.zip': 'application/zip',
  '.webm': 'audio/webm',
  '.ogg': 'audio/ogg',
  '.opus': 'audio/ogg',
  '.m4a': 'audio/mp4',
  '.mp3': 'audio/mpeg',
  '.mp4': 'video/mp4'
}

export function mediaTypeOf (path: string): string {
  return BY_EXTENSION[extname(path).toLowerCase()] ?? 'application/octet-stream'
}

/** A received file's name made safe to save in the current directory: no path, no leading dot. */
export function safeFileName (name: string): string {
  const base = name.replace(/[/\\]/g, '_').replace(/[\u0000-\u001f\u007f]/g, '').replace(/^\.+/, '')
  return base.length > 0 ? base : 'download'
}

/** "19.1 MB": sizes for people (decimal units, as file managers show them). */
export function formatSize (bytes: number): string {
  if (bytes < 1000) return `${bytes} B`
  const units = ['kB', 'MB', 'GB']
  let value = bytes / 1000
  let unit = 0
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000
    unit++
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`
}
