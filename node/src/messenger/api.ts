import type { LinkCode } from './linked-devices.js'
import type { VouchOutcome } from './device-vouches.js'
/**
 * The messenger as the UI and the CLI see it: plain data in, plain data out,
 * typed events. Everything here is serialisable so it can cross a worker or a
 * process boundary; errors reach callers as `{ name, message }` (see protocol/src/errors.ts).
 */
import type { Precedence } from '@dak/protocol'

export type { Precedence, LinkCode, VouchOutcome }

/** An officer as listed in the directory (from a verified device certificate). */
export interface OfficerSummary {
  handle: string
  displayName: string
  title: string
  department: string
  /** Hex of the device's Ed25519 public key. */
  deviceKey: string
}

/**
 * One device of an officer. 'new': first seen under a handle this device
 * already talked to; shown in every shared conversation and added to none
 * by this device until accepted (docs/messenger.md, *New devices*).
 */
export interface DeviceSummary extends OfficerSummary {
  state: 'accepted' | 'new' | 'removed'
  /** This very device (listing one's own handle). */
  thisDevice: boolean
}

/**
 * Outgoing messages move forward only: queued (on disk, not yet sent) → sent
 * (published to at least one peer) → stored (a department node's signed store
 * receipt) → delivered (a recipient's delivery receipt) → read. Incoming
 * messages are 'received' then 'read'.
 */
export type MessageState = 'queued' | 'sent' | 'stored' | 'delivered' | 'read' | 'received'

/** A file, image or voice note a message carries (docs/files.md). The bytes are fetched with `download`. */
export interface Attachment {
  /** Hex file id: SHA-256 over the chunks' hashes. */
  fileId: string
  name: string
  mediaType: string
  /** Plaintext bytes. */
  size: number
  /** Base64 of the small preview image that travelled inside the message, if any. */
  thumbnail?: string
  /** A voice note's length. */
  durationMs?: number
}

export interface ChatMessage {
  /** Hex message id (SHA-256 of the envelope) once sealed; a local id while queued. */
  id: string
  conversationId: string
  sender: OfficerSummary
  fromMe: boolean
  /** Sent by another device of this device's own officer (linked devices): the officer's own message, shown as theirs. */
  fromMyOtherDevice?: true
  /** 'file': `attachment` says what; `text` is its name. */
  kind: 'text' | 'system' | 'file'
  text: string
  attachment?: Attachment
  /** ms since epoch, sender's clock. */
  sentAt: number
  state: MessageState
  // issue 16 (everyday messaging, directives): everyday.ts describes each
  /** The message this one answers, quoted as it read when this one was stored. */
  replyTo?: QuotedMessage
  /** ms since epoch (sender's clock) of the sender's last edit; `text` is the edited text. */
  editedAt?: number
  /** ms since epoch (sender's clock) when the sender deleted it for everyone; `text` is then empty. */
  deletedAt?: number
  /** Set on an official directive (signed by its sender's certified device key). */
  directive?: DirectiveInfo
  /** On this device's own messages in a conversation: how many of the other officers it reached and read. */
  receipts?: MemberReceipts
  /** Disappearing messages: ms since epoch when every device deletes it (the conversation's timer when it was sent). */
  expiresAt?: number
  /** Flash or immediate (issue 11 part 4, precedence-lanes.ts); absent = routine, which is never stored. */
  precedence?: Precedence
}

/** A quoted message: its id, start of its text and who wrote it. */
export interface QuotedMessage {
  id: string
  text: string
  sender: string
}

export interface DirectiveInfo {
  issuedAt: number
  /** ms since epoch to acknowledge by; absent when none. */
  deadline?: number
  /** When this device acknowledged it (received directives only). */
  acknowledgedAt?: number
}

/** "read by 7 of 9": officers (not devices) other than the sender. Delivered counts those known to have it (a read implies delivered). */
export interface MemberReceipts {
  delivered: number
  read: number
  of: number
}

