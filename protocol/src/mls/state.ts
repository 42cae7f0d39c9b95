import { clientStateDecoder, clientStateEncoder, encode, nodeTypes, type ClientState, type LeafNode, type RatchetTree } from 'ts-mls'
import { bytesEqual, toHex } from '../bytes.js'
import { DakError, MalformedInputError, MlsError, NotAMemberError } from '../errors.js'
import type { Certificate, VerifyContext } from '../identity/certificate.js'
import { certificateOfCredential, verifyMemberCredential } from './credentials.js'
import { decodeExact } from './framing.js'
import { policyOfContext, type GroupPolicy } from './group-policy.js'
import { MAX_GROUP_STATE_BYTES } from './limits.js'
import { suiteForId, type SuiteName } from './suite.js'

/**
 * One device's view of one conversation at one epoch. Treat it as a value: every
 * operation returns a new one. After an operation succeeds, the state passed in must not
 * be used again (its spent secrets are zeroed); after one fails, it is untouched.
 */
export interface ConversationState {
  readonly suite: SuiteName
  /**
   * This epoch began with a commit that removed someone without an update path, so the
   * removed device can derive its secrets (ts-mls rc.10 omits the path for a single
   * removal). Nothing may be encrypted in it; the next commit with a path lifts it.
   */
  readonly sealed: boolean
  /** The ts-mls state. Exposed for tests and inspection; do not edit it. */
  readonly mls: ClientState
}

/** A sealed epoch cannot carry application data: see ConversationState.sealed. */
export function assertNotSealed (state: ConversationState): void {
  if (state.sealed) {
    throw new MlsError('this epoch follows a removal without update path: send nothing until the next commit (propose a self-update if none comes)')
  }
}

/** The leaf node at a leaf index, if that leaf is occupied. */
export function leafAt (tree: RatchetTree, leafIndex: number): LeafNode | undefined {
  const node = tree[leafIndex * 2]
  return node?.nodeType === nodeTypes.leaf ? node.leaf : undefined
}

/** All occupied leaves with their leaf index. */
export function leavesOf (tree: RatchetTree): Array<{ leafIndex: number, leaf: LeafNode }> {
  const out: Array<{ leafIndex: number, leaf: LeafNode }> = []
  for (let i = 0; i < tree.length; i += 2) {
    const leaf = leafAt(tree, i / 2)
    if (leaf != null) out.push({ leafIndex: i / 2, leaf })
  }
  return out
}

export function certificateAt (tree: RatchetTree, leafIndex: number): Certificate {
  const leaf = leafAt(tree, leafIndex)
  if (leaf == null) throw new MlsError(`leaf ${leafIndex} is empty`)
  return certificateOfCredential(leaf.credential)
}

export function isRemoved (state: ConversationState): boolean {
  return state.mls.groupActiveState.kind !== 'active'
}

export function assertMember (state: ConversationState): void {
  if (state.mls.groupActiveState.kind === 'removedFromGroup') throw new NotAMemberError('this device was removed from the group')
  if (state.mls.groupActiveState.kind !== 'active') throw new MlsError('group is suspended pending a re-init')
}

/** Certificates of the current members, in leaf order (decoded, not re-verified). */
export function members (state: ConversationState): Certificate[] {
  return leavesOf(state.mls.ratchetTree).map(({ leaf }) => certificateOfCredential(leaf.credential))
}

export function ownCertificate (state: ConversationState): Certificate {
  return certificateAt(state.mls.ratchetTree, state.mls.privatePath.leafIndex)
}

export function policyOf (state: ConversationState): GroupPolicy {
  return policyOfContext(state.mls.groupContext)
}

export function epochOfState (state: ConversationState): bigint {
  return state.mls.groupContext.epoch
}

export function groupIdOfState (state: ConversationState): Uint8Array {
  return state.mls.groupContext.groupId
}

/**
 * Members whose certificates no longer verify as of `context.now` (revoked or expired
 * since they joined, or their authority dropped from the trust bundle): an admin's cue to
 * remove them. Messages from them are already refused by processMessage.
 */
export function auditMembers (state: ConversationState, context: VerifyContext): Array<{ certificate: Certificate, problem: DakError }> {
  const out: Array<{ certificate: Certificate, problem: DakError }> = []
  for (const { leaf } of leavesOf(state.mls.ratchetTree)) {
    try {
      verifyMemberCredential(leaf.credential, leaf.signaturePublicKey, context)
    } catch (err) {
      out.push({ certificate: certificateOfCredential(leaf.credential), problem: err instanceof DakError ? err : new MlsError(String(err)) })
    }
  }
  return out
}

