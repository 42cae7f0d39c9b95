/**
 * The client device's persistent state on `level` (classic-level in Node.js,
 * browser-level in the browser, memory-level in tests). Layout, key formats
 * and the atomicity rule: docs/storage.md.
 */
export { openDeviceStore, type DeviceStore, type DeviceStoreOptions } from './device-store.js'
export type { LevelDatabase } from './backend.js'
export type { StoreOp } from './ops.js'
export type { DeviceIdentity, IdentityOp, IdentityRepository, OwnRevocation, SignatureKeyPair } from './identity.js'
export type { GroupOp, GroupRepository } from './groups.js'
export type { ConversationChanges, ConversationClosed, ConversationMember, ConversationOp, ConversationRepository, LastMessage, NewConversation, StoredConversation } from './conversations.js'
export type { ExpiredMessage, MessageOp, MessageRepository } from './messages.js'
export type { StoredMessage } from './message-record.js'
export { checkNewMessage } from './message-record.js'
export type { NewOutboxEntry, OutboxEntry, OutboxOp, OutboxRepository } from './outbox.js'
export type { CarriedEnvelope, CarryOp, CarryRepository } from './carried.js'
export type { CursorOp, CursorRepository } from './cursors.js'
export type { KnownPeer, PeerOp, PeerRepository } from './peers.js'
export type { SeenOp, SeenRepository } from './seen.js'
export { missingCount, type SenderSeqOp, type SenderSequence, type SenderSequenceRepository } from './sender-sequences.js'
export type { KeyPackageOp, KeyPackageRepository, StoredKeyPackage } from './key-packages.js'
export { advanceState, isStateFor, INCOMING_STATES, OUTGOING_STATES } from './message-state.js'
export { retryCeiling, retryDelay } from './backoff.js'
export * from './errors.js'
// issue 16
export type { MemberReceipt, MemberReceiptOp, MemberReceiptRepository } from './member-receipts.js'
export type { DirectiveOp, DirectiveRepository, StoredDirective, StoredDirectiveAck } from './directives.js'
export type { ConversationPrefs, PrefsOp, PrefsRepository } from './prefs.js'
export type { HistoryTransfer, HistoryTransferOp, HistoryTransferRepository } from './history-transfers.js'
export type { MessageAmendOp } from './message-amend.js'
export { searchForm, queryWords, matchesAll } from './search-text.js'
