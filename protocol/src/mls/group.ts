import { createGroup as tsCreateGroup, joinGroup, makeKeyPackageRef, mlsMessageDecoder, wireformats } from 'ts-mls'
import { bytesEqual } from '../bytes.js'
import { InvalidArgumentError, MalformedInputError, MlsError } from '../errors.js'
import { operationContext, type ConversationContext } from './context.js'
import { mlsCall } from './error-map.js'
import { decodeExact } from './framing.js'
import { groupIdFor } from './group-id.js'
import { groupContextExtensions, policyOfContext } from './group-policy.js'
import { openKeyPackageBundle, verifyKeyPackage, type KeyPackageBundle } from './keypackages.js'
import { MAX_GROUP_ID_BYTES, MAX_WELCOME_BYTES } from './limits.js'
import { suiteForId } from './suite.js'
import { checkLeaves, type ConversationState } from './state.js'

export interface CreateGroupOptions {
  /**
   * 16 random bytes (the caller draws them: protocol/ takes randomness as input); the
   * group id is then derived from them and the sequencer (group-id.ts), which joiners check.
   */
  idSalt?: Uint8Array
  /** Only without `idSalt`: an id not bound to the sequencer, which no Dak device joins (tests, look-alike groups). */
  groupId?: Uint8Array
  /** Peer id of the node that orders this group's commits. */
  sequencer: string
  /** Device public keys of the members who may add and remove others. */
  admins: Uint8Array[]
  /** The creator's own key package (the group's suite is the key package's). */
  keyPackage: KeyPackageBundle
}

/** Create a one-member group at epoch 0 whose GroupContext names its sequencer and admins. */
export async function createGroup (options: CreateGroupOptions, context: ConversationContext): Promise<ConversationState> {
  if ((options.idSalt == null) === (options.groupId == null)) throw new InvalidArgumentError('a group is created with an id salt or, for tests, a group id: exactly one')
  const groupId = options.idSalt != null ? groupIdFor(options.sequencer, options.idSalt) : options.groupId!
  if (groupId.length === 0 || groupId.length > MAX_GROUP_ID_BYTES) {
    throw new InvalidArgumentError(`group id must be 1-${MAX_GROUP_ID_BYTES} bytes`)
  }
  // ts-mls does not check the creator's own credential: a device with a revoked or
  // expired certificate must not open conversations either.
  const { suite } = await verifyKeyPackage(options.keyPackage.publicBytes, context)
  const { keyPackage, privatePackage } = openKeyPackageBundle(options.keyPackage)
  const op = operationContext(suite, context)
  const mls = await mlsCall('create group', async () => await tsCreateGroup({
    context: op.mls,
    groupId,
    keyPackage,
    privateKeyPackage: privatePackage,
    extensions: groupContextExtensions({ sequencer: options.sequencer, admins: options.admins, ...(options.idSalt != null ? { idSalt: options.idSalt } : {}) })
  }), op.authFailure)
  return { suite: suite.name, sealed: false, mls }
}

export interface Joined {
  state: ConversationState
  /** Which of the offered key packages the Welcome consumed: delete it, it is one-time. */
  keyPackage: KeyPackageBundle
}

/**
 * Join from a Welcome. The Welcome carries the ratchet tree (ratchet_tree extension), and
 * ts-mls validates every leaf of it through our AuthenticationService: one member with an
 * untrusted, expired or revoked certificate and the join is refused with that error.
 */
export async function joinFromWelcome (welcomeBytes: Uint8Array, keyPackages: KeyPackageBundle[], context: ConversationContext): Promise<Joined> {
  const message = decodeExact(mlsMessageDecoder, welcomeBytes, MAX_WELCOME_BYTES, 'welcome')
  if (message.wireformat !== wireformats.mls_welcome) throw new MalformedInputError('MLS message is not a welcome')
  const welcome = message.welcome
  const suite = await suiteForId(welcome.cipherSuite).catch(() => {
    throw new MalformedInputError(`welcome uses cipher suite ${welcome.cipherSuite}, not one Dak uses`)
  })
  for (const bundle of keyPackages) {
    const { keyPackage, privatePackage } = openKeyPackageBundle(bundle)
    if (keyPackage.cipherSuite !== suite.id) continue
    const ref = await mlsCall('key package ref', async () => await makeKeyPackageRef(keyPackage, suite.impl.hash))
    if (!welcome.secrets.some(secret => bytesEqual(secret.newMember, ref))) continue
    const op = operationContext(suite, context)
    const mls = await mlsCall('join group', async () => await joinGroup({ context: op.mls, welcome, keyPackage, privateKeys: privatePackage }), op.authFailure)
    policyOfContext(mls.groupContext)
    checkLeaves(mls.ratchetTree, 'welcome')
    // Dak never adds in a commit that seals (see proposeCommit), so a Welcome never lands in a sealed epoch.
    return { state: { suite: suite.name, sealed: false, mls }, keyPackage: bundle }
  }
  throw new MlsError('welcome is not addressed to any of these key packages')
}
