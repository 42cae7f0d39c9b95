/**
 * Limits of attachments (docs/files.md). Every number says why it is what it is.
 */

/**
 * Plaintext bytes per chunk for files up to MAX_FILE_CHUNKS × 64 KiB (128 MiB,
 * so every file under the default limit): small enough that a chunk lost to a
 * dropped 2G link costs seconds, large enough that the per-chunk costs (a hash,
 * an AEAD tag, a request slot) stay well under 1%.
 */
export const FILE_CHUNK_BYTES = 64 * 1024

/**
 * Chunks one file may have: the manifest carries one 32-byte hash per chunk
 * inside the MLS message, and 2,048 of them (64 KiB) keep that message far
 * below the envelope limit. Larger files get larger chunks instead.
 */
export const MAX_FILE_CHUNKS = 2048

/** Largest chunk: files above 128 MiB double the chunk size up to this. */
export const MAX_FILE_CHUNK_BYTES = 1024 * 1024

/** What the protocol can describe at all: MAX_FILE_CHUNKS chunks of the largest size (2 GiB). */
export const PROTOCOL_MAX_FILE_BYTES = MAX_FILE_CHUNKS * MAX_FILE_CHUNK_BYTES

/** The default for the configurable limit: a scanned circular or a few minutes of video, not a disk image. */
export const DEFAULT_MAX_FILE_BYTES = 100 * 1024 * 1024

/** A file's own key: 256 bits, from the sender's CSPRNG, used for this file only. */
export const FILE_KEY_BYTES = 32

/** SHA-256 of a ciphertext chunk; a file id is a SHA-256 too. */
export const CHUNK_HASH_BYTES = 32
export const FILE_ID_BYTES = 32

/** Poly1305 tag on every chunk. */
export const CHUNK_TAG_BYTES = 16

/**
 * A preview image travels inside the MLS message itself, so the chat shows
 * something before any download: 16 KiB is a 160-pixel JPEG, and keeps the
 * message small enough for a 2G link.
 */
export const MAX_THUMBNAIL_BYTES = 16 * 1024

/** Longest file name, in UTF-8 bytes: what common file systems allow. */
export const MAX_FILE_NAME_BYTES = 255

/** Longest media type, parameters included (RFC 6838 names are at most 127 characters). */
export const MAX_MEDIA_TYPE_BYTES = 127

/** A voice note of a day is already absurd; the field is a uint32 of milliseconds. */
export const MAX_DURATION_MS = 24 * 60 * 60 * 1000

/** Largest encoded FileManifest: every hash with its tag and length, the thumbnail, names and numbers. */
export const MAX_FILE_MANIFEST_BYTES = MAX_FILE_CHUNKS * (CHUNK_HASH_BYTES + 3) + MAX_THUMBNAIL_BYTES + MAX_FILE_NAME_BYTES + MAX_MEDIA_TYPE_BYTES + 256
