import { bytesEqual, toHex } from '../../bytes.js'
import { DakError } from '../../errors.js'
import { logLeafHash, type LogEntryKind } from './entries.js'
import { NotInLogError, SplitViewError } from './errors.js'
import { verifyInclusion } from './merkle.js'
import { checkHeadsAgree, openTreeHead, type SignedTreeHead } from './tree-head.js'
import type { InclusionAnswer } from './wire.js'

const REFUSALS = new Set(['InvalidArgumentError', 'InvalidProofError', 'NotInLogError', 'MalformedInputError'])

/** Where a device asks about the log: its department node (over /dak/log/1.0.0). */
export interface LogSource {
  head: () => Promise<Uint8Array>
  /** Throws (NotInLogError from an honest node) when the log lacks the leaf. */
  inclusion: (leafHash: Uint8Array) => Promise<InclusionAnswer>
  consistency: (oldSize: number, newSize: number) => Promise<Uint8Array[]>
}

/**
 * A device's view of its department's log. It keeps the largest head it has
 * verified, and moves to another only with a consistency proof, so the log
 * cannot take back an entry once the device saw it. It checks that each
 * certificate it uses is in the log, and compares heads with every peer it
 * meets: two heads the log signed that no proof joins are a SplitViewError —
 * the node showed this device and the peer different sets of certificates.
 */
export class LogAuditor {
  private trusted: SignedTreeHead | undefined

  constructor (private readonly logKey: Uint8Array, private readonly source: LogSource, trusted?: Uint8Array) {
    if (trusted != null) this.trusted = openTreeHead(trusted, logKey)
  }

  /** The largest head this device verified (persist its bytes to keep the view across restarts). */
  get head (): SignedTreeHead | undefined { return this.trusted }

  /** Fetch the node's current head and move to it (consistency-checked). */
  async refresh (): Promise<SignedTreeHead> {
    return await this.adopt(openTreeHead(await this.source.head(), this.logKey))
  }

  /** Throws NotInLogError unless the log holds these signed bytes under a head consistent with this device's view. */
  async checkIncluded (kind: LogEntryKind, signed: Uint8Array): Promise<{ index: number, head: SignedTreeHead }> {
    const hash = logLeafHash(kind, signed)
    let answer: InclusionAnswer
    try {
      answer = await this.source.inclusion(hash)
    } catch (err) {
      if (err instanceof NotInLogError || (err as { name?: string }).name === 'NotInLogError') throw new NotInLogError(`the department's log does not hold this ${kind} (${toHex(hash).slice(0, 16)}…): it was shown to this device and not logged`)
      throw err
    }
    const head = openTreeHead(answer.head, this.logKey)
    try {
      verifyInclusion(hash, answer.index, head.size, answer.proof, head.root)
    } catch (err) {
      throw new NotInLogError(`the log's inclusion proof for this ${kind} does not verify: ${err instanceof Error ? err.message : String(err)}`)
    }
    await this.adopt(head)
    return { index: answer.index, head }
  }

  /**
   * Compare a head a peer showed us with ours. Same size: the roots must be
   * equal. Otherwise our node must prove the smaller a prefix of the larger;
   * a node that cannot (it never signed that history for us) or a proof that
   * fails is a split view. The larger head becomes ours when they agree.
   */
  async compare (peerHeadBytes: Uint8Array): Promise<SignedTreeHead> {
    const theirs = openTreeHead(peerHeadBytes, this.logKey)
    const ours = this.trusted ?? await this.refresh()
    return await this.join(ours, theirs)
  }

  private async adopt (head: SignedTreeHead): Promise<SignedTreeHead> {
    if (this.trusted == null) {
      this.trusted = head
      return head
    }
    return await this.join(this.trusted, head)
  }

  private async join (ours: SignedTreeHead, theirs: SignedTreeHead): Promise<SignedTreeHead> {
    if (ours.size === theirs.size) {
      if (!bytesEqual(ours.root, theirs.root)) throw new SplitViewError(`the log signed two different trees of ${ours.size} entries`)
      return ours
    }
    const [older, newer] = ours.size < theirs.size ? [ours, theirs] : [theirs, ours]
    let proof: Uint8Array[]
    try {
      proof = await this.source.consistency(older.size, newer.size)
    } catch (err) {
      // the node refused to prove it (a size it never signed for us); a timeout or a lost connection proves nothing
      if (err instanceof DakError && REFUSALS.has(err.name)) {
        throw new SplitViewError(`the log signed a tree of ${newer.size} entries and cannot prove the tree of ${older.size} part of it (${(err as Error).message})`, { cause: err })
      }
      throw err
    }
    checkHeadsAgree(older, newer, proof)
    // proofs may be checked side by side (several certificates at once): never move back to a smaller head
    if (this.trusted == null || newer.size > this.trusted.size) this.trusted = newer
    return newer
  }
}
