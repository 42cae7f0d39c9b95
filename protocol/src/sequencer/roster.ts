import { bytesToBase64, contentTypes, defaultProposalTypes, isDefaultProposal, proposalOrRefTypes, senderTypes, wireformats, type Proposal } from 'ts-mls'
import { bytesEqual, fromHex, toHex } from '../bytes.js'
import { ForbiddenCommitError, MalformedInputError, NotAMemberError } from '../errors.js'
import type { Certificate } from '../identity/certificate.js'
import { certificateOfCredential } from '../mls/credentials.js'
import { addsOwnDevice } from '../mls/commit-rules.js'
import { decodeFramed } from '../mls/framing.js'
import { policyOfExtensions, type GroupPolicy } from '../mls/group-policy.js'
import type { ConversationState } from '../mls/state.js'

/**
 * What a department sequencer knows of a group without being in it: which
 * device holds each leaf, and who the admins are. It starts from the creator's
 * registration (the creator alone, at leaf 0) and follows every commit the
 * sequencer accepts; commits are PublicMessages, so their proposals, sender
 * and update path are readable by anyone. JSON-safe: keys are hex.
 *
 * This is not a full public view of the group (ts-mls rc.10 offers no way to
 * process a commit without a member's secrets; the tree and transcript hashes
 * that MLS signatures cover are not tracked), so the sequencer cannot check a
 * commit's MLS signature. It relies on the connection instead: the submitter
 * is the device its certificate names, and must hold the commit's sender leaf.
 * A member can still get a commit sequenced that others fail to apply, as a
 * member always can in MLS (its encrypted path secrets are unreadable to any
 * server); a non-member can get nothing sequenced. See docs/mls.md.
 */
export interface GroupRoster {
  /** Device key (hex) of each leaf, by leaf index; null for a blank leaf. No trailing blanks. */
  leaves: Array<string | null>
  /** Device keys (hex) of the admins, from the group policy. */
  admins: string[]
}

export interface RosterChange {
  roster: GroupRoster
  /** Certificates in the key packages the commit adds (decoded, not judged: the caller checks them). */
  added: Certificate[]
  /** Device keys (hex) the commit removes. */
  removed: string[]
}

export function rosterOfCreator (creator: Uint8Array, policy: GroupPolicy): GroupRoster {
  return { leaves: [toHex(creator)], admins: policy.admins.map(toHex) }
}

export function isRosterMember (roster: GroupRoster, device: Uint8Array): boolean {
  return roster.leaves.includes(toHex(device))
}

export interface CommitClaim {
  groupId: Uint8Array
  epoch: number
  /** The MLS commit (PublicMessage) bytes. */
  commit: Uint8Array
  /** The device that submitted it (the connection's, checked by the caller). */
  submitter: Uint8Array
  /** Leaves whose leave proposals the commit carries by reference, in order. */
  leavingLeaves: number[]
  /**
   * The submitter's verified certificate (the connection's): with it a member
   * who is not an admin may add devices of its own officer (addsOwnDevice,
   * linked devices); without it only admins add.
   */
  submitterCertificate?: Certificate
  /**
   * Device keys (hex) the node enrolled under the submitter's handle: with
   * them a member who is not an admin may remove its own officer's other
   * devices (`dak device remove`, linked devices); without them only admins remove others.
   */
  officerDevices?: string[]
}

/**
 * Judge a commit against the roster by Dak's rules (commit-rules.ts, as far
 * as a non-member can see them): the sender is a member and is the submitter;
 * admins add, remove and change the policy; anyone may carry out a member's
 * own leave; an update path keeps the committer's device; one leaf per device.
 * Returns the roster after the commit. Throws NotAMemberError for a submitter
 * outside the group, ForbiddenCommitError for a rule broken,
 * MalformedInputError for bytes that are no commit of this group and epoch.
 */
