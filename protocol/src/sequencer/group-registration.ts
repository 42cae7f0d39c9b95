import { decodeBounded } from '../codec.js'
import { bytesEqual } from '../bytes.js'
import { ED25519_PUBLIC_KEY_BYTES, FORMAT_VERSION } from '../constants.js'
import { InvalidArgumentError, MalformedInputError } from '../errors.js'
import { signFor, verifyFor, type SigningKeyPair } from '../identity/keys.js'
import { decodeGroupPolicy, encodeGroupPolicy, type GroupPolicy } from '../mls/group-policy.js'
import { MAX_GROUP_ADMINS, MAX_GROUP_ID_BYTES, MAX_SEQUENCER_BYTES } from '../mls/limits.js'
import { GroupRegistration, GroupRegistrationBody } from '../wire/generated/envelope.js'

/**
 * A group's creator tells its department sequencer, with the group's first
 * commit: "this group id is mine, from epoch 0, under this policy". The
 * sequencer keeps the first registration of each id and from it (and every
 * commit it accepts after) the group's members and admins; nobody else can
 * commit in the group, and nobody can register the id again. Group ids are 16
 * random bytes no one sees before this registration, so it cannot be squatted.
 */

export const MAX_GROUP_REGISTRATION_BYTES = 256 + MAX_GROUP_ID_BYTES + MAX_SEQUENCER_BYTES + MAX_GROUP_ADMINS * 40

export interface GroupRegistrationFields {
  groupId: Uint8Array
  firstEpoch: number
  creator: Uint8Array
  policy: GroupPolicy
}

export interface VerifiedGroupRegistration extends GroupRegistrationFields {
  bytes: Uint8Array
}

export function signGroupRegistration (creator: SigningKeyPair, groupId: Uint8Array, policy: GroupPolicy): Uint8Array {
  if (groupId.length === 0 || groupId.length > MAX_GROUP_ID_BYTES) throw new InvalidArgumentError(`group id must be 1-${MAX_GROUP_ID_BYTES} bytes`)
  const body = GroupRegistrationBody.encode({ version: FORMAT_VERSION, groupId, firstEpoch: 0, creator: creator.publicKey, policy: encodeGroupPolicy(policy) })
  return GroupRegistration.encode({ body, signature: signFor('registerGroup', creator.privateKey, body) })
}

/** Size, canonical shape, a valid policy naming the creator as admin, and the creator's signature. */
export function verifyGroupRegistration (bytes: Uint8Array): VerifiedGroupRegistration {
  const outer = decodeBounded(GroupRegistration, bytes, MAX_GROUP_REGISTRATION_BYTES, 'group registration')
  const body = decodeBounded(GroupRegistrationBody, outer.body, MAX_GROUP_REGISTRATION_BYTES, 'group registration body')
  if (!bytesEqual(GroupRegistration.encode(outer), bytes) || !bytesEqual(GroupRegistrationBody.encode(body), outer.body)) {
    throw new MalformedInputError('group registration is not canonically encoded')
  }
  if (body.version !== FORMAT_VERSION) throw new MalformedInputError(`group registration version ${body.version} is not supported`)
  if (body.groupId.length === 0 || body.groupId.length > MAX_GROUP_ID_BYTES) throw new MalformedInputError(`group id must be 1-${MAX_GROUP_ID_BYTES} bytes`)
  if (body.firstEpoch !== 0) throw new MalformedInputError('a group is registered at epoch 0, when its creator is its only member')
  if (body.creator.length !== ED25519_PUBLIC_KEY_BYTES) throw new MalformedInputError('group registration creator is not an Ed25519 public key')
  const policy = decodeGroupPolicy(body.policy)
  if (!policy.admins.some(admin => bytesEqual(admin, body.creator))) throw new MalformedInputError('a group\'s creator is its first admin')
  verifyFor('registerGroup', body.creator, outer.body, outer.signature, 'group registration')
  return { groupId: body.groupId, firstEpoch: body.firstEpoch, creator: body.creator, policy, bytes }
}
