import { defaultProposalTypes, isDefaultProposal, nodeTypes, type ProposalWithSender, type RatchetTree, type UpdatePath } from 'ts-mls'
import { bytesEqual, toHex } from '../bytes.js'
import { ForbiddenCommitError, MlsError } from '../errors.js'
import type { Certificate } from '../identity/certificate.js'
import { certificateOfCredential } from './credentials.js'
import { keepsGroupIdentity } from './group-id.js'
import { isAdmin, policyOfExtensions, type GroupPolicy } from './group-policy.js'
import { certificateAt, leafAt, leavesOf } from './state.js'

/** What a commit does to membership, once it passed the rules. */
export interface MembershipChange {
  added: Certificate[]
  removed: Certificate[]
  /**
   * Of `removed`, the devices another device of their own officer removed (not a
   * leave, not an admin of another officer): the officer's word that the device
   * is no longer theirs to be added (`dak device remove`).
   */
  disowned?: Certificate[]
}

/**
 * Linked devices (issue 16): a member who is not an admin may still add (and
 * remove) a device of its own officer — same handle, same department, same
 * authority — and nobody else's. The authority's certificates say both devices are that
 * officer's; whether a contact accepts the new one is the contact's own rule
 * (docs/messenger.md, *Linked devices*), as for any device an admin adds.
 */
export function addsOwnDevice (committer: Certificate, added: Certificate): boolean {
  return added.handle === committer.handle && added.department === committer.department &&
    bytesEqual(added.authorityPublicKey, committer.authorityPublicKey) && !bytesEqual(added.devicePublicKey, committer.devicePublicKey)
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
  const disowned: Certificate[] = []
  const removedLeaves = new Set<number>()
  for (const { proposal, senderLeafIndex } of proposals) {
    if (senderLeafIndex === undefined) throw new ForbiddenCommitError('proposals from outside the group are not accepted')
    const sender = senderLeafIndex === committerLeafIndex ? committer : certificateAt(tree, senderLeafIndex)
    const senderIsAdmin = isAdmin(policy, sender.devicePublicKey)
    if (!isDefaultProposal(proposal)) throw new ForbiddenCommitError(`Dak groups do not use custom (${proposal.proposalType}) proposals`)
    switch (proposal.proposalType) {
      case defaultProposalTypes.add: {
        const certificate = certificateOfCredential(proposal.add.keyPackage.leafNode.credential)
        if (!senderIsAdmin && !addsOwnDevice(sender, certificate)) throw new ForbiddenCommitError(`${sender.handle} is not an admin and may add only devices of its own (not ${certificate.handle}'s)`)
        added.push(certificate)
        break
      }
      case defaultProposalTypes.remove: {
        const leaving = proposal.remove.removed === senderLeafIndex
        const target = certificateAt(tree, proposal.remove.removed)
        // linked devices: a member may also remove another device of its own officer (`dak device remove`)
        if (!leaving && !senderIsAdmin && !addsOwnDevice(sender, target)) throw new ForbiddenCommitError(`${sender.handle} is not an admin and may only remove itself or its own other devices`)
        removed.push(target)
        if (!leaving && addsOwnDevice(sender, target)) disowned.push(target)
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
        let nextPolicy: GroupPolicy
        try {
          nextPolicy = policyOfExtensions(next)
        } catch (err) {
          throw new ForbiddenCommitError(`new group context has no valid group policy: ${(err as Error).message}`)
        }
        // The group id is derived from the sequencer and salt (group-id.ts): changing either would make the group a look-alike of itself.
        if (!keepsGroupIdentity(policy, nextPolicy)) throw new ForbiddenCommitError('a policy change keeps the group\'s sequencer and id salt')
        break
      }
      default:
        throw new ForbiddenCommitError(`Dak groups do not use ${PROPOSAL_NAMES[proposal.proposalType] ?? String(proposal.proposalType)} proposals`)
    }
  }
  checkOneLeafPerDevice(tree, removedLeaves, added)
  return { added, removed, disowned }
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
  const { hpke } = keysInTree(tree, new Set())
  for (const key of [path.leafNode.hpkePublicKey, ...path.nodes.map(n => n.hpkePublicKey)]) {
    if (hpke.has(key)) throw new ForbiddenCommitError('update path reuses an encryption key already in the tree')
    hpke.add(key)
  }
  for (const { leafIndex, leaf } of leavesOf(tree)) {
    if (leafIndex !== committerLeafIndex && bytesEqual(leaf.signaturePublicKey, path.leafNode.signaturePublicKey)) {
      throw new ForbiddenCommitError('update path uses the signature key of another member')
    }
  }
}

