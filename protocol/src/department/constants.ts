import { MAX_CERTIFICATE_BYTES, MAX_ENVELOPE_BYTES, MAX_INVITE_BYTES, MAX_REGISTER_TOPICS_BYTES, MAX_REVOCATION_LIST_BYTES, MAX_TRUST_BUNDLE_BYTES } from '../constants.js'
import { MAX_STORE_RECEIPT_BYTES } from '../envelope/store-receipt.js'
import { MAX_LOG_REQUEST_BYTES, MAX_LOG_RESPONSE_BYTES } from '../identity/transparency/wire.js'
import { MAX_COMMIT_ACK_BYTES } from '../sequencer/commit-ack.js'
import { MAX_GROUP_REGISTRATION_BYTES } from '../sequencer/group-registration.js'

/**
 * Protocol ids, names and limits shared by the department node (bootstrap/)
 * and its clients (node/src/department/). One module, so both ends can never disagree.
 * Every number says why it is what it is; docs/department-node.md lists them.
 */

/** The Dak request/response protocols a department node serves, all to verified peers only. */
export const DEPARTMENT_PROTOCOLS = {
  registerTopics: '/dak/store/register/1.0.0',
  deposit: '/dak/store/deposit/1.0.0',
  query: '/dak/store/query/1.0.0',
  uploadKeyPackages: '/dak/keypackages/upload/1.0.0',
  fetchKeyPackages: '/dak/keypackages/fetch/1.0.0',
  heldKeyPackages: '/dak/keypackages/held/1.0.0',
  submitCommit: '/dak/sequencer/submit/1.0.0',
  revocations: '/dak/revocations/1.0.0',
  directory: '/dak/directory/1.0.0',
  /** The certificate transparency log: signed heads, inclusion and consistency proofs. */
  transparencyLog: '/dak/log/1.0.0',
  /** The department's settings for its devices (issue 16: the edit window). */
  settings: '/dak/settings/1.0.0',
  /** Issue 16: a one-time invite for another device of the asking officer (docs/messenger.md, *Linked devices*). */
  linkDevice: '/dak/device/link/1.0.0'
} as const
export type DepartmentProtocol = keyof typeof DEPARTMENT_PROTOCOLS

/**
 * The handle a department node certifies itself under. Invites for it are
 * refused, so no officer can hold a certificate that makes clients take their
 * device for a department node.
 */
export const NODE_HANDLE = 'node'
/** The title in a department node's own certificate (shown in peer lists). */
export const NODE_TITLE = 'Department node'

/** HTTP routes of the department node that devices use before they hold a certificate. */
export const HTTP_ROUTES = {
  enrol: '/api/enrol',
  info: '/api/info',
  /** The signed revocation lists in force: how a device the node refuses learns whether it was revoked. */
  revocations: '/api/revocations',
  /** `GET ?device=<hex>`: the authority's signed wipe order for that device (204 when none); public like the lists, for the same reason. */
  wipe: '/api/wipe',
  /** `POST` a device's signed report that it obeyed its wipe order. */
  wipeDone: '/api/wipe/done',
  health: '/health',
  metrics: '/metrics'
} as const

/** Wrapper tags and lengths around the largest field of a Request or Response. */
const FRAME_SLACK = 64

/** Entries in one catch-up page: the store's MAX_QUERY_ENTRIES (a page a 2G link fetches in seconds). */
export const MAX_QUERY_ENTRIES = 256
/** Envelope bytes in one catch-up page: the store's MAX_QUERY_BYTES. */
export const MAX_QUERY_BYTES = 1024 * 1024
/** Certificates in one directory page: 256 × ≤ 4 KiB stays near 1 MiB. */
export const MAX_DIRECTORY_PAGE = 256
/** Directory pages a client follows: 65,536 officers, the size of the largest revocation list. */
export const MAX_DIRECTORY_PAGES = 256
/** Devices an officer may have and key packages each may hold: the key-package directory's limits. */
export const MAX_DEVICES_PER_HANDLE = 64
export const MAX_KEY_PACKAGE_BYTES = 16 * 1024
export const MAX_KEY_PACKAGES_PER_UPLOAD = 256
/** References a held-key-packages answer lists: ten times the default stock; a node configured for more says the list is incomplete. */
export const MAX_HELD_KEY_PACKAGE_REFS = 1024
/** Largest request a handler reads: one envelope, or a batch of key packages (devices split bigger uploads). */
export const MAX_UPLOAD_REQUEST_BYTES = 1024 * 1024
/** MLS group ids are 32 random bytes in ts-mls; the sequencer accepts up to 256. */
export const MAX_GROUP_ID_BYTES = 256
/** Revocation lists a node serves in one answer: its own (up to 2.3 MiB) and others' while they fit. */
export const MAX_REVOCATIONS_RESPONSE_BYTES = 2 * MAX_REVOCATION_LIST_BYTES + FRAME_SLACK

