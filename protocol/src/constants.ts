/**
 * Limits and identifiers of the Dak protocol. Every number says why it is what it is.
 */

/** Version of every body format written by this code. */
export const FORMAT_VERSION = 1

/**
 * Largest envelope accepted anywhere. An MLS PrivateMessage for a few KiB of text
 * plus the envelope overhead is far below this; commits for large groups with the
 * X-Wing suite carry ~1.2 KiB of KEM output per path node and stay under 64 KiB
 * for 2,000 members. Anything bigger is refused before it is decoded.
 */
export const MAX_ENVELOPE_BYTES = 256 * 1024

/** Largest text an officer may send in one message: a long memo, not a file. */
export const MAX_TEXT_BYTES = 32 * 1024

/** Largest MLS message (payload) handed to ts-mls. Welcome to a 2,000-member group with the ratchet tree out of band fits. */
export const MAX_MLS_MESSAGE_BYTES = MAX_ENVELOPE_BYTES - 1024

/** Certificates are a few hundred bytes; 4 KiB leaves room for long names. */
export const MAX_CERTIFICATE_BYTES = 4 * 1024

/** A revocation list of 65,536 devices at ~34 bytes each. */
export const MAX_REVOCATION_LIST_BYTES = 65_536 * 36 + 1024

/** Trust bundles name at most 256 authorities (every ministry and department, with room). */
export const MAX_TRUST_BUNDLE_BYTES = 256 * 1024

/** Invite tickets ride in URLs and QR codes: keep them small. */
export const MAX_INVITE_BYTES = 2 * 1024

/** Longest handle, display name, title or department name, in UTF-8 bytes. */
export const MAX_NAME_BYTES = 128

/** Longest conversation topic string. */
export const MAX_TOPIC_BYTES = 128

/**
 * How far a sender's clock may be ahead of ours. Field devices drift, and 2G
 * links deliver late, never early: ten minutes ahead is already suspicious.
 */
export const MAX_CLOCK_SKEW_MS = 10 * 60 * 1000

/** Random bytes in an invite secret: 80 bits, typed as 16 base32 characters. */
export const INVITE_SECRET_BYTES = 10

/** Ed25519 key and signature sizes. */
export const ED25519_PUBLIC_KEY_BYTES = 32
export const ED25519_SIGNATURE_BYTES = 64

/** Domain tags: a signature for one purpose can never be replayed for another. */
export const SIGNATURE_DOMAINS = {
  certificate: 'dak/v1/certificate',
  revocation: 'dak/v1/revocation',
  envelope: 'dak/v1/envelope',
  storeReceipt: 'dak/v1/store-receipt',
  directive: 'dak/v1/directive',
  /** An addressee's signed acknowledgement of a directive (content/directive-ack.ts). */
  directiveAck: 'dak/v1/directive-ack',
  registerTopics: 'dak/v1/register-topics',
  enrol: 'dak/v1/enrol',
  commitAck: 'dak/v1/commit-ack',
  registerGroup: 'dak/v1/register-group',
  authorityEndorsement: 'dak/v1/authority-endorsement',
  treeHead: 'dak/v1/tree-head',
  /** The head of a department node's audit log of admin actions (bootstrap/src/audit). */
  auditHead: 'dak/v1/audit-head',
  /** An order from a department authority to one device: erase your store and keys. */
  wipeOrder: 'dak/v1/wipe-order',
  /** A device's report, signed before it erases itself, that it obeyed a wipe order. */
  wipeReport: 'dak/v1/wipe-report',
  /** Issue 16, linked devices: an officer's device says another device of the same handle is the officer's too. */
  deviceVouch: 'dak/v1/device-vouch'
} as const
export type SignatureDomain = keyof typeof SIGNATURE_DOMAINS

/** The post-quantum hybrid suite every new group uses unless configured otherwise. */
export const DEFAULT_CIPHER_SUITE = 'MLS_256_XWING_CHACHA20POLY1305_SHA512_Ed25519'
/** A classical suite kept working, because the PQ code points are private-range and may move. */
export const CLASSICAL_CIPHER_SUITE = 'MLS_128_DHKEMX25519_CHACHA20POLY1305_SHA256_Ed25519'

/** Topics one device may register with its department node: an officer in a thousand conversations is already extreme. */
export const MAX_TOPICS_PER_DEVICE = 1024

/** A RegisterTopics frame: 1,024 topics of 128 bytes with tags, a key, a time and a signature. */
export const MAX_REGISTER_TOPICS_BYTES = MAX_TOPICS_PER_DEVICE * (128 + 3) + 256

/** The certificate check's bound on MLS signature keys (ML-DSA keys would be ~2.6 KiB). */
export const MAX_MLS_SIGNATURE_KEY_BYTES = 2_700
