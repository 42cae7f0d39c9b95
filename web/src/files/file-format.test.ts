import { describe, expect, it } from 'vitest'
import { DEFAULT_MAX_FILE_BYTES, MAX_THUMBNAIL_BYTES as PROTOCOL_MAX_THUMBNAIL_BYTES } from '../../../protocol/src/files/limits.js'
import { attachmentKind, fileDescription, formatBytes, formatDuration, fromBase64Url, sniffImageType, thumbnailUrl } from './file-format.js'
import { MAX_FILE_BYTES, MAX_THUMBNAIL_BYTES, THUMBNAIL_TARGET_BYTES } from './limits.js'

describe('attachment wording', () => {
  it('keeps the client limits equal to the protocol', () => {
    expect(MAX_FILE_BYTES).toBe(DEFAULT_MAX_FILE_BYTES)
    expect(MAX_THUMBNAIL_BYTES).toBe(PROTOCOL_MAX_THUMBNAIL_BYTES)
    expect(THUMBNAIL_TARGET_BYTES).toBeLessThan(MAX_THUMBNAIL_BYTES)
  })

  it('tells images, voice notes and other files apart', () => {
    expect(attachmentKind({ mediaType: 'image/jpeg' })).toBe('image')
    expect(attachmentKind({ mediaType: 'IMAGE/PNG' })).toBe('image')
    expect(attachmentKind({ mediaType: 'image/tiff' })).toBe('file')
    expect(attachmentKind({ mediaType: 'audio/webm;codecs=opus', durationMs: 4000 })).toBe('voice')
    // an audio file someone attached, not recorded: no duration, so a card
    expect(attachmentKind({ mediaType: 'audio/mpeg' })).toBe('file')
    expect(attachmentKind({ mediaType: 'application/pdf' })).toBe('file')
  })

  it('writes sizes and durations as people read them', () => {
    expect(formatBytes(0)).toBe('0 B')
    expect(formatBytes(999)).toBe('999 B')
    expect(formatBytes(20_000)).toBe('20 KB')
    expect(formatBytes(2_500_000)).toBe('2.5 MB')
    expect(formatBytes(104_857_600)).toBe('105 MB')
    expect(formatDuration(7_400)).toBe('0:07')
    expect(formatDuration(65_000)).toBe('1:05')
    expect(fileDescription({ mediaType: 'application/pdf', size: 2_500_000 })).toBe('PDF · 2.5 MB')
    expect(fileDescription({ mediaType: 'application/octet-stream', size: 10 })).toBe('File · 10 B')
  })

  it('reads a base64url thumbnail and knows its image type by its bytes', () => {
    const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0xfb, 0xff])
    const b64url = Buffer.from(png).toString('base64url')
    expect(fromBase64Url(b64url)).toEqual(png)
    expect(sniffImageType(png)).toBe('image/png')
    expect(sniffImageType(Uint8Array.from([0xff, 0xd8, 0xff, 0xe0]))).toBe('image/jpeg')
    expect(sniffImageType(new TextEncoder().encode('RIFF\0\0\0\0WEBPVP8 '))).toBe('image/webp')
    expect(sniffImageType(new TextEncoder().encode('%PDF-1.7'))).toBeUndefined()
    expect(thumbnailUrl({ thumbnail: b64url })).toBe(`data:image/png;base64,${Buffer.from(png).toString('base64')}`)
    expect(thumbnailUrl({ thumbnail: Buffer.from('%PDF-1.7').toString('base64url') })).toBeUndefined()
    expect(thumbnailUrl({ thumbnail: 'not base64!' })).toBeUndefined()
    expect(thumbnailUrl({})).toBeUndefined()
  })
})
