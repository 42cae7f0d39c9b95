import { zeroOutUint8Array, type ClientState, type EpochReceiverData, type SecretTree } from 'ts-mls'
import { bytesEqual } from '../bytes.js'
import { InvalidArgumentError } from '../errors.js'
import type { Certificate } from '../identity/certificate.js'
import type { ConversationContext } from './context.js'
import { processMessage } from './messages.js'
import type { ConversationState } from './state.js'

/**
 * A commit made but not applied. Send `commitBytes` to the sequencer; only once it
 * acknowledges them as the commit of `epoch` call applyPendingCommit (or settleCommit)
 * and send the Welcome. Keep sending and reading in the current epoch meanwhile.
 * If another commit won the epoch, discardPendingCommit, process the winner, propose again.
 */
export interface PendingCommit {
  /** The epoch this commit is for: the sequencer accepts one commit per epoch. */
  epoch: bigint
  commitBytes: Uint8Array
  /** For the added devices; carries the ratchet tree. Send only after the acknowledgement. */
  welcomeBytes?: Uint8Array
  added: Certificate[]
  removed: Certificate[]
  pendingState: ConversationState
  /**
   * Secrets of the current epoch that the new state no longer needs. They still belong to
   * the current state too (which must stay usable in case this commit loses), so they are
   * zeroed only when the commit is applied.
   */
  consumed: Uint8Array[]
  /**
   * When this commit removes members without an update path (ts-mls rc.10 omits it for a
   * single removal), an empty commit for the next epoch that lifts the seal. Hand both to
   * the sequencer together; apply this one right after the first.
   */
  followUp?: PendingCommit
}

/**
 * The sequencer acknowledged our commit: it is the group's next epoch. `current` is the
 * state now, which may have sent and read messages since the commit was made (Dak keeps
 * talking while a commit waits for the sequencer): the epoch being closed is kept for late
 * messages as it is now, not as it was when the commit was made, and only then are the
 * closed epoch's spent secrets zeroed.
 */
export function applyPendingCommit (current: ConversationState, pending: PendingCommit): ConversationState {
  const now = current.mls
  if (now.groupContext.epoch !== pending.epoch) {
    throw new InvalidArgumentError(`commit is for epoch ${pending.epoch}, the group is at epoch ${now.groupContext.epoch}`)
  }
  const next = pending.pendingState.mls
  const history = new Map<bigint, EpochReceiverData>()
  for (const epoch of next.historicalReceiverData.keys()) {
    const data = epoch === pending.epoch ? receiverDataOf(now) : now.historicalReceiverData.get(epoch) ?? next.historicalReceiverData.get(epoch)
    if (data != null) history.set(epoch, data)
  }
  for (const [epoch, data] of now.historicalReceiverData) {
    if (!history.has(epoch)) secretTreeValues(data.secretTree).forEach(zeroOutUint8Array)
  }
  pending.consumed.forEach(zeroOutUint8Array)
  zeroOutUint8Array(now.keySchedule.initSecret)
  return { ...pending.pendingState, mls: { ...next, historicalReceiverData: history } }
}

function receiverDataOf (state: ClientState): EpochReceiverData {
  return {
    secretTree: state.secretTree,
    ratchetTree: state.ratchetTree,
    senderDataSecret: state.keySchedule.senderDataSecret,
    groupContext: state.groupContext,
    resumptionPsk: state.keySchedule.resumptionPsk
  }
}

/** Every secret a secret tree holds (ts-mls does not export its own helper). */
function secretTreeValues (tree: SecretTree): Uint8Array[] {
  const out = Object.values(tree.intermediateNodes)
  for (const node of Object.values(tree.leafNodes)) {
    for (const ratchet of [node.application, node.handshake]) out.push(ratchet.secret, ...Object.values(ratchet.unusedGenerations))
  }
  return out
}

/** Another commit won the epoch: forget ours. Zeroes the secrets of the epoch that never was. */
export function discardPendingCommit (pending: PendingCommit): void {
  // The key schedule of the pending epoch is fresh; everything else may be shared with the current state.
  Object.values(pending.pendingState.mls.keySchedule).forEach(zeroOutUint8Array)
  if (pending.followUp != null) discardPendingCommit(pending.followUp)
}

export interface Settled {
  state: ConversationState
  /** Our own pending commit was the one the sequencer accepted. */
  ownCommitApplied: boolean
  added: Certificate[]
  removed: Certificate[]
  removedSelf: boolean
  /** Our applied commit's follow-up (see PendingCommit.followUp): settle it next. */
  followUp?: PendingCommit
}

/**
 * Move to the next epoch with the commit the sequencer accepted for it: ours (apply the
 * pending state; ts-mls cannot process its own commit) or someone else's (discard ours,
 * process theirs). The caller re-proposes whatever its lost commit was meant to do.
 */
export async function settleCommit (state: ConversationState, pending: PendingCommit | undefined, acceptedCommit: Uint8Array, context: ConversationContext): Promise<Settled> {
  if (pending != null && bytesEqual(pending.commitBytes, acceptedCommit)) {
    return { state: applyPendingCommit(state, pending), ownCommitApplied: true, added: pending.added, removed: pending.removed, removedSelf: false, followUp: pending.followUp }
  }
  const processed = await processMessage(state, acceptedCommit, context)
  if (processed.kind !== 'commit') throw new InvalidArgumentError('the accepted message is not a commit')
  if (pending != null) discardPendingCommit(pending)
  return { state: processed.state, ownCommitApplied: false, added: processed.added, removed: processed.removed, removedSelf: processed.removedSelf }
}

