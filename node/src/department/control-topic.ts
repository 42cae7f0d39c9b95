import { StaleRevocationListError, type RevocationState, type TrustStore, type VerifiedRevocationList } from '@dak/protocol'
import { TopicValidatorResult, type TopicValidatorFn } from '@libp2p/gossipsub'
import type { PeerId } from '@libp2p/interface'

/**
 * A department's control topic (`dak/d/<department>`, protocol/src/department/topics.ts)
 * carries its authority's signed revocation lists, as their encoded bytes. Its
 * validator adopts a list into the revocation state the certificate gate
 * reads, so a revocation takes effect on every node that hears of it before
 * it is passed on. Department nodes and devices install the same validator.
 */

export interface RevocationTopicValidatorInit {
  trust: () => TrustStore
  revocations: RevocationState
  isVerifiedPeer: (peer: PeerId) => boolean
  /** Called once per adopted list (e.g. recheck the gate, persist the list). Must not throw. */
  onAdopted?: (list: VerifiedRevocationList) => void
}

/**
 * Accept and adopt a newer list from a trusted authority; Ignore one that is
 * not newer than the list in force (an honest peer may forward an old list);
 * Reject anything else (bad signature, untrusted authority, garbage) and
 * whatever an unverified peer forwards.
 */
export function revocationTopicValidator (init: RevocationTopicValidatorInit): TopicValidatorFn {
  return (from, message) => {
    try {
      if (!init.isVerifiedPeer(from)) return TopicValidatorResult.Reject
      const list = init.revocations.accept(message.data, init.trust())
      try {
        init.onAdopted?.(list)
      } catch {
        // the list is adopted either way; a failing observer must not change the verdict
      }
      return TopicValidatorResult.Accept
    } catch (err) {
      return err instanceof StaleRevocationListError ? TopicValidatorResult.Ignore : TopicValidatorResult.Reject
    }
  }
}
