import { ED25519_PUBLIC_KEY_BYTES, INVITE_SECRET_BYTES, MAX_MLS_SIGNATURE_KEY_BYTES } from '../constants.js'
import { concatBytes } from '../bytes.js'
import { InvalidInviteError, MalformedInputError } from '../errors.js'
import { signFor, verifyFor, type SigningKeyPair } from '../identity/keys.js'
import type * as rpc from '../wire/generated/rpc.js'

/**
 * The device's proof in an EnrolRequest: its device key's signature over the
 * invite secret and the MLS key it wants certified. It shows the requester
 * holds the device key (so nobody gets a certificate for someone else's key)
 * and binds the MLS key to that request. The secret has a fixed length, so
 * the concatenation is unambiguous. That the connection's peer is the same
 * device key is the stream handler's check.
 */
function proofMessage (inviteSecret: Uint8Array, mlsSignatureKey: Uint8Array): Uint8Array {
  return concatBytes(inviteSecret, mlsSignatureKey)
}

export function createEnrolRequest (device: SigningKeyPair, inviteSecret: Uint8Array, mlsSignatureKey: Uint8Array): rpc.EnrolRequest {
  return {
    inviteSecret,
    devicePublicKey: device.publicKey,
    mlsSignatureKey,
    proof: signFor('enrol', device.privateKey, proofMessage(inviteSecret, mlsSignatureKey))
  }
}

/** Shape and proof of a decoded EnrolRequest; every failure is a typed DakError. */
export function verifyEnrolRequest (request: rpc.EnrolRequest): void {
  if (request.inviteSecret.length !== INVITE_SECRET_BYTES) throw new InvalidInviteError(`an invite secret is ${INVITE_SECRET_BYTES} bytes`)
  if (request.devicePublicKey.length !== ED25519_PUBLIC_KEY_BYTES) throw new MalformedInputError('enrolment device key is not an Ed25519 public key')
  if (request.mlsSignatureKey.length === 0 || request.mlsSignatureKey.length > MAX_MLS_SIGNATURE_KEY_BYTES) throw new MalformedInputError('enrolment MLS signature key is missing or too long')
  verifyFor('enrol', request.devicePublicKey, proofMessage(request.inviteSecret, request.mlsSignatureKey), request.proof, 'enrolment proof')
}
