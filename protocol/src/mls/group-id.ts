import { sha256 } from '@noble/hashes/sha2.js'
import { bytesEqual, concatBytes, utf8 } from '../bytes.js'
import { InvalidArgumentError, MlsError } from '../errors.js'
import type { GroupPolicy } from './group-policy.js'

/**
 * A group id bound to its sequencer. The id is the first 16 bytes of
 * SHA-256("dak/v1/group-id" 0 len(sequencer) sequencer salt), with a random
 * 16-byte salt kept in the group policy (GroupContext). A device joining a
 * group checks the id against the policy's sequencer and salt, and takes the
 * Welcome only from that sequencer (its signed ack, or the sequencing device
 * itself). So a look-alike group under a real group's id must name the real
 * sequencer, which never vouches for it: an outsider who saw a group id on
 * the wire can no longer make a group under it that a device would join
 * (test/threats/silent-member.test.ts). Finding another sequencer and salt
 * for the same id is a 128-bit second preimage.
 */

export const GROUP_ID_SALT_BYTES = 16
const GROUP_ID_BYTES = 16
const DOMAIN = utf8('dak/v1/group-id')

/** The group's id is not the one its sequencer and salt make: a look-alike of another group, or a group from before ids were bound. */
export class UnboundGroupIdError extends MlsError { override name = 'UnboundGroupIdError' }

export function groupIdFor (sequencer: string, salt: Uint8Array): Uint8Array {
  if (salt.length !== GROUP_ID_SALT_BYTES) throw new InvalidArgumentError(`group id salt must be ${GROUP_ID_SALT_BYTES} bytes`)
  const name = utf8(sequencer)
  if (name.length === 0 || name.length > 0xffff) throw new InvalidArgumentError('sequencer must be 1-65535 bytes')
  const length = new Uint8Array([name.length >> 8, name.length & 0xff])
  return sha256(concatBytes(DOMAIN, new Uint8Array([0]), length, name, salt)).slice(0, GROUP_ID_BYTES)
}

/** Throws UnboundGroupIdError unless `groupId` is the one the policy's sequencer and salt make. */
export function checkGroupIdBound (groupId: Uint8Array, policy: GroupPolicy): void {
  if (policy.idSalt == null) throw new UnboundGroupIdError('the group policy has no id salt: its id is not bound to its sequencer')
  if (!bytesEqual(groupIdFor(policy.sequencer, policy.idSalt), groupId)) {
    throw new UnboundGroupIdError(`group id is not the one sequencer ${policy.sequencer} and the policy's salt make: a look-alike group`)
  }
}

/** A policy change keeps what the group id is bound to: the sequencer and the salt. */
export function keepsGroupIdentity (previous: GroupPolicy, next: GroupPolicy): boolean {
  if (previous.sequencer !== next.sequencer) return false
  if (previous.idSalt == null || next.idSalt == null) return previous.idSalt == null && next.idSalt == null
  return bytesEqual(previous.idSalt, next.idSalt)
}
