import { defaultCredentialTypes, defaultExtensionTypes, makeCustomExtension, type GroupContext, type GroupContextExtension } from 'ts-mls'
import { bytesEqual, toHex, utf8 } from '../bytes.js'
import { decodeBounded } from '../codec.js'
import { ED25519_PUBLIC_KEY_BYTES } from '../constants.js'
import { InvalidArgumentError, MalformedInputError, MlsError } from '../errors.js'
import { GROUP_ID_SALT_BYTES } from './group-id.js'
import { GROUP_POLICY_EXTENSION_TYPE, GROUP_POLICY_VERSION, MAX_GROUP_ADMINS, MAX_SEQUENCER_BYTES } from './limits.js'
import { GroupPolicy as GroupPolicyWire } from '../wire/generated/group-policy.js'

/** Who orders the group's commits and who may change its membership. */
export interface GroupPolicy {
  /** libp2p peer id (string form) of the sequencer: a department node or the creating device. */
  sequencer: string
  /** Ed25519 device public keys (Certificate.devicePublicKey) of the admins. */
  admins: Uint8Array[]
  /** 16 random bytes the group id is derived from with the sequencer (group-id.ts); absent in groups made before ids were bound. */
  idSalt?: Uint8Array
}

function check (policy: GroupPolicy): string | undefined {
  const sequencerBytes = utf8(policy.sequencer).length
  if (sequencerBytes === 0 || sequencerBytes > MAX_SEQUENCER_BYTES) return `sequencer must be 1-${MAX_SEQUENCER_BYTES} bytes`
  if (policy.admins.length === 0 || policy.admins.length > MAX_GROUP_ADMINS) return `a group has 1-${MAX_GROUP_ADMINS} admins`
  if (policy.admins.some(key => key.length !== ED25519_PUBLIC_KEY_BYTES)) return 'admins are 32-byte Ed25519 device keys'
  if (new Set(policy.admins.map(toHex)).size !== policy.admins.length) return 'an admin is listed twice'
  if (policy.idSalt != null && policy.idSalt.length !== GROUP_ID_SALT_BYTES) return `the id salt is ${GROUP_ID_SALT_BYTES} bytes`
  return undefined
}

export function encodeGroupPolicy (policy: GroupPolicy): Uint8Array {
  const problem = check(policy)
  if (problem != null) throw new InvalidArgumentError(`group policy: ${problem}`)
  return GroupPolicyWire.encode({ version: GROUP_POLICY_VERSION, sequencer: policy.sequencer, admins: policy.admins, ...(policy.idSalt != null ? { idSalt: policy.idSalt } : {}) })
}

export function decodeGroupPolicy (bytes: Uint8Array): GroupPolicy {
  const wire = decodeBounded(GroupPolicyWire, bytes, 4 + MAX_SEQUENCER_BYTES + MAX_GROUP_ADMINS * 40 + 2 + GROUP_ID_SALT_BYTES, 'group policy')
  if (wire.version !== GROUP_POLICY_VERSION) throw new MalformedInputError(`group policy version ${wire.version} is not supported`)
  const policy: GroupPolicy = { sequencer: wire.sequencer, admins: wire.admins, ...(wire.idSalt.length > 0 ? { idSalt: wire.idSalt } : {}) }
  const problem = check(policy)
  if (problem != null) throw new MalformedInputError(`group policy: ${problem}`)
  // The extension is hashed into the group context: one policy, one byte string.
  if (!bytesEqual(encodeGroupPolicy(policy), bytes)) throw new MalformedInputError('group policy is not canonically encoded')
  return policy
}

/**
 * The GroupContext extensions of a Dak group: the policy, and required_capabilities so
 * that ts-mls refuses to add a device that would not understand it.
 */
export function groupContextExtensions (policy: GroupPolicy): GroupContextExtension[] {
  return [
    makeCustomExtension({ extensionType: GROUP_POLICY_EXTENSION_TYPE, extensionData: encodeGroupPolicy(policy) }),
    {
      extensionType: defaultExtensionTypes.required_capabilities,
      extensionData: { extensionTypes: [GROUP_POLICY_EXTENSION_TYPE], proposalTypes: [], credentialTypes: [defaultCredentialTypes.basic] }
    }
  ]
}

/** The policy every member of this epoch agreed on. */
export function policyOfContext (context: GroupContext): GroupPolicy {
  return policyOfExtensions(context.extensions)
}

export function policyOfExtensions (extensions: GroupContextExtension[]): GroupPolicy {
  const found = extensions.filter(e => e.extensionType === GROUP_POLICY_EXTENSION_TYPE)
  if (found.length !== 1) throw new MlsError('group has no Dak group policy: not a Dak group')
  const data = found[0]?.extensionData
  if (!(data instanceof Uint8Array)) throw new MalformedInputError('group policy extension has no bytes')
  return decodeGroupPolicy(data)
}

export function isAdmin (policy: GroupPolicy, devicePublicKey: Uint8Array): boolean {
  return policy.admins.some(key => bytesEqual(key, devicePublicKey))
}
