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

const SIZE = /^(\d+(?:\.\d+)?)\s*(b|kb|mb|gb)?$/i
const UNIT_BYTES: Record<string, number> = { b: 1, kb: 1000, mb: 1_000_000, gb: 1_000_000_000 }

/** "2MB", "500 kB", "1500000", "0" or "off" (nothing) → bytes, decimal units as formatSize writes them; undefined if it is not a size. */
export function parseSize (text: string): number | undefined {
  if (/^(off|never|none)$/i.test(text.trim())) return 0
  const match = SIZE.exec(text.trim())
  if (match == null) return undefined
  const bytes = Math.round(Number(match[1]) * (UNIT_BYTES[(match[2] ?? 'b').toLowerCase()] ?? 1))
  return Number.isSafeInteger(bytes) ? bytes : undefined
}
