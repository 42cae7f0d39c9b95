/**
 * @dak/protocol: Dak's pure protocol logic. Everything here takes bytes, keys,
 * clocks and randomness as arguments and does no I/O, so `node/`, `bootstrap/`
 * and `web/` share it and tests run without a network.
 */

export * from './constants.js'
export * from './errors.js'
export { decodeBounded, type MessageCodec } from './codec.js'
export { bytesEqual, concatBytes, fromBase64Url, fromHex, fromUtf8, toBase64Url, toHex, utf8 } from './bytes.js'

// Identity and trust
export { generateSigningKeyPair, signingKeyPairFromSeed, signFor, verifyFor, type SigningKeyPair } from './identity/keys.js'
export { checkDepartment, checkHandle, checkLabel } from './identity/names.js'
export { decodeCertificate, issueCertificate, sameDevice, verifyCertificate, type Certificate, type CertificateFields, type VerifyContext } from './identity/certificate.js'
export { endorseAuthority, TrustStore } from './identity/trust.js'
export { checkEnrolmentAgainstInvite, type InviteExpectation } from './identity/enrolment-answer.js'
export { issueRevocationList, RevocationState, verifyRevocationList, type VerifiedRevocationList } from './identity/revocation.js'
export { MAX_DEVICE_VOUCH_BYTES, openDeviceVouch, signDeviceVouch, verifyDeviceVouch, type DeviceVouch, type DeviceVouchFields } from './identity/device-vouch.js'
export { issueWipeOrder, openWipeOrder, openWipeReport, signWipeReport, verifyWipeOrderFor, wipeOrderHash, WIPE_ORDER_BYTES, WIPE_REPORT_BYTES, type WipeOrder, type WipeReport } from './identity/wipe.js'
export {
  checkInviteFresh, createInvite, decodeInvite, formatInviteCode, hashInviteSecret, inviteLink, inviteSecretMatches, parseInviteCode,
  INVITE_FRAGMENT_PARAM, INVITE_URL_PREFIX, MAX_INVITE_NODE_ADDRS, MAX_NODE_ADDR_BYTES,
  type CreateInviteOptions, type Invite, type InviteFields
} from './identity/invite.js'
export * from './identity/transparency/index.js'
export { compareSafetyQr, safetyNumber, SAFETY_NUMBER_ITERATIONS, SAFETY_QR_PREFIX, type SafetyNumber, type SafetyParty, MAX_SAFETY_DEVICES } from './identity/safety-number.js'

// Envelopes: what relays, stores and validators see
export { messageId, openEnvelope, sealEnvelope, EnvelopeKind, MAX_ENVELOPE_LIFETIME_MS, type EnvelopeFields, type OpenedEnvelope } from './envelope/envelope.js'

// Content: what only group members see
export { decodeAppContent, encodeAppContent, type Content, type DirectiveContent, type FileContent, type InfoContent, type ReceiptContent, type TextContent, type TimerContent, type DeviceVouchContent, type DeviceDisownContent, type HistoryRequestContent } from './content/app-content.js'
export { directiveSignedBytes, signDirective, verifyDirective, type SignedDirective, type VerifiedDirective } from './content/directive.js'
export type { AmendmentContent, DeleteContent, DirectiveAckContent, EditContent } from './content/amendments.js'
export { directiveAckSignedBytes, directiveHash, signDirectiveAck, verifyDirectiveAck, type SignedDirectiveAck, type VerifiedDirectiveAck } from './content/directive-ack.js'
export { decodeDirectiveAckBytes, decodeDirectiveBytes, decodeEvidence, encodeDirectiveAckBytes, encodeDirectiveBytes, encodeEvidence, MAX_EVIDENCE_BYTES, verifyEvidence, type Evidence, type VerifiedEvidence } from './content/directive-evidence.js'
export { checkPrecedence, isPrecedence, PRECEDENCES, precedenceRank, type Precedence } from './content/precedence.js'
export { CLIENT_ID_BYTES, MAX_APP_CONTENT_BYTES, MAX_RECEIPT_IDS, MESSAGE_ID_BYTES } from './content/limits.js'

// Attachments (docs/files.md): manifests, chunk encryption, the /dak/chunks wire format
export * from './files/index.js'
// history transfer between an officer's devices (docs/messenger.md, *History transfer*)
export * from './history/index.js'
export { ChunkOp, ChunkRequest, ChunkResponse } from './wire/generated/files.js'

// Wire codecs other packages encode and decode themselves (store receipts, trust bundles, tickets)
export { Authority, InviteTicket, TrustBundle } from './wire/generated/identity.js'
export { StoreReceipt, StoreReceiptBody } from './wire/generated/envelope.js'

// Requests devices sign for their department node, and the request/response wire formats
export { signRegisterTopics, verifyRegisterTopics, type TopicRegistration } from './requests/register-topics.js'
export { createEnrolRequest, verifyEnrolRequest } from './requests/enrol-request.js'
export { issueStoreReceipt, verifyStoreReceipt, MAX_STORE_RECEIPT_BYTES, type SignedStoreReceipt, type StoreReceiptFields } from './envelope/store-receipt.js'
export * as rpc from './wire/generated/rpc.js'

// The department sequencer: group registration, the roster it judges commits by, its signed acks
export { issueCommitAck, mlsHash, openCommitAck, MAX_COMMIT_ACK_BYTES, type CommitAckFields, type SignedCommitAck } from './sequencer/commit-ack.js'
export { signGroupRegistration, verifyGroupRegistration, MAX_GROUP_REGISTRATION_BYTES, type GroupRegistrationFields, type VerifiedGroupRegistration } from './sequencer/group-registration.js'
export { isRosterMember, judgeCommit, leavingLeavesOf, rosterDevices, rosterOfCreator, type CommitClaim, type GroupRoster, type RosterChange } from './sequencer/roster.js'

// MLS: written by the MLS engineer. Uncomment once protocol/src/mls/index.ts exists.
export * from './mls/index.js'

// Calls: SFrame (RFC 9605) media encryption under keys from the conversation's MLS exporter (also `@dak/protocol/sframe` alone)
export * from './sframe/index.js'
export { CALL_MAX_PARTICIPANTS, decodeCallSignal, encodeCallSignal, MAX_CALL_SDP_CHARS, MAX_CALL_SIGNAL_BYTES, type CallDeclineReason, type CallSignal, type CallSignalType } from './calls/call-signal.js'
