import { MAX_CERTIFICATE_BYTES, MAX_TEXT_BYTES } from '../constants.js'
import { MAX_FILE_MANIFEST_BYTES } from '../files/limits.js'

/**
 * Limits of what travels inside an MLS application message. They live here,
 * beside the only code that uses them; the shared limits are in constants.ts.
 */

/** A message id is the SHA-256 of an envelope. */
export const MESSAGE_ID_BYTES = 32

/**
 * A client id is 128 random bits chosen by the sender per message: enough
 * that two messages never share one, so a message re-encrypted after a group
 * fork is recognised as the same message.
 */
export const CLIENT_ID_BYTES = 16

/**
 * Ids one receipt may acknowledge: a reader catching up on a busy group marks
 * a page at a time. The same number bounds the repeated field in content.proto.
 */
export const MAX_RECEIPT_IDS = 256

/**
 * Largest encoded AppContent: the longest content is a directive, which is a
 * full-length text plus the signer's certificate and a signature, or a file's
 * manifest (docs/files.md: up to 2,048 chunk hashes and a thumbnail); 1 KiB
 * covers the field tags, ids and timestamps around them.
 */
export const MAX_APP_CONTENT_BYTES = Math.max(MAX_TEXT_BYTES + MAX_CERTIFICATE_BYTES, MAX_FILE_MANIFEST_BYTES) + 1024