/** Per protocol: the largest request the node reads and the largest answer a client reads. */
export const PROTOCOL_LIMITS: Record<DepartmentProtocol, { maxRequestBytes: number, maxResponseBytes: number }> = {
  registerTopics: { maxRequestBytes: MAX_REGISTER_TOPICS_BYTES + FRAME_SLACK, maxResponseBytes: FRAME_SLACK },
  deposit: { maxRequestBytes: MAX_ENVELOPE_BYTES + FRAME_SLACK, maxResponseBytes: MAX_STORE_RECEIPT_BYTES + FRAME_SLACK },
  // a page holds at most MAX_QUERY_BYTES of envelopes, or one envelope larger than the rest of the budget
  query: { maxRequestBytes: 512, maxResponseBytes: MAX_QUERY_BYTES + MAX_ENVELOPE_BYTES + MAX_QUERY_ENTRIES * 16 },
  uploadKeyPackages: { maxRequestBytes: MAX_UPLOAD_REQUEST_BYTES, maxResponseBytes: FRAME_SLACK },
  // the request is empty; the answer is up to MAX_HELD_KEY_PACKAGE_REFS 32-byte references, 2 bytes of framing each
  heldKeyPackages: { maxRequestBytes: 0, maxResponseBytes: MAX_HELD_KEY_PACKAGE_REFS * 34 + FRAME_SLACK },
  fetchKeyPackages: { maxRequestBytes: 256, maxResponseBytes: MAX_DEVICES_PER_HANDLE * (MAX_KEY_PACKAGE_BYTES + 64) + FRAME_SLACK },
  // a commit, up to 1,024 named leaves, a Welcome hash and (epoch 0) the creator's registration; the answer adds an ack
  submitCommit: { maxRequestBytes: MAX_ENVELOPE_BYTES + MAX_GROUP_ID_BYTES + 1024 * 5 + MAX_GROUP_REGISTRATION_BYTES + FRAME_SLACK, maxResponseBytes: MAX_ENVELOPE_BYTES + MAX_COMMIT_ACK_BYTES + FRAME_SLACK },
  // the request is empty: nothing to ask but "what is in force"
  revocations: { maxRequestBytes: 0, maxResponseBytes: MAX_REVOCATIONS_RESPONSE_BYTES },
  directory: { maxRequestBytes: 128, maxResponseBytes: MAX_QUERY_BYTES + MAX_CERTIFICATE_BYTES + MAX_DIRECTORY_PAGE * 8 + FRAME_SLACK },
  // fixed-layout frames (protocol/src/identity/transparency/wire.ts): a head, an index and at most 64 hashes
  transparencyLog: { maxRequestBytes: MAX_LOG_REQUEST_BYTES, maxResponseBytes: MAX_LOG_RESPONSE_BYTES },
  // the request is empty; the answer is a few numbers
  settings: { maxRequestBytes: 0, maxResponseBytes: FRAME_SLACK },
  // the request is empty (the connection says who asks); the answer is one invite's QR payload: dak:invite/<base64url ticket>
  linkDevice: { maxRequestBytes: 0, maxResponseBytes: Math.ceil(MAX_INVITE_BYTES / 3) * 4 + FRAME_SLACK }
}

/** How long a link invite stays valid: the officer holds both devices, so minutes suffice, and a leaked code soon enrols no one. */
export const LINK_INVITE_VALIDITY_MS = 15 * 60_000

/** The longest edit window a department may set: a week. Longer would make "edit" a way to rewrite the record. */
export const MAX_EDIT_WINDOW_MS = 7 * 86_400_000
/** The longest inactivity lock a device accepts (a day): a longer one would be no lock at all (docs/web.md, *PIN lock*). */
export const MAX_LOCK_AFTER_MS = 86_400_000
/** The largest automatic-download size a department may set: a device never fetches more than its file limit without asking. */
export const MAX_AUTO_DOWNLOAD_BYTES = 100 * 1024 * 1024

/** An enrolment answer: a certificate, the trust bundle and up to two revocation lists' worth of bytes. */
export const MAX_ENROL_RESPONSE_BYTES = MAX_CERTIFICATE_BYTES + MAX_TRUST_BUNDLE_BYTES + MAX_REVOCATIONS_RESPONSE_BYTES
/** /api/info is a few hundred bytes of JSON; 64 KiB bounds what a client reads from a stranger's server. */
export const MAX_NODE_INFO_BYTES = 64 * 1024
