import { defaultProposalTypes, isDefaultProposal, nodeTypes, type ProposalWithSender, type RatchetTree, type UpdatePath } from 'ts-mls'
import { bytesEqual, toHex } from '../bytes.js'
import { ForbiddenCommitError, MlsError } from '../errors.js'
import type { Certificate } from '../identity/certificate.js'
import { certificateOfCredential } from './credentials.js'
import { isAdmin, policyOfExtensions, type GroupPolicy } from './group-policy.js'
import { certificateAt, leafAt, leavesOf } from './state.js'

/** What a commit does to membership, once it passed the rules. */
export interface MembershipChange {
  added: Certificate[]
  removed: Certificate[]
}

const PROPOSAL_NAMES: Record<number, string> = Object.fromEntries(Object.entries(defaultProposalTypes).map(([name, value]) => [value, name]))

/**
 * Dak's membership rule, judged on the proposals a commit applies (each with the leaf
 * that proposed it): admins add and remove, anyone may remove itself (leave) and update
 * its own leaf, admins alone may change the group policy, nothing else is used. One leaf
 * per device. Throws ForbiddenCommitError, naming the rule broken.
 */
export function judgeProposals (tree: RatchetTree, policy: GroupPolicy, committerLeafIndex: number | undefined, proposals: ProposalWithSender[]): MembershipChange {
  if (committerLeafIndex === undefined) throw new ForbiddenCommitError('external commits are not accepted in Dak groups')
  const committer = certificateAt(tree, committerLeafIndex)
  const added: Certificate[] = []
  const removed: Certificate[] = []
  const removedLeaves = new Set<number>()
  for (const { proposal, senderLeafIndex } of proposals) {
    if (senderLeafIndex === undefined) throw new ForbiddenCommitError('proposals from outside the group are not accepted')
    const sender = senderLeafIndex === committerLeafIndex ? committer : certificateAt(tree, senderLeafIndex)
    const senderIsAdmin = isAdmin(policy, sender.devicePublicKey)
    if (!isDefaultProposal(proposal)) throw new ForbiddenCommitError(`Dak groups do not use custom (${proposal.proposalType}) proposals`)
    switch (proposal.proposalType) {
      case defaultProposalTypes.add:
        if (!senderIsAdmin) throw new ForbiddenCommitError(`${sender.handle} is not an admin and may not add members`)
        added.push(certificateOfCredential(proposal.add.keyPackage.leafNode.credential))
        break
      case defaultProposalTypes.remove: {
        const leaving = proposal.remove.removed === senderLeafIndex
        if (!leaving && !senderIsAdmin) throw new ForbiddenCommitError(`${sender.handle} is not an admin and may only remove itself`)
        removed.push(certificateAt(tree, proposal.remove.removed))
        removedLeaves.add(proposal.remove.removed)
        break
      }
      case defaultProposalTypes.update:
        checkSuccessor(sender, certificateOfCredential(proposal.update.leafNode.credential))
        break
      case defaultProposalTypes.group_context_extensions: {
        if (!senderIsAdmin) throw new ForbiddenCommitError(`${sender.handle} is not an admin and may not change the group policy`)
        const next = proposal.groupContextExtensions.extensions
        // The new extensions must still carry a valid policy, or the group would lose its rules.
        try {
          policyOfExtensions(next)
        } catch (err) {
          throw new ForbiddenCommitError(`new group context has no valid group policy: ${(err as Error).message}`)
        }
        break
      }
      default:
        throw new ForbiddenCommitError(`Dak groups do not use ${PROPOSAL_NAMES[proposal.proposalType] ?? String(proposal.proposalType)} proposals`)
    }
  }
  checkOneLeafPerDevice(tree, removedLeaves, added)
  return { added, removed }
}

/** A leaf may only be replaced by a certificate for the same device (a renewal), never another officer's. */
export function checkSuccessor (previous: Certificate, next: Certificate): void {
  if (!bytesEqual(previous.devicePublicKey, next.devicePublicKey)) {
    throw new ForbiddenCommitError(`leaf of ${previous.handle} may not be taken over by the device of ${next.handle}`)
  }
}

function checkOneLeafPerDevice (tree: RatchetTree, removedLeaves: Set<number>, added: Certificate[]): void {
  const devices = new Set<string>()
  for (const { leafIndex, leaf } of leavesOf(tree)) {
    if (!removedLeaves.has(leafIndex)) devices.add(toHex(certificateOfCredential(leaf.credential).devicePublicKey))
  }
  for (const certificate of added) {
    const device = toHex(certificate.devicePublicKey)
    if (devices.has(device)) throw new ForbiddenCommitError(`device of ${certificate.handle} is already in the group`)
    devices.add(device)
  }
}

/**
 * Checks ts-mls 2.0.0-rc.10 does not make on an UpdatePath (added upstream later): the new
 * leaf is the same device (successor credential), and every public key it introduces is
 * fresh — not already in the tree and not repeated — so a committer cannot plant a key it
 * copied from another node.
 */
export function checkUpdatePath (tree: RatchetTree, committerLeafIndex: number, path: UpdatePath): void {
  const previous = leafAt(tree, committerLeafIndex)
  if (previous == null) throw new MlsError('commit from an empty leaf')
  checkSuccessor(certificateOfCredential(previous.credential), certificateOfCredential(path.leafNode.credential))
  const seen = new Set<string>()
  for (const node of tree) {
    if (node == null) continue
    seen.add(toHex(node.nodeType === nodeTypes.leaf ? node.leaf.hpkePublicKey : node.parent.hpkePublicKey))
  }
  for (const key of [path.leafNode.hpkePublicKey, ...path.nodes.map(n => n.hpkePublicKey)]) {
    const hex = toHex(key)
    if (seen.has(hex)) throw new ForbiddenCommitError('update path reuses an encryption key already in the tree')
    seen.add(hex)
  }
  for (const { leafIndex, leaf } of leavesOf(tree)) {
    if (leafIndex !== committerLeafIndex && bytesEqual(leaf.signaturePublicKey, path.leafNode.signaturePublicKey)) {
      throw new ForbiddenCommitError('update path uses the signature key of another member')
    }
  }
}

/** Keys of key packages being added must be fresh too (rc.10 compares only the existing tree with itself). */
export function checkAddedKeysFresh (tree: RatchetTree, proposals: ProposalWithSender[]): void {
  const hpke = new Set<string>()
  const signature = new Set<string>()
  // A device removed and re-added in one commit keeps its certificate's signature key.
  const removed = new Set(proposals.flatMap(({ proposal }) => 'remove' in proposal ? [proposal.remove.removed] : []))
  for (const [index, node] of tree.entries()) {
    if (node == null) continue
    if (node.nodeType === nodeTypes.leaf) {
      hpke.add(toHex(node.leaf.hpkePublicKey))
      if (!removed.has(index / 2)) signature.add(toHex(node.leaf.signaturePublicKey))
    } else {
      hpke.add(toHex(node.parent.hpkePublicKey))
    }
  }
  for (const { proposal } of proposals) {
    if (!('add' in proposal)) continue
    const leaf = proposal.add.keyPackage.leafNode
    const h = toHex(leaf.hpkePublicKey)
    const s = toHex(leaf.signaturePublicKey)
    if (hpke.has(h) || signature.has(s)) throw new ForbiddenCommitError('added key package reuses a key already in the group')
    hpke.add(h)
    signature.add(s)
  }
}
