import { groupIdOfTopic } from '@dak/protocol/department'
import type { CommitSequencer } from '../sequencer/index.js'
import type { ProtocolDeps } from './deps.js'
import { NotAMemberOfTopicError } from './errors.js'

/**
 * Only members touch a conversation: for the topic of a group this node
 * sequences, a device registers and reads it only while it is a member or
 * after it left (to learn of its removal; it cannot decrypt what came after),
 * and deposits into it only while it is a member. The sequencer's roster is
 * the authority (docs/mls.md, "Sequencer"). Topics of groups this node does
 * not sequence (a LAN group's, or one not registered yet) are kept for any
 * device of the department, as before: the node has no roster to judge by.
 */
export async function checkTopicAccess (deps: ProtocolDeps, topic: string, device: Uint8Array, use: 'read' | 'write'): Promise<void> {
  if (await mayUseTopic(deps.sequencer, topic, device, use)) return
  throw new NotAMemberOfTopicError(use === 'read' ? 'only the conversation\'s members read its topic' : 'only the conversation\'s members deposit into its topic')
}

/** The rule above as a yes or no, for gossip store-forward (which has no one to answer with an error). */
export async function mayUseTopic (sequencer: Pick<CommitSequencer, 'relationOf'>, topic: string, device: Uint8Array, use: 'read' | 'write'): Promise<boolean> {
  const groupId = groupIdOfTopic(topic)
  if (groupId == null) return true
  const relation = await sequencer.relationOf(groupId, device)
  return relation === 'member' || relation === 'unsequenced' || (relation === 'departed' && use === 'read')
}