/**
 * Every leaf holds a Dak certificate for its own signature key, and no device holds two
 * leaves. Structural: the certificates' validity is judged by the AuthenticationService.
 */
export function checkLeaves (tree: RatchetTree, what: string): void {
  const devices = new Set<string>()
  for (const { leafIndex, leaf } of leavesOf(tree)) {
    const certificate = certificateOfCredential(leaf.credential)
    if (!bytesEqual(certificate.mlsSignatureKey, leaf.signaturePublicKey)) {
      throw new MalformedInputError(`${what}: leaf ${leafIndex} is signed by a key its certificate does not certify`)
    }
    const device = toHex(certificate.devicePublicKey)
    if (devices.has(device)) throw new MalformedInputError(`${what}: device of ${certificate.handle} holds two leaves`)
    devices.add(device)
  }
}

/** Stored state format: version byte, flags byte (bit 0: sealed), then the ts-mls ClientState. */
export const STATE_FORMAT_VERSION = 1
export const STATE_FLAG_SEALED = 1
/** Format byte of a state stored as two records (state-parts.ts); format 1 stays readable. */
export const SPLIT_STATE_FORMAT = 2

/** Group state for storage: it holds private keys, so the store must be encrypted at rest. */
export function serialiseState (state: ConversationState): Uint8Array {
  const mls = encode(clientStateEncoder, state.mls)
  const out = new Uint8Array(2 + mls.length)
  out[0] = STATE_FORMAT_VERSION
  out[1] = state.sealed ? STATE_FLAG_SEALED : 0
  out.set(mls, 2)
  return out
}

/**
 * Restore a stored state. Storage is outside the trust boundary of MLS, so what ts-mls
 * would have checked on the way in is checked again: a Dak suite, a Dak policy, every
 * leaf a certificate for its own signature key, one leaf per device, and our own leaf
 * holding our signature key. Certificates are re-verified against the clock on use
 * (processMessage, auditMembers), not here, so an expired member never locks us out of a
 * group we can still read.
 */
export async function restoreState (bytes: Uint8Array): Promise<ConversationState> {
  if (!(bytes instanceof Uint8Array) || bytes.length < 2) throw new MalformedInputError('stored group state: too short')
  if (bytes[0] === SPLIT_STATE_FORMAT) throw new MalformedInputError('stored group state: the own record of a split state, without its tree record')
  if (bytes[0] !== STATE_FORMAT_VERSION) throw new MalformedInputError(`stored group state: format ${bytes[0] ?? '?'} is not supported`)
  const flags = bytes[1] ?? 0
  if ((flags & ~STATE_FLAG_SEALED) !== 0) throw new MalformedInputError('stored group state: unknown flags')
  // Copy: the decoded state keeps views into its input, and processing zeroes spent secrets
  // in place, which would otherwise overwrite the caller's stored bytes.
  const mls = decodeExact(clientStateDecoder, bytes.slice(2), MAX_GROUP_STATE_BYTES, 'stored group state')
  const suite = await suiteForId(mls.groupContext.cipherSuite).catch(() => {
    throw new MalformedInputError(`stored group state uses cipher suite ${mls.groupContext.cipherSuite}, not one Dak uses`)
  })
  policyOfContext(mls.groupContext)
  checkLeaves(mls.ratchetTree, 'stored group state')
  const state: ConversationState = { suite: suite.name, sealed: (flags & STATE_FLAG_SEALED) !== 0, mls }
  if (mls.groupActiveState.kind === 'active') {
    const own = leafAt(mls.ratchetTree, mls.privatePath.leafIndex)
    if (own == null) throw new MalformedInputError('stored group state: own leaf is empty')
    // A signature round trip proves the stored private key belongs to our own leaf.
    const probe = new TextEncoder().encode('dak/v1/restore-probe')
    const signature = await suite.impl.signature.sign(mls.signaturePrivateKey, probe).catch(() => new Uint8Array(0))
    const ok = await suite.impl.signature.verify(own.signaturePublicKey, probe, signature).catch(() => false)
    if (!ok) throw new MalformedInputError('stored group state: private signature key does not match own leaf')
  }
  return state
}
