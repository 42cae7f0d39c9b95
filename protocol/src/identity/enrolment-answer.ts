import { bytesEqual } from '../bytes.js'
import { TrustBundleMismatchError } from '../errors.js'
import type { InviteTicket } from '../wire/generated/identity.js'
import type { Certificate } from './certificate.js'
import type { TrustStore } from './trust.js'

/** What an invite pins about the enrolment it is redeemed for. */
export type InviteExpectation = Pick<InviteTicket, 'department' | 'authorityPublicKey' | 'handle'>

const TAMPERED = 'someone on the network may be altering the connection to the department node. Nothing was saved; ask your department IT for the https:// address and a new invite'

/**
 * The invite names its department's authority; the enrolment answer must
 * agree. Its trust bundle's authority for that department (the root every
 * other authority for it is signed by, see TrustStore) is the invite's key,
 * and the certificate was signed by exactly that key for the invite's
 * officer. Call after the certificate verified against the bundle and was
 * checked to bind this device's keys. Throws TrustBundleMismatchError.
 */
export function checkEnrolmentAgainstInvite (trust: TrustStore, certificate: Certificate, invite: InviteExpectation): void {
  const root = trust.rootFor(invite.department)
  if (root == null || !bytesEqual(root.publicKey, invite.authorityPublicKey)) {
    throw new TrustBundleMismatchError(`the department node's answer names another authority for ${invite.department} than the invite does: ${TAMPERED}`)
  }
  if (!bytesEqual(certificate.authorityPublicKey, invite.authorityPublicKey) || certificate.department !== invite.department) {
    throw new TrustBundleMismatchError(`the certificate the department node returned was not signed by the authority the invite names: ${TAMPERED}`)
  }
  if (certificate.handle !== invite.handle) {
    throw new TrustBundleMismatchError(`the certificate the department node returned is for ${certificate.handle}, but the invite is for ${invite.handle}: ${TAMPERED}`)
  }
}