export function judgeCommit (roster: GroupRoster, claim: CommitClaim): RosterChange {
  const message = decodeFramed(claim.commit)
  if (message.wireformat !== wireformats.mls_public_message) throw new MalformedInputError('a commit must be sent as a PublicMessage')
  const content = message.publicMessage.content
  if (content.contentType !== contentTypes.commit) throw new MalformedInputError('not a commit')
  if (!bytesEqual(content.groupId, claim.groupId) || content.epoch !== BigInt(claim.epoch)) throw new MalformedInputError('the commit is for another group or epoch')
  const submitter = toHex(claim.submitter)
  if (!roster.leaves.includes(submitter)) throw new NotAMemberError('the submitting device is not a member of this group')
  if (content.sender.senderType !== senderTypes.member) throw new ForbiddenCommitError('external commits are not accepted in Dak groups')
  const committerLeaf = content.sender.leafIndex
  if (roster.leaves[committerLeaf] !== submitter) throw new ForbiddenCommitError('a member submits its own commits only')
  if (claim.submitterCertificate != null && toHex(claim.submitterCertificate.devicePublicKey) !== submitter) throw new ForbiddenCommitError('the submitter\'s certificate names another device')
  let admins = roster.admins
  const isAdmin = admins.includes(submitter)
  const leaves = [...roster.leaves]
  const removedLeaves = new Set<number>()
  const added: Certificate[] = []
  const leaving = [...claim.leavingLeaves]

  const remove = (leaf: number): void => {
    if (leaves[leaf] == null) throw new ForbiddenCommitError(`leaf ${leaf} is not a member`)
    if (leaf === committerLeaf) throw new ForbiddenCommitError('a committer does not remove itself')
    if (removedLeaves.has(leaf)) throw new ForbiddenCommitError(`leaf ${leaf} removed twice`)
    removedLeaves.add(leaf)
  }
  for (const item of content.commit.proposals) {
    if (item.proposalOrRefType === proposalOrRefTypes.reference) {
      // Dak's only standalone proposal is a member's own leave (handshake.ts); the committer names whose.
      const leaf = leaving.shift()
      if (leaf === undefined) throw new ForbiddenCommitError('the commit carries a proposal by reference that the submitter did not name')
      remove(leaf)
      continue
    }
    // a member removes another leaf only as an admin, or when it holds another device of its own officer (linked devices)
    const removeOther = (leaf: number): void => {
      if (!isAdmin && !(claim.officerDevices ?? []).includes(leaves[leaf] ?? '')) throw new ForbiddenCommitError('only an admin removes members (a member removes only devices of its own officer)')
      remove(leaf)
    }
    admins = judgeByValue(item.proposal, isAdmin, admins, removeOther, added, claim.submitterCertificate)
  }
  if (leaving.length > 0) throw new MalformedInputError(`${leaving.length} named leaves are not in the commit`)
  if (content.commit.path !== undefined) {
    const next = certificateOfCredential(content.commit.path.leafNode.credential)
    if (toHex(next.devicePublicKey) !== submitter) throw new ForbiddenCommitError('an update path may not hand the committer\'s leaf to another device')
  }
  // Applied as MLS does: removals, then each add into the leftmost blank leaf (or a new one at the end).
  const removed = [...removedLeaves].map(leaf => leaves[leaf] as string)
  for (const leaf of removedLeaves) leaves[leaf] = null
  for (const certificate of added) {
    const device = toHex(certificate.devicePublicKey)
    if (leaves.includes(device)) throw new ForbiddenCommitError(`device of ${certificate.handle} is already in the group`)
    const blank = leaves.indexOf(null)
    if (blank >= 0) leaves[blank] = device
    else leaves.push(device)
  }
  while (leaves.length > 0 && leaves[leaves.length - 1] === null) leaves.pop()
  return { roster: { leaves, admins }, added, removed }
}

/** One proposal carried by value; returns the admins after it. */
function judgeByValue (proposal: Proposal, isAdmin: boolean, admins: string[], remove: (leaf: number) => void, added: Certificate[], submitter?: Certificate): string[] {
  if (!isDefaultProposal(proposal)) throw new ForbiddenCommitError(`Dak groups do not use custom (${proposal.proposalType}) proposals`)
  switch (proposal.proposalType) {
    case defaultProposalTypes.add: {
      const certificate = certificateOfCredential(proposal.add.keyPackage.leafNode.credential)
      // linked devices: a member adds its own officer's devices, nobody else's (commit-rules.ts addsOwnDevice)
      if (!isAdmin && !(submitter != null && addsOwnDevice(submitter, certificate))) throw new ForbiddenCommitError('only an admin adds members (a member adds only devices of its own officer)')
      added.push(certificate)
      return admins
    }
    case defaultProposalTypes.remove:
      // who may remove whom is the caller's `remove` (judgeCommit: admins, or a member its own officer's devices)
      remove(proposal.remove.removed)
      return admins
    case defaultProposalTypes.group_context_extensions: {
      if (!isAdmin) throw new ForbiddenCommitError('only an admin changes the group policy')
      let policy: GroupPolicy
      try {
        policy = policyOfExtensions(proposal.groupContextExtensions.extensions)
      } catch (err) {
        throw new ForbiddenCommitError(`new group context has no valid group policy: ${(err as Error).message}`)
      }
      return policy.admins.map(toHex)
    }
    default:
      throw new ForbiddenCommitError(`Dak commits do not carry ${String(proposal.proposalType)} proposals by value`)
  }
}

/** The device keys of a roster, for callers that want bytes. */
export function rosterDevices (roster: GroupRoster): Uint8Array[] {
  return roster.leaves.filter((leaf): leaf is string => leaf != null).map(fromHex)
}

/**
 * The committer's side of CommitClaim.leavingLeaves: for each proposal its
 * commit (made on `state`) carries by reference, the leaf that asked to leave.
 */
export function leavingLeavesOf (state: ConversationState, commitBytes: Uint8Array): number[] {
  const message = decodeFramed(commitBytes)
  if (message.wireformat !== wireformats.mls_public_message || message.publicMessage.content.contentType !== contentTypes.commit) throw new MalformedInputError('not a commit')
  const leaves: number[] = []
  for (const item of message.publicMessage.content.commit.proposals) {
    if (item.proposalOrRefType !== proposalOrRefTypes.reference) continue
    const known = state.mls.unappliedProposals[bytesToBase64(item.reference)]
    if (known == null || !('remove' in known.proposal)) throw new ForbiddenCommitError('the commit refers to a proposal that is no leave this member received')
    leaves.push(known.proposal.remove.removed)
  }
  return leaves
}
