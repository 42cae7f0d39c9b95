/**
 * Dak conversations over MLS (RFC 9420, ts-mls 2.0.0-rc.10). Functional: every operation
 * takes a ConversationState and returns a new one. See docs/mls.md for the design.
 */

export { loadSuite, suiteForId, SUPPORTED_SUITES, type Suite, type SuiteName } from './suite.js'
export { DAK_KEY_RETENTION, GROUP_POLICY_EXTENSION_TYPE, MAX_GROUP_ADMINS, MAX_GROUP_ID_BYTES, MAX_GROUP_STATE_BYTES, MAX_WELCOME_BYTES } from './limits.js'
export { certificateAuthService, certificateCredential, certificateOfCredential, generateMlsSignatureKeyPair, verifyMemberCredential, type MlsSignatureKeyPair } from './credentials.js'
export { createKeyPackage, verifyKeyPackage, type CreateKeyPackageOptions, type KeyPackageBundle, type VerifiedKeyPackage } from './keypackages.js'
export { checkGroupIdBound, GROUP_ID_SALT_BYTES, groupIdFor, keepsGroupIdentity, UnboundGroupIdError } from './group-id.js'
export { decodeGroupPolicy, encodeGroupPolicy, isAdmin, type GroupPolicy } from './group-policy.js'
export { epochOf, frameOf, groupIdOf, type ContentKind, type Frame } from './framing.js'
export type { ConversationContext } from './context.js'
export { createGroup, joinFromWelcome, type CreateGroupOptions, type Joined } from './group.js'
export { proposeCommit, proposeLeave, proposeSelfUpdate, type ProposeCommitOptions } from './commit.js'
export { applyPendingCommit, discardPendingCommit, settleCommit, type PendingCommit, type Settled } from './pending.js'
export { exportSecret, leafRoster, MAX_EXPORTED_BYTES } from './exporter.js'
export { encryptMessage, processMessage, type ApplicationOutcome, type Encrypted, type Processed } from './messages.js'
export type { CommitOutcome, ProposalOutcome } from './handshake.js'
export {
  assertNotSealed, auditMembers, epochOfState, groupIdOfState, isRemoved, members, ownCertificate, policyOf, restoreState, serialiseState,
  type ConversationState
} from './state.js'
export { isSplitState, joinStateParts, sharedPartDigest, splitState, SPLIT_STATE_FORMAT, type StateParts } from './state-parts.js'
// linked devices (issue 16): a member adds its own officer's devices
export { addsOwnDevice } from './commit-rules.js'