/** One addressee of a directive as its sender sees them. */
export interface DirectiveAddressee {
  officer: OfficerSummary
  state: 'acknowledged' | 'read' | 'delivered' | 'not-received'
  /** When it reached that state (the acknowledgement's signed time; a receipt's time). */
  at?: number
}

export interface DirectiveStatus {
  id: string
  conversationId: string
  text: string
  issuedAt: number
  deadline?: number
  sender: OfficerSummary
  addressees: DirectiveAddressee[]
  counts: { acknowledged: number, read: number, delivered: number, notReceived: number }
}

export interface SearchHit {
  message: ChatMessage
  conversationTitle: string
}

export interface ConversationSummary {
  id: string
  kind: 'direct' | 'group'
  title: string
  members: OfficerSummary[]
  /** Handles of the members who may add and remove others. */
  admins: string[]
  lastMessage?: { text: string, sentAt: number, fromMe: boolean }
  unread: number
  /**
   * 'closed' once this device left, was removed, or its own certificate was
   * revoked, or the other officer of a direct chat is out of it: read-only history.
   */
  state: 'active' | 'closed'
  /**
   * Why the conversation is closed for this device, by whom (when known) and
   * when. 'other-left' / 'other-revoked': a direct chat whose other officer
   * (`by`) left or had their access withdrawn. `text` says it in plain words.
   */
  closed?: { reason: 'left' | 'removed' | 'revoked' | 'other-left' | 'other-revoked', by?: OfficerSummary, at: number, text?: string }
  /** Officers named for this conversation whose devices have not joined it yet
   *  (e.g. a new direct chat before the other officer's device comes online). */
  waitingFor: OfficerSummary[]
  /**
   * Messages known to have been sent here that have not arrived (the sender's
   * sequence numbers skip them): one entry per officer, gone once they arrive.
   */
  missing: MissingMessages[]
  // issue 16
  /** Muted on this device: no notification, and the unread count is not shown as a badge. */
  muted?: boolean
  /** The unsent text this device kept for the conversation. */
  draft?: string
  /** Id of the oldest unread message, for "jump to first unread". */
  firstUnread?: string
  /** Disappearing messages: messages sent from now on are deleted this many ms after sending; absent when off. */
  timerMs?: number
  /**
   * The conversation's MLS epoch on this device, as a decimal string (absent
   * before this device has the group). Devices that agree on members and epoch
   * agree on the group: the field harness compares it after a partition heals.
   */
  epoch?: string
}

/** "1 message from Asha is missing": `count` messages from `sender` were sent and have not arrived. */
export interface MissingMessages {
  sender: OfficerSummary
  count: number
  text: string
}

export interface HistoryPage {
  /** Oldest first within the page. */
  messages: ChatMessage[]
  /** Pass as `before` to get the previous (older) page; absent when there is none. */
  before?: string
}

/**
 * How this device reaches others: through a department node, directly to
 * peers only (e.g. an office LAN with no department node), or not at all.
 */
export interface ConnectionStatus {
  mode: 'department' | 'peer-to-peer' | 'offline'
  departmentNodes: number
  peers: number
  /** Messages written but not yet sent or stored. */
  queued: number
  /** This device's own certificate: 'revoked' once the device has learnt of its revocation. */
  certificate: 'valid' | 'revoked' | 'expired'
}

export interface SafetyNumber {
  /** 60 digits in groups of five, the same on both devices. */
  digits: string
  /** What the QR code encodes. */
  qrPayload: string
}

/** A history transfer this device asked another device of its officer for (docs/messenger.md, *History transfer*). */
export interface HistoryTransferStatus {
  conversationId: string
  /** The device asked (hex key). */
  device: string
  /** Parts arrived so far, of `parts` (known from the first part). */
  received: number
  parts?: number
  /** Messages the transfer holds in all, once a part said so. */
  messagesTotal?: number
  /** Of those, messages this device did not have yet, now in its history. */
  messagesAdded: number
  complete: boolean
}

