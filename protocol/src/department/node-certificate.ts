import type { Certificate } from '../identity/certificate.js'
import type { TrustStore } from '../identity/trust.js'
import { NODE_HANDLE } from './constants.js'

/**
 * Which peers are department nodes. A department node certifies itself with
 * its own authority under the reserved handle NODE_HANDLE (its node refuses
 * invites for that handle), so a peer is a department node when its verified
 * certificate has that handle and was issued by an authority this device
 * trusts for the certificate's department. Both ends use this one predicate.
 */
export function isDepartmentNode (certificate: Certificate, trust: TrustStore): boolean {
  if (certificate.handle !== NODE_HANDLE) return false
  return trust.authorityFor(certificate.authorityPublicKey)?.department === certificate.department
}
