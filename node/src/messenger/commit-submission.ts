import { groupIdOfState, leavingLeavesOf, mlsHash, policyOf, signGroupRegistration, type ConversationState, type PendingCommit } from '@dak/protocol'
import type { EngineContext } from './context.js'
import type { CommitSubmission } from './ports.js'

/**
 * What the department sequencer needs beside a commit to judge it (it is no
 * member and cannot read the group): whose leave proposals it carries by
 * reference, the hash of its Welcome (signed into the ack, so the new member
 * can check it), and for the group's first commit the creator's registration
 * of the group id. See docs/mls.md, "Sequencer".
 */
export function submissionFor (ctx: EngineContext, state: ConversationState, pending: PendingCommit): CommitSubmission {
  return {
    leavingLeaves: leavingLeavesOf(state, pending.commitBytes),
    ...(pending.welcomeBytes != null ? { welcomeHash: mlsHash(pending.welcomeBytes) } : {}),
    ...(pending.epoch === 0n ? { registration: signGroupRegistration(ctx.keys.device, groupIdOfState(state), policyOf(state)) } : {})
  }
}
