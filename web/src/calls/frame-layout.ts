/**
 * Which bytes of an encoded frame stay in the clear, so that Chromium's RTP
 * packetizer and depacketizer, which read them, keep working (the approach of
 * the WebRTC encoded-transform samples): the VP8 payload header (10 bytes on
 * a key frame, 3 on a delta frame, RFC 6386 9.1) and the Opus TOC byte
 * (RFC 6716 3.1). They are authenticated as SFrame metadata (RFC 9605 9.4):
 * changing one makes the frame fail to decrypt. Everything else is SFrame
 * ciphertext. Pure, so it is unit-tested without a browser.
 */

export type MediaKind = 'audio' | 'video'
export type VideoFrameType = 'key' | 'delta' | 'empty' | undefined

export const VP8_KEY_FRAME_CLEAR_BYTES = 10
export const VP8_DELTA_FRAME_CLEAR_BYTES = 3
export const OPUS_CLEAR_BYTES = 1

export function clearBytes (kind: MediaKind, type: VideoFrameType, length: number): number {
  const wanted = kind === 'audio' ? OPUS_CLEAR_BYTES : type === 'key' ? VP8_KEY_FRAME_CLEAR_BYTES : VP8_DELTA_FRAME_CLEAR_BYTES
  return Math.min(wanted, length)
}

/** prefix || protect(prefix, rest): `protect` gets the clear prefix as metadata. */
export function protectFrame (data: Uint8Array, clear: number, protect: (metadata: Uint8Array, plaintext: Uint8Array) => Uint8Array): Uint8Array {
  const prefix = data.subarray(0, clear)
  const sealed = protect(prefix, data.subarray(clear))
  const out = new Uint8Array(clear + sealed.length)
  out.set(prefix, 0)
  out.set(sealed, clear)
  return out
}

/** The inverse of protectFrame; `open` throws when the frame does not authenticate. */
export function unprotectFrame (data: Uint8Array, clear: number, open: (metadata: Uint8Array, ciphertext: Uint8Array) => Uint8Array): Uint8Array {
  const prefix = data.subarray(0, clear)
  const plaintext = open(prefix, data.subarray(clear))
  const out = new Uint8Array(clear + plaintext.length)
  out.set(prefix, 0)
  out.set(plaintext, clear)
  return out
}
