import {
  bytesEqual, DakError, EnvelopeKind, epochOfState, frameOf, groupIdOfState, mlsHash, openCommitAck, policyOf, toHex,
  type ConversationState, type OpenedEnvelope, type SignedCommitAck
} from '@dak/protocol'
import { peerIdFromString } from '@libp2p/peer-id'
import type { ChatMessage } from './api.js'
import type { EngineContext } from './context.js'
import type { InboxBatch } from './inbox-batch.js'

/**
 * The device's side of the sequencer's acknowledgements (docs/mls.md,
 * "Sequencer"). A commit or Welcome of a group whose sequencer is a
 * department node is applied only with that node's CommitAck for it; one
 * sequenced by a device (a LAN group) only when that device made it. For each
 * epoch a commit was applied in, the seen set keeps "an acked commit was
 * applied in epoch e" and "this one was": a second acked commit for an epoch
 * already decided, naming another commit, is a fork the node made, and it is
 * shown in the conversation rather than ignored as a stale commit.
 */

/** An acked commit or Welcome without a valid ack from its group's sequencer. */
export class MissingSequencerAckError extends DakError { override name = 'MissingSequencerAckError' }

/** The Ed25519 key of a sequencer named by peer id, or undefined when it is not one. */
export function sequencerKey (sequencer: string): Uint8Array | undefined {
  try {
    const peer = peerIdFromString(sequencer)
    return peer.type === 'Ed25519' ? peer.publicKey.raw : undefined
  } catch {
    return undefined
  }
}

/** Whether the group's sequencer is this envelope's own sender (a device-sequenced group's committer). */
function sentBySequencer (state: ConversationState, envelope: OpenedEnvelope): boolean {
  const key = sequencerKey(policyOf(state).sequencer)
  return key != null && bytesEqual(key, envelope.sender)
}

/**
 * The sequencer's ack of `mlsBytes` in `envelope`, checked against the group's
 * sequencer, group id and (for a commit) epoch; undefined when the sender is
 * the group's own (device) sequencer. Throws MissingSequencerAckError otherwise.
 */
export function requireAck (state: ConversationState, envelope: OpenedEnvelope, welcome: boolean): SignedCommitAck | undefined {
  if (sentBySequencer(state, envelope)) return undefined
  const key = sequencerKey(policyOf(state).sequencer)
  if (key == null) throw new MissingSequencerAckError('the group names no sequencer that can acknowledge its commits')
  if (envelope.sequencerAck == null) throw new MissingSequencerAckError(`a ${welcome ? 'Welcome' : 'commit'} without its sequencer's acknowledgement`)
  let ack: SignedCommitAck
  try {
    ack = openCommitAck(envelope.sequencerAck, key)
  } catch (err) {
    throw new MissingSequencerAckError(`sequencer acknowledgement does not verify: ${(err as Error).message}`)
  }
  if (!bytesEqual(ack.groupId, groupIdOfState(state))) throw new MissingSequencerAckError('the acknowledgement is for another group')
  if (!bytesEqual(welcome ? ack.welcomeHash : ack.commitHash, mlsHash(envelope.payload))) throw new MissingSequencerAckError(`the acknowledgement names another ${welcome ? 'Welcome' : 'commit'}`)
  if (!welcome && BigInt(ack.epoch) !== frameOf(envelope.payload).epoch) throw new MissingSequencerAckError('the acknowledgement is for another epoch')
  return ack
}

function epochId (groupId: string, epoch: number): string { return `acked-epoch:${groupId}:${epoch}` }
function commitId (groupId: string, epoch: number, hash: Uint8Array): string { return `acked-commit:${groupId}:${epoch}:${toHex(hash)}` }

/** Record, in the batch that applies it, that this acked commit decided its epoch here. */
export function recordApplied (batch: InboxBatch, groupId: string, ack: SignedCommitAck | undefined): void {
  if (ack == null) return
  batch.seen(epochId(groupId, ack.epoch))
  batch.seen(commitId(groupId, ack.epoch, ack.commitHash))
}

/** Ops recording an acked commit this device made and applied itself (membership.ts). */
export function appliedOps (ctx: EngineContext, groupId: string, ack: SignedCommitAck): Array<{ type: 'seen', id: string, at: number }> {
  return [epochId(groupId, ack.epoch), commitId(groupId, ack.epoch, ack.commitHash)].map(id => ({ type: 'seen' as const, id, at: ctx.now() }))
}

/**
 * A commit for an epoch this group is already past. When its ack is valid and
 * this device applied a different acked commit in that epoch, the sequencer
 * signed two histories: add a system line (once per epoch) and return true.
 */
export async function detectFork (ctx: EngineContext, batch: InboxBatch, conversationId: string, state: ConversationState, envelope: OpenedEnvelope): Promise<boolean> {
  if (envelope.kind !== EnvelopeKind.COMMIT) return false
  let ack: SignedCommitAck | undefined
  try {
    ack = requireAck(state, envelope, false)
  } catch {
    return false // no valid ack: an ordinary stale or forged commit, not the node's word
  }
  if (ack == null || BigInt(ack.epoch) >= epochOfState(state)) return false
  const groupId = toHex(groupIdOfState(state))
  if (!await ctx.store.seen.has(epochId(groupId, ack.epoch))) return false // joined after that epoch: nothing to compare
  if (await ctx.store.seen.has(commitId(groupId, ack.epoch, ack.commitHash))) return false
  const marker = `fork:${groupId}:${ack.epoch}`
  if (batch.has(marker) || await ctx.store.seen.has(marker)) return true
  batch.seen(marker)
  const message: ChatMessage = {
    id: `fork-${groupId}-${ack.epoch}`,
    conversationId,
    sender: { handle: 'sequencer', displayName: 'Department node', title: '', department: '', deviceKey: toHex(ack.nodePublicKey) },
    fromMe: false,
    kind: 'system',
    text: `Warning: the department node acknowledged two different changes to this conversation for epoch ${ack.epoch}. Members may see different histories: check membership with every member.`,
    sentAt: ctx.now(),
    state: 'received'
  }
  batch.ops.push({ type: 'message-add', message })
  batch.after.push(() => { ctx.emitter.emit('message', message) })
  return true
}