/** Keys of key packages being added must be fresh too (rc.10 compares only the existing tree with itself). */
export function checkAddedKeysFresh (tree: RatchetTree, proposals: ProposalWithSender[]): void {
  // A device removed and re-added in one commit keeps its certificate's signature key.
  const removed = new Set(proposals.flatMap(({ proposal }) => 'remove' in proposal ? [proposal.remove.removed] : []))
  const { hpke, signature } = keysInTree(tree, removed)
  for (const { proposal } of proposals) {
    if (!('add' in proposal)) continue
    const leaf = proposal.add.keyPackage.leafNode
    if (hpke.has(leaf.hpkePublicKey) || signature.has(leaf.signaturePublicKey)) throw new ForbiddenCommitError('added key package reuses a key already in the group')
    hpke.add(leaf.hpkePublicKey)
    signature.add(leaf.signaturePublicKey)
  }
}

/** Every encryption key in the tree, and the signature keys of the leaves not being removed. */
function keysInTree (tree: RatchetTree, removedLeaves: Set<number>): { hpke: KeySet, signature: KeySet } {
  const hpke = new KeySet()
  const signature = new KeySet()
  for (const [index, node] of tree.entries()) {
    if (node == null) continue
    if (node.nodeType === nodeTypes.leaf) {
      hpke.add(node.leaf.hpkePublicKey)
      if (!removedLeaves.has(index / 2)) signature.add(node.leaf.signaturePublicKey)
    } else {
      hpke.add(node.parent.hpkePublicKey)
    }
  }
  return { hpke, signature }
}

/**
 * A set of public keys that holds the keys themselves. An X-Wing encryption key is
 * 1,216 bytes and a tree of 1,000 members holds about 1,500 of them: turned into hex
 * strings on every commit they were most of the cost of adding a member, and of its
 * garbage. Keys are filed under a short fingerprint (length, first and last 8 bytes)
 * and compared in full with the keys filed under the same one, so a shared
 * fingerprint can cost a comparison but never decide an answer.
 */
export class KeySet {
  private readonly byFingerprint = new Map<string, Uint8Array[]>()

  has (key: Uint8Array): boolean {
    return this.byFingerprint.get(fingerprint(key))?.some(other => bytesEqual(other, key)) ?? false
  }

  add (key: Uint8Array): void {
    const id = fingerprint(key)
    const keys = this.byFingerprint.get(id)
    if (keys == null) this.byFingerprint.set(id, [key])
    else keys.push(key)
  }
}

/**
 * Length and the first and last 8 bytes, as 16-bit characters. Honest keys are random
 * there (X-Wing: ML-KEM's t and the X25519 key; Ed25519: the point), so fingerprints
 * repeat only for equal keys; a member who crafts keys that share one with others
 * makes at most the few keys of its own commit compare against them.
 */
function fingerprint (key: Uint8Array): string {
  const n = key.length
  const word = (i: number): number => (key[i] ?? 0) | (key[i + 1] ?? 0) << 8
  return String.fromCharCode(n & 0xffff, n >>> 16, word(0), word(2), word(4), word(6), word(n - 8), word(n - 6), word(n - 4), word(n - 2))
}
