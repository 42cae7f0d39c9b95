import { concatBytes, ED25519_PUBLIC_KEY_BYTES, INVITE_SECRET_BYTES, InvalidInviteError, MalformedInputError, type SigningKeyPair } from '@dak/protocol'
import { rpc } from '../store/protocol-extras.js'
import { signRequest, verifyRequest } from '../store/tagged-signature.js'

/** The certificate check's bound on MLS signature keys (ML-DSA keys would be ~2.6 KiB). */
const MAX_MLS_SIGNATURE_KEY_BYTES = 2_700

/**
 * The device's proof in an EnrolRequest: its device key's signature over the
 * invite secret and the MLS key it wants certified. It shows the requester
 * holds the device key (so nobody gets a certificate for someone else's key)
 * and binds the MLS key to that request. The secret has a fixed length, so
 * the concatenation is unambiguous. That the connection's peer is the same
 * device key is the stream handler's check. Pure: belongs in protocol/ with
 * its domain tag (node/ makes the request).
 */
function proofMessage (inviteSecret: Uint8Array, mlsSignatureKey: Uint8Array): Uint8Array {
  return concatBytes(inviteSecret, mlsSignatureKey)
}

export function createEnrolRequest (device: SigningKeyPair, inviteSecret: Uint8Array, mlsSignatureKey: Uint8Array): rpc.EnrolRequest {
  return {
    inviteSecret,
    devicePublicKey: device.publicKey,
    mlsSignatureKey,
    proof: signRequest('enrol', device.privateKey, proofMessage(inviteSecret, mlsSignatureKey))
  }
}

/** Shape and proof of a decoded EnrolRequest; every failure is a typed DakError. */
export function verifyEnrolRequest (request: rpc.EnrolRequest): void {
  if (request.inviteSecret.length !== INVITE_SECRET_BYTES) throw new InvalidInviteError(`an invite secret is ${INVITE_SECRET_BYTES} bytes`)
  if (request.devicePublicKey.length !== ED25519_PUBLIC_KEY_BYTES) throw new MalformedInputError('enrolment device key is not an Ed25519 public key')
  if (request.mlsSignatureKey.length === 0 || request.mlsSignatureKey.length > MAX_MLS_SIGNATURE_KEY_BYTES) throw new MalformedInputError('enrolment MLS signature key is missing or too long')
  verifyRequest('enrol', request.devicePublicKey, proofMessage(request.inviteSecret, request.mlsSignatureKey), request.proof, 'enrolment proof')
}
