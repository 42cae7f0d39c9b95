import { verifyCertificate, type Certificate, type VerifyContext } from '@dak/protocol'
import { TopicValidatorResult, type TopicValidatorFn } from '@libp2p/gossipsub'
import type { PeerId } from '@libp2p/interface'

/**
 * A department's officers topic (`dak/o/<department>`, protocol/src/department/topics.ts)
 * carries the certificates its node issues, one per message, as it issues
 * them. A certificate is self-authenticating (the authority signed it), so
 * whoever forwards it cannot forge one; the validator accepts only a
 * certificate that verifies now (trusted authority, not expired, not revoked)
 * and belongs to the topic's department. Department nodes and devices install
 * the same validator, so garbage is dropped at the first hop.
 */
export interface OfficersTopicValidatorInit {
  department: string
  verifyContext: () => VerifyContext
  isVerifiedPeer: (peer: PeerId) => boolean
  /** Called once per accepted certificate (e.g. add it to the directory). Must not throw. */
  onOfficer?: (certificate: Certificate) => void
}

export function officersTopicValidator (init: OfficersTopicValidatorInit): TopicValidatorFn {
  return (from, message) => {
    if (!init.isVerifiedPeer(from)) return TopicValidatorResult.Reject
    let certificate: Certificate
    try {
      certificate = verifyCertificate(message.data, init.verifyContext())
    } catch {
      return TopicValidatorResult.Reject
    }
    if (certificate.department !== init.department) return TopicValidatorResult.Reject
    try {
      init.onOfficer?.(certificate)
    } catch {
      // accepted either way; a failing observer must not change the verdict
    }
    return TopicValidatorResult.Accept
  }
}
