import { addsOwnDevice, bytesEqual, checkGroupIdBound, members, policyOf, groupIdOfState, isAdmin, MlsError, type Certificate, type ConversationState, type OpenedEnvelope, type SignedCommitAck } from '@dak/protocol'
import { requireAck } from './commit-acks.js'

/** A Welcome delivered by a member who is not an admin of the group it leads into. */
export class WelcomeNotFromAdminError extends MlsError { override name = 'WelcomeNotFromAdminError' }

/**
 * Whether a Welcome that opened may be joined. A group's id is on the wire
 * (the conversation topic), so anyone certified can make a group under it;
 * what a look-alike cannot have is the real group's sequencer vouching for it:
 * - the group id is the one its policy's sequencer and salt make (group-id.ts),
 *   so a look-alike naming its own sequencer has another id;
 * - the Welcome carries that sequencer's signed ack naming this Welcome, or,
 *   for a group a device sequences (LAN), comes from that device;
 * - it is delivered by an admin of the group (only admins add), or by a member
 *   device of this very officer (linked devices, issue 16: a member adds its
 *   own officer's devices, commit-rules.ts addsOwnDevice).
 * Returns the ack (none for a device-sequenced group); throws a typed error otherwise.
 */
export function checkWelcome (state: ConversationState, envelope: OpenedEnvelope, own: Certificate): SignedCommitAck | undefined {
  const policy = policyOf(state)
  const deliverer = members(state).find(c => bytesEqual(c.devicePublicKey, envelope.sender))
  const ownOfficer = deliverer != null && addsOwnDevice(deliverer, own)
  if (!isAdmin(policy, envelope.sender) && !ownOfficer) throw new WelcomeNotFromAdminError('a Welcome delivered by someone who is not an admin of its group (nor another device of this officer)')
  checkGroupIdBound(groupIdOfState(state), policy)
  return requireAck(state, envelope, true)
}