export interface MessengerEvents {
  message: ChatMessage
  /** `previousId` is set when a queued message got its envelope id on sealing. */
  'message-state': { conversationId: string, id: string, state: MessageState, previousId?: string }
  conversation: ConversationSummary
  /** This device left or was removed: the conversation is read-only history now. Emitted once per conversation. */
  'conversation-removed': { conversationId: string, reason: 'left' | 'removed' }
  status: ConnectionStatus
  /** Catch-up progress after being offline. */
  /** Catch-up progress; the finished event says whether every topic was read to its end (`complete`), or one broke off. */
  sync: { done: number, total?: number, finished: boolean, complete?: boolean }
  error: { name: string, message: string }
  /** This device's certificate was revoked by its department (learnt from a signed revocation list). */
  revoked: { at: number, department: string }
  /** Disappearing messages: these messages expired and were deleted from this device; drop them from the screen. */
  'messages-expired': { conversationId: string, ids: string[] }
  /** An attachment's download moved on (chunks checked and kept), finished, or failed (docs/files.md). */
  'file-progress': FileProgress
  /** A message was edited or deleted by its sender (or this device): the history's copy changed. */
  'message-changed': ChatMessage
  /**
   * A directive's deadline is near: for an addressee who has not acknowledged
   * it, or for its sender while some addressees have not (`pending`).
   */
  'directive-reminder': { conversationId: string, id: string, text: string, deadline: number, pending?: OfficerSummary[] }
  /** Linked devices: a part of the history this device asked for arrived (and was added to the conversation's history). */
  'history-transfer': HistoryTransferStatus
  /** Linked devices: this device queued a conversation's history for another device of its officer that asked. */
  'history-sent': { conversationId: string, device: string, parts: number, messages: number }
}

/** Where a file's download stands: `held` of `total` chunks checked and kept on this device. */
/** Automatic download of incoming files: the limit, and whose it is (the officer's on this device, the department's, or the default). */
export interface AutoDownload {
  bytes: number
  source: 'officer' | 'department' | 'default'
}

export interface FileProgress {
  messageId: string
  fileId: string
  held: number
  total: number
  /** Plaintext bytes those chunks hold (about: the last chunk may be shorter). */
  bytes: number
  size: number
  state: 'downloading' | 'complete' | 'failed'
  error?: { name: string, message: string }
}

/** A downloaded file, checked against its manifest and decrypted. */
export interface DownloadedFile {
  name: string
  mediaType: string
  bytes: Uint8Array
}

/** What to send: the bytes and what the receiver is told about them. */
export interface OutgoingFile {
  bytes: Uint8Array
  name: string
  mediaType: string
  /** A small preview image (at most 16 KiB) shown before the download. */
  thumbnail?: Uint8Array
  /** A voice note's length. */
  durationMs?: number
}

