import { contentTypes, createCommit, createProposal, defaultProposalTypes, wireformats, zeroOutUint8Array, type CreateCommitResult, type Proposal, type ProposalWithSender } from 'ts-mls'
import { bytesEqual } from '../bytes.js'
import { InvalidArgumentError, MlsError } from '../errors.js'
import type { Certificate } from '../identity/certificate.js'
import { checkAddedKeysFresh, judgeProposals } from './commit-rules.js'
import { operationContext, sendingContext, type ConversationContext, type OperationContext } from './context.js'
import { certificateOfCredential } from './credentials.js'
import { mlsCall } from './error-map.js'
import { encodeMlsMessage } from './framing.js'
import { verifyKeyPackage } from './keypackages.js'
import type { PendingCommit } from './pending.js'
import { assertMember, leavesOf, policyOf, type ConversationState } from './state.js'
import { loadSuite } from './suite.js'

export interface ProposeCommitOptions {
  /** Encoded key packages of the devices to add. */
  add?: Uint8Array[]
  /** Device public keys (Certificate.devicePublicKey) of the members to remove. */
  remove?: Uint8Array[]
}

/**
 * Make a commit adding and removing members (admins only), carrying any leave proposals
 * received this epoch. With nothing to add or remove it is a self-update (fresh leaf and
 * path keys: post-compromise security). Nothing is applied: see PendingCommit.
 */
export async function proposeCommit (state: ConversationState, options: ProposeCommitOptions, context: ConversationContext): Promise<PendingCommit> {
  assertMember(state)
  const suite = await loadSuite(state.suite)
  const tree = state.mls.ratchetTree
  const ownLeaf = state.mls.privatePath.leafIndex
  const proposals: Proposal[] = []
  for (const bytes of options.add ?? []) {
    const verified = await verifyKeyPackage(bytes, context)
    if (verified.suite.id !== suite.id) throw new InvalidArgumentError(`key package of ${verified.certificate.handle} is for another cipher suite`)
    proposals.push({ proposalType: defaultProposalTypes.add, add: { keyPackage: verified.keyPackage } })
  }
  for (const device of options.remove ?? []) {
    const target = leavesOf(tree).find(({ leaf }) => bytesEqual(certificateOfCredential(leaf.credential).devicePublicKey, device))
    if (target == null) throw new InvalidArgumentError('cannot remove a device that is not a member')
    if (target.leafIndex === ownLeaf) throw new InvalidArgumentError('a member cannot commit its own removal: use proposeLeave')
    proposals.push({ proposalType: defaultProposalTypes.remove, remove: { removed: target.leafIndex } })
  }
  const pending: ProposalWithSender[] = Object.values(state.mls.unappliedProposals)
  if (pending.some(({ proposal }) => 'remove' in proposal && proposal.remove.removed === ownLeaf)) {
    throw new MlsError('this device asked to leave: another member must commit that')
  }
  // The same rules every receiver applies, checked first so a doomed commit is never sent.
  const all = [...pending, ...proposals.map(proposal => ({ proposal, senderLeafIndex: ownLeaf }))]
  const change = judgeProposals(tree, policyOf(state), ownLeaf, all)
  checkAddedKeysFresh(tree, all)
  // A removal may open a sealed epoch (see below); a Welcome must never lead into one.
  if (change.added.length > 0 && (state.sealed || change.removed.length > 0)) {
    throw new InvalidArgumentError('add members in a commit of their own, not with a removal or right after one')
  }

  const op = operationContext(suite, context)
  const result = await commitWith(op, state, proposals)
  const first = pendingOf(state, result, change, !hasPath(result) && (state.sealed || change.removed.length > 0))
  if (!first.pendingState.sealed) return first
  // ts-mls rc.10 gives a commit removing one member no update path, so the removed
  // device could derive the next epoch. Chain an empty commit (which always has a path)
  // so the group leaves that epoch at once; nothing is ever encrypted in it.
  const followUp = await commitWith(op, first.pendingState, [])
  return { ...first, followUp: pendingOf(first.pendingState, followUp, { added: [], removed: [] }, !hasPath(followUp)) }
}

async function commitWith (op: OperationContext, state: ConversationState, proposals: Proposal[]): Promise<CreateCommitResult> {
  return await mlsCall('create commit', async () => await createCommit({
    context: op.mls,
    state: state.mls,
    extraProposals: proposals,
    wireAsPublicMessage: true, // the sequencer reads the epoch without being a member
    ratchetTreeExtension: true // joiners need no tree out of band
  }), op.authFailure)
}

function hasPath (result: CreateCommitResult): boolean {
  const message = result.commit
  if (message.wireformat !== wireformats.mls_public_message) return false
  const content = message.publicMessage.content
  return content.contentType === contentTypes.commit && content.commit.path !== undefined
}

function pendingOf (state: ConversationState, result: CreateCommitResult, change: { added: Certificate[], removed: Certificate[] }, sealed: boolean): PendingCommit {
  return {
    epoch: state.mls.groupContext.epoch,
    commitBytes: encodeMlsMessage(result.commit),
    welcomeBytes: result.welcome == null ? undefined : encodeMlsMessage(result.welcome),
    added: change.added,
    removed: change.removed,
    pendingState: { suite: state.suite, sealed, mls: result.newState },
    consumed: result.consumed
  }
}

/** A commit that only refreshes this device's own leaf and path keys. */
export async function proposeSelfUpdate (state: ConversationState, context: ConversationContext): Promise<PendingCommit> {
  return await proposeCommit(state, {}, context)
}

/** Ask to leave: a PublicMessage Remove proposal for our own leaf, which any member may commit. */
export async function proposeLeave (state: ConversationState, options: { retention?: ConversationContext['retention'] } = {}): Promise<{ proposalBytes: Uint8Array, state: ConversationState }> {
  assertMember(state)
  const suite = await loadSuite(state.suite)
  const result = await mlsCall('propose leave', async () => await createProposal({
    context: sendingContext(suite, options.retention),
    state: state.mls,
    wireAsPublicMessage: true,
    proposal: { proposalType: defaultProposalTypes.remove, remove: { removed: state.mls.privatePath.leafIndex } }
  }))
  result.consumed.forEach(zeroOutUint8Array)
  return { proposalBytes: encodeMlsMessage(result.message), state: { ...state, mls: result.newState } }
}
