import { createApplicationMessage, processMessage as tsProcessMessage, zeroOutUint8Array, type ClientState, type LeafNode, type MlsFramedMessage, type SecretTree } from 'ts-mls'
import { bytesEqual } from '../bytes.js'
import { MAX_MLS_MESSAGE_BYTES } from '../constants.js'
import { EpochTooOldError, FutureEpochError, MlsError, TooLargeError } from '../errors.js'
import type { Certificate } from '../identity/certificate.js'
import { operationContext, sendingContext, type ConversationContext } from './context.js'
import { verifyMemberCredential } from './credentials.js'
import { mlsCall } from './error-map.js'
import { decodeFramed, encodeMlsMessage, frameOfMessage } from './framing.js'
import { processHandshake, type CommitOutcome, type ProposalOutcome } from './handshake.js'
import { loadSuite } from './suite.js'
import { assertMember, assertNotSealed, leafAt, type ConversationState } from './state.js'

/** Room for MLS framing, signature and padding within MAX_MLS_MESSAGE_BYTES. */
const MAX_PLAINTEXT_BYTES = MAX_MLS_MESSAGE_BYTES - 4096

export interface Encrypted {
  messageBytes: Uint8Array
  state: ConversationState
}

/** Encrypt application data (an encoded Dak Content) for the group's current epoch. */
export async function encryptMessage (state: ConversationState, plaintext: Uint8Array, options: { retention?: ConversationContext['retention'] } = {}): Promise<Encrypted> {
  assertMember(state)
  assertNotSealed(state)
  if (plaintext.length > MAX_PLAINTEXT_BYTES) throw new TooLargeError(`plaintext of ${plaintext.length} bytes is over the limit of ${MAX_PLAINTEXT_BYTES}`)
  const suite = await loadSuite(state.suite)
  const result = await mlsCall('encrypt', async () => await createApplicationMessage({ context: sendingContext(suite, options.retention), state: state.mls, message: plaintext }))
  result.consumed.forEach(zeroOutUint8Array)
  return { messageBytes: encodeMlsMessage(result.message), state: { ...state, mls: result.newState } }
}

export interface ApplicationOutcome {
  kind: 'application'
  plaintext: Uint8Array
  /** The sender's certificate, verified as of the context's clock. */
  sender: Certificate
  epoch: bigint
  state: ConversationState
}

export type Processed = ApplicationOutcome | CommitOutcome | ProposalOutcome

/**
 * Process one group message. Failures are typed and leave `state` usable: FutureEpochError
 * (buffer it, retry after the next commit), EpochTooOldError (outside the retention
 * window, or a commit that lost its epoch), DuplicateMessageError, NotAMemberError,
 * ForbiddenCommitError, the certificate errors, TooLargeError, MalformedInputError, MlsError.
 */
export async function processMessage (state: ConversationState, bytes: Uint8Array, context: ConversationContext): Promise<Processed> {
  assertMember(state)
  const message = decodeFramed(bytes)
  const frame = frameOfMessage(message)
  const current = state.mls.groupContext.epoch
  if (!bytesEqual(frame.groupId, state.mls.groupContext.groupId)) throw new MlsError('message is for another group')
  if (frame.epoch > current) throw new FutureEpochError(`message is for epoch ${frame.epoch}, group is at epoch ${current}`)
  if (frame.kind !== 'application') return await processHandshake(state, message, frame, context)
  if (frame.wire !== 'private') throw new MlsError('application data must be a PrivateMessage')
  if (frame.epoch < current && !state.mls.historicalReceiverData.has(frame.epoch)) {
    throw new EpochTooOldError(`message is for epoch ${frame.epoch}; keys are kept back to epoch ${oldestRetained(state.mls)} only`)
  }
  return await decryptApplication(state, message, frame.epoch, context)
}

function oldestRetained (mls: ClientState): bigint {
  let oldest = mls.groupContext.epoch
  for (const epoch of mls.historicalReceiverData.keys()) if (epoch < oldest) oldest = epoch
  return oldest
}

async function decryptApplication (state: ConversationState, message: MlsFramedMessage, epoch: bigint, context: ConversationContext): Promise<ApplicationOutcome> {
  const suite = await loadSuite(state.suite)
  const op = operationContext(suite, context)
  const result = await mlsCall('decrypt', async () => await tsProcessMessage({ context: op.mls, state: state.mls, message }), op.authFailure)
  if (result.kind !== 'applicationMessage') throw new MlsError('expected application data')
  const sender = senderOf(state.mls, result.newState, epoch)
  // Re-verified on every message, so a revocation or expiry learned since the sender
  // joined takes effect at once. On failure nothing is zeroed: `state` stays usable.
  const certificate = verifyMemberCredential(sender.credential, sender.signaturePublicKey, context)
  result.consumed.forEach(zeroOutUint8Array)
  return { kind: 'application', plaintext: result.message, sender: certificate, epoch, state: { ...state, mls: result.newState } }
}

/**
 * ts-mls rc.10 does not say who sent an application message. Decrypting ratchets exactly
 * one leaf of the epoch's secret tree — the sender's, as named by the decrypted sender
 * data whose key also verified the signature — so the leaf that changed is the sender.
 */
function senderOf (before: ClientState, after: ClientState, epoch: bigint): LeafNode {
  const pick = (s: ClientState): { secretTree: SecretTree, ratchetTree: ClientState['ratchetTree'] } | undefined =>
    epoch === s.groupContext.epoch ? s : s.historicalReceiverData.get(epoch)
  const old = pick(before)
  const next = pick(after)
  if (old == null || next == null) throw new MlsError('no keys for the message epoch')
  const changed = Object.keys(next.secretTree.leafNodes).map(Number).filter(node => next.secretTree.leafNodes[node] !== old.secretTree.leafNodes[node])
  const nodeIndex = changed[0]
  if (changed.length !== 1 || nodeIndex === undefined) throw new MlsError('could not attribute the message to one sender')
  const leaf = leafAt(old.ratchetTree, nodeIndex / 2)
  if (leaf == null) throw new MlsError('message sender leaf is empty')
  return leaf
}