export interface Messenger {
  whoami: () => OfficerSummary
  contacts: () => Promise<OfficerSummary[]>
  conversations: () => Promise<ConversationSummary[]>
  startDirect: (handle: string) => Promise<ConversationSummary>
  createGroup: (title: string, handles: string[]) => Promise<ConversationSummary>
  addMembers: (conversationId: string, handles: string[]) => Promise<void>
  removeMember: (conversationId: string, handle: string) => Promise<void>
  leave: (conversationId: string) => Promise<void>
  /** Persists first and returns the queued message; delivery continues in the background. `replyTo`: the id of the message it answers. */
  /** `precedence` (default routine): flash leaves the outbox first and is shown first on arrival. */
  send: (conversationId: string, text: string, options?: { replyTo?: string, precedence?: Precedence }) => Promise<ChatMessage>
  /** Encrypt and keep a file, then send its manifest like a message (docs/files.md); chunks go to the department node in the background. */
  sendFile: (conversationId: string, file: OutgoingFile) => Promise<ChatMessage>
  /**
   * Fetch a message's attachment from whoever holds it (its sender, other
   * members, the department node), resuming from the chunks already kept,
   * checked against the manifest before it is returned. Progress arrives as
   * 'file-progress' events.
   */
  download: (messageId: string, options?: { signal?: AbortSignal }) => Promise<DownloadedFile>
  /** How much of a message's attachment this device holds. */
  fileStatus: (messageId: string) => Promise<FileProgress>
  /** Issue 15: up to which size incoming files are fetched without asking, and whose choice that is. */
  autoDownload: () => Promise<AutoDownload>
  /** The officer's own limit on this device in bytes (0: never), or null to follow the department's again. */
  setAutoDownload: (bytes: number | null) => Promise<AutoDownload>
  history: (conversationId: string, options?: { before?: string, limit?: number }) => Promise<HistoryPage>
  markRead: (conversationId: string) => Promise<void>
  /**
   * Disappearing messages: set the conversation's timer (ms; 0 turns it off), capped to the
   * department's maximum retention. Admins only (NotAdminError); every member sees a line saying so.
   */
  setTimer: (conversationId: string, timerMs: number) => Promise<ConversationSummary>
  /** Covers every current device of both officers: it changes when either gets a new device. */
  safetyNumber: (handle: string) => Promise<SafetyNumber>
  /** Every current device of an officer (one's own handle lists this device too). */
  devices: (handle: string) => Promise<DeviceSummary[]>
  /** Accept an officer's new device (by its full hex key, or a prefix of at least 12 hex digits naming one device of `handle`). */
  acceptDevice: (handle: string, deviceKey: string) => Promise<DeviceSummary>
  /** Issue 16: a one-time code from the department node that enrols another device as this officer (linked-devices.ts). */
  linkDevice: () => Promise<LinkCode>
  /**
   * Issue 16: vouch for another device of this officer (full key or ≥ 12 hex digits, as `dak whoami` shows it there):
   * accepted here, the signed vouch sent in every open conversation, and the device added to each (device-vouches.ts).
   */
  vouchDevice: (deviceKey: string) => Promise<VouchOutcome>
  /** Issue 16: remove another device of this officer from every conversation this device shares with it (a commit in each). */
  removeOwnDevice: (deviceKey: string) => Promise<VouchOutcome>
  /** Issue 16: the history transfers this device asked for, as they stand (one per conversation it joined through another device of its officer). */
  historyTransfers: () => Promise<HistoryTransferStatus[]>
  /** True when a scanned QR payload matches this device and `handle`'s device. */
  verifySafetyQr: (handle: string, payload: string) => Promise<boolean>
  status: () => ConnectionStatus
  on: <K extends keyof MessengerEvents>(event: K, listener: (detail: MessengerEvents[K]) => void) => () => void
  stop: () => Promise<void>
  // issue 16: everyday messaging and directives (node/src/messenger/everyday.ts)
  /** Change the text of this device's own message, within the department's edit window (EditRefusedError otherwise). */
  edit: (conversationId: string, messageId: string, text: string) => Promise<ChatMessage>
  /** Delete this device's own message for every member, within the edit window. */
  deleteMessage: (conversationId: string, messageId: string) => Promise<ChatMessage>
  /** Search this device's history (never a server): every word must occur, Unicode-normalised and case-folded. */
  search: (query: string, options?: { conversationId?: string, limit?: number }) => Promise<SearchHit[]>
  setDraft: (conversationId: string, text: string) => Promise<void>
  setMuted: (conversationId: string, muted: boolean) => Promise<void>
  /** Send a directive signed with this device's key; `deadline` in ms since epoch. */
  sendDirective: (conversationId: string, text: string, options?: { deadline?: number, precedence?: Precedence }) => Promise<ChatMessage>
  /** Acknowledge a received directive with a signature a third party can check. */
  acknowledgeDirective: (conversationId: string, messageId: string) => Promise<ChatMessage>
  directiveStatus: (messageId: string) => Promise<DirectiveStatus>
  /** The directive with every signed acknowledgement this device holds, as an evidence file (verifyEvidence). */
  exportDirective: (messageId: string) => Promise<Uint8Array>
  /** The department's edit and delete window in ms, as this device last learnt it. */
  editWindow: () => Promise<number>
}
