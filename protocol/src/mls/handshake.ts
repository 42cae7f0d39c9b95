import { contentTypes, defaultProposalTypes, processMessage as tsProcessMessage, zeroOutUint8Array, type IncomingMessageCallback, type MlsFramedMessage } from 'ts-mls'
import { DakError, EpochTooOldError, ForbiddenCommitError, MlsError } from '../errors.js'
import type { Certificate } from '../identity/certificate.js'
import { checkAddedKeysFresh, checkUpdatePath, judgeProposals, type MembershipChange } from './commit-rules.js'
import { operationContext, type ConversationContext } from './context.js'
import { verifyMemberCredential } from './credentials.js'
import { mlsCall, toDakError } from './error-map.js'
import type { Frame } from './framing.js'
import { leafAt, policyOf, type ConversationState } from './state.js'
import { loadSuite } from './suite.js'

export interface CommitOutcome extends MembershipChange {
  kind: 'commit'
  /** Who made the commit (certificate verified as of the context's clock). */
  committer: Certificate
  /** The commit removed this device: the returned state can no longer send or read. */
  removedSelf: boolean
  /** The epoch the group is in now. */
  epoch: bigint
  state: ConversationState
}

export interface ProposalOutcome {
  kind: 'proposal'
  /** A member asking to leave; the next commit (by anyone) carries it out. */
  leaving: Certificate
  state: ConversationState
}

/**
 * Process a commit or proposal. Dak sends both as PublicMessage so the sequencer can read
 * their epoch; the rules of commit-rules.ts run in ts-mls's commit callback, i.e. after the
 * message's signature and membership tag verified and before anything is applied.
 */
export async function processHandshake (state: ConversationState, message: MlsFramedMessage, frame: Frame, context: ConversationContext): Promise<CommitOutcome | ProposalOutcome> {
  const current = state.mls.groupContext.epoch
  if (frame.wire !== 'public') throw new MlsError(`a ${frame.kind} must be sent as a PublicMessage in Dak groups`)
  if (frame.epoch < current) throw new EpochTooOldError(`${frame.kind} for epoch ${frame.epoch} is superseded: the group is at epoch ${current}`)
  if (!('publicMessage' in message)) throw new MlsError('expected a PublicMessage')
  const content = message.publicMessage.content
  const tree = state.mls.ratchetTree
  const policy = policyOf(state)
  const hasPath = content.contentType === contentTypes.commit && content.commit.path !== undefined
  let refusal: DakError | undefined
  let change: MembershipChange | undefined
  let author: Certificate | undefined

  // Runs inside ts-mls, after authentication; a throw here would lose its type, so refusals are recorded.
  const callback: IncomingMessageCallback = (incoming) => {
    try {
      if (incoming.kind === 'proposal') {
        const { proposal, senderLeafIndex } = incoming.proposal
        const leaf = senderLeafIndex === undefined ? undefined : leafAt(tree, senderLeafIndex)
        if (leaf == null) throw new ForbiddenCommitError('proposals from outside the group are not accepted')
        author = verifyMemberCredential(leaf.credential, leaf.signaturePublicKey, context)
        if (proposal.proposalType !== defaultProposalTypes.remove || !('remove' in proposal) || proposal.remove.removed !== senderLeafIndex) {
          throw new ForbiddenCommitError('Dak accepts no standalone proposal but a member\'s own leave')
        }
        return 'accept'
      }
      const committerLeaf = incoming.senderLeafIndex === undefined ? undefined : leafAt(tree, incoming.senderLeafIndex)
      if (committerLeaf != null) author = verifyMemberCredential(committerLeaf.credential, committerLeaf.signaturePublicKey, context)
      change = judgeProposals(tree, policy, incoming.senderLeafIndex, incoming.proposals)
      checkAddedKeysFresh(tree, incoming.proposals)
      if (content.contentType === contentTypes.commit && content.commit.path !== undefined && incoming.senderLeafIndex !== undefined) {
        checkUpdatePath(tree, incoming.senderLeafIndex, content.commit.path)
      }
      // The receiving side of the sealed-epoch rule (see proposeCommit): a sealed epoch is
      // only left by a commit with a path, and a Welcome never leads into one.
      if (!hasPath && state.sealed) throw new ForbiddenCommitError('after a removal without update path, the next commit must carry one')
      if (!hasPath && change.removed.length > 0 && change.added.length > 0) throw new ForbiddenCommitError('a commit that adds and removes must carry an update path')
      return 'accept'
    } catch (err) {
      refusal = toDakError(err, frame.kind)
      return 'reject'
    }
  }

  const suite = await loadSuite(state.suite)
  const op = operationContext(suite, context)
  const result = await mlsCall(`process ${frame.kind}`, async () => await tsProcessMessage({ context: op.mls, state: state.mls, message, callback }), () => refusal ?? op.authFailure())
  if (result.kind !== 'newState') throw new MlsError(`expected a ${frame.kind}`)
  if (result.actionTaken === 'reject') throw refusal ?? new ForbiddenCommitError(`${frame.kind} refused`)
  if (author == null) throw new MlsError(`${frame.kind} has no author`)
  result.consumed.forEach(zeroOutUint8Array)
  // ts-mls rc.10 lets a commit that removes one member go without an update path; the
  // epoch it opens is then known to the removed device, and stays so until a path commit.
  const sealed = frame.kind === 'commit' ? !hasPath && (state.sealed || (change?.removed.length ?? 0) > 0) : state.sealed
  const next: ConversationState = { suite: state.suite, sealed, mls: result.newState }
  if (frame.kind === 'proposal') return { kind: 'proposal', leaving: author, state: next }
  if (change == null) throw new MlsError('commit was applied without review')
  return {
    kind: 'commit',
    committer: author,
    added: change.added,
    removed: change.removed,
    disowned: change.disowned ?? [],
    removedSelf: result.newState.groupActiveState.kind === 'removedFromGroup',
    epoch: result.newState.groupContext.epoch,
    state: next
  }
}
