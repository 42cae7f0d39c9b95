/**
 * Attachment limits as the web client applies them (docs/files.md). The engine
 * enforces the same limits; the client checks first so that a file over the
 * limit is refused before the browser reads it into memory, and so that a
 * thumbnail is never large enough for the engine to refuse the whole file.
 * Kept here rather than imported from @dak/protocol so the first paint does
 * not load the protocol package; file-format.test.ts holds them equal.
 */

/** The engine's default `maxFileBytes` (protocol DEFAULT_MAX_FILE_BYTES). */
export const MAX_FILE_BYTES = 100 * 1024 * 1024

/** The manifest's thumbnail limit (protocol MAX_THUMBNAIL_BYTES). */
export const MAX_THUMBNAIL_BYTES = 16 * 1024

/**
 * What the client aims a thumbnail at: well under the manifest's limit, because
 * every member's copy of the message carries it and a 2G link pays for it.
 */
export const THUMBNAIL_TARGET_BYTES = 10 * 1024

/** The long edge of a thumbnail: enough for a chat bubble on a phone. */
export const THUMBNAIL_EDGE_PX = 320

/** The longest voice note a recording may run to before it stops by itself. */
export const MAX_VOICE_NOTE_MS = 15 * 60 * 1000

/** What MediaRecorder is asked for: Opus in WebM, which Chromium and Firefox record and play. */
export const VOICE_NOTE_TYPE = 'audio/webm;codecs=opus'
