/** A picked or dropped file as the engine takes it: its bytes, name, type, and a preview for images. */
import type { OutgoingFile } from '@dak/node/messenger/api'
import { FileTooLargeError } from './errors.js'
import { attachmentKind, formatBytes } from './file-format.js'
import { MAX_FILE_BYTES } from './limits.js'

/** Refused before reading: a file over the limit is never loaded into the page's memory. */
export function checkSize (file: Blob & { name?: string }): void {
  if (file.size > MAX_FILE_BYTES) {
    throw new FileTooLargeError(`${file.name ?? 'The file'} is ${formatBytes(file.size)}; at most ${formatBytes(MAX_FILE_BYTES)} can be sent`)
  }
}

export async function outgoingFile (file: File): Promise<OutgoingFile> {
  checkSize(file)
  // browsers leave the type empty for extensions they do not know
  const mediaType = file.type !== '' ? file.type : 'application/octet-stream'
  const bytes = new Uint8Array(await file.arrayBuffer())
  const name = file.name !== '' ? file.name : 'file'
  if (attachmentKind({ mediaType }) !== 'image') return { bytes, name, mediaType }
  const { makeThumbnail } = await import('./thumbnail.js')
  const thumbnail = await makeThumbnail(file)
  return { bytes, name, mediaType, ...(thumbnail !== undefined ? { thumbnail } : {}) }
}
