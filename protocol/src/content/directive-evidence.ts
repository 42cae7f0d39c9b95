import { FORMAT_VERSION, MAX_CERTIFICATE_BYTES, MAX_CLOCK_SKEW_MS } from '../constants.js'
import { toHex } from '../bytes.js'
import { decodeBounded } from '../codec.js'
import { FutureTimestampError, InvalidArgumentError, MalformedInputError } from '../errors.js'
import type { VerifyContext } from '../identity/certificate.js'
import { Directive, DirectiveAck, DirectiveEvidence } from '../wire/generated/content.js'
import { checkDirectiveAckShape, verifyDirectiveAck, type SignedDirectiveAck, type VerifiedDirectiveAck } from './directive-ack.js'
import { checkDirectiveShape, verifyDirective, type SignedDirective, type VerifiedDirective } from './directive.js'
import { MAX_APP_CONTENT_BYTES, MESSAGE_ID_BYTES } from './limits.js'

/**
 * A directive with the signed acknowledgements its sender collected, as one
 * file (`dak directive export`), for someone who was not in the conversation:
 * an auditor checks it offline with the department's trust bundle and
 * revocation lists (`dak verify FILE`). Every signature in it is checked; one
 * forged or altered acknowledgement makes the whole file refused, so a file
 * that verifies is exactly what its signers signed.
 */

/** Acknowledgements one file may carry: the largest group an officer directs at once, with room. */
export const MAX_EVIDENCE_ACKS = 2048
/** The directive's content plus every acknowledgement (a certificate and ~150 bytes each). */
export const MAX_EVIDENCE_BYTES = MAX_APP_CONTENT_BYTES + MAX_EVIDENCE_ACKS * (MAX_CERTIFICATE_BYTES + 256)

export interface Evidence {
  directiveId: Uint8Array
  directive: SignedDirective
  acks: SignedDirectiveAck[]
}

export interface VerifiedEvidence {
  directiveId: Uint8Array
  directive: VerifiedDirective
  /** One per acknowledging device, oldest first. */
  acks: VerifiedDirectiveAck[]
}

/** A signed directive as bytes (how a device keeps it for export) and back; decoding checks the shape, not the signature. */
export function encodeDirectiveBytes (directive: SignedDirective): Uint8Array {
  checkDirectiveShape(directive)
  return Directive.encode(directive)
}

export function decodeDirectiveBytes (bytes: Uint8Array): SignedDirective {
  const directive = decodeBounded(Directive, bytes, MAX_APP_CONTENT_BYTES, 'directive')
  try {
    checkDirectiveShape(directive)
  } catch (err) {
    throw new MalformedInputError(`directive: ${(err as Error).message}`)
  }
  return directive
}

/** A signed acknowledgement as bytes and back; decoding checks the shape, not the signature. */
export function encodeDirectiveAckBytes (ack: SignedDirectiveAck): Uint8Array {
  checkDirectiveAckShape(ack)
  return DirectiveAck.encode(ack)
}

export function decodeDirectiveAckBytes (bytes: Uint8Array): SignedDirectiveAck {
  const ack = decodeBounded(DirectiveAck, bytes, MAX_CERTIFICATE_BYTES + 256, 'directive acknowledgement')
  try {
    checkDirectiveAckShape(ack)
  } catch (err) {
    throw new MalformedInputError(`directive acknowledgement: ${(err as Error).message}`)
  }
  return ack
}

function checkEvidence (evidence: Evidence): void {
  if (evidence.directiveId.length !== MESSAGE_ID_BYTES) throw new InvalidArgumentError(`directive id must be ${MESSAGE_ID_BYTES} bytes`)
  checkDirectiveShape(evidence.directive)
  if (evidence.acks.length > MAX_EVIDENCE_ACKS) throw new InvalidArgumentError(`evidence carries at most ${MAX_EVIDENCE_ACKS} acknowledgements`)
  for (const ack of evidence.acks) checkDirectiveAckShape(ack)
}

export function encodeEvidence (evidence: Evidence): Uint8Array {
  checkEvidence(evidence)
  return DirectiveEvidence.encode({ version: FORMAT_VERSION, directiveId: evidence.directiveId, directive: evidence.directive, acks: evidence.acks })
}

/** Decode an evidence file without judging its signatures (verifyEvidence does). */
export function decodeEvidence (bytes: Uint8Array): Evidence {
  const wire = decodeBounded(DirectiveEvidence, bytes, MAX_EVIDENCE_BYTES, 'directive evidence', { limits: { acks: MAX_EVIDENCE_ACKS } })
  if (wire.version !== FORMAT_VERSION) throw new MalformedInputError(`directive evidence version ${wire.version} is not supported`)
  if (wire.directive == null) throw new MalformedInputError('directive evidence carries no directive')
  const evidence = { directiveId: wire.directiveId, directive: wire.directive, acks: wire.acks }
  try {
    checkEvidence(evidence)
  } catch (err) {
    throw new MalformedInputError(`directive evidence: ${(err as Error).message}`)
  }
  return evidence
}

/**
 * Check every signature of an evidence file: the directive's and each
 * acknowledgement's, each certificate against the trust bundle and
 * revocation lists in `context`. A certificate is judged at the time its
 * signature is dated (evidence outlives certificates), and no signature may
 * be dated ahead of `context.now`. A device revoked in the lists given is
 * refused whatever the date: a revocation list does not say when a device
 * was revoked, so a signature by its key cannot be told from one made with
 * the stolen key later. Throws the first failure, a typed error naming the signer.
 */
export function verifyEvidence (bytes: Uint8Array, context: VerifyContext): VerifiedEvidence {
  const evidence = decodeEvidence(bytes)
  const { directive: signed, directiveId } = evidence
  if (signed.issuedAt > context.now + MAX_CLOCK_SKEW_MS) throw new FutureTimestampError('the directive is dated ahead of this clock')
  const directive = verifyDirective(signed, { ...context, now: signed.issuedAt })
  const acks: VerifiedDirectiveAck[] = []
  const devices = new Set<string>()
  for (const ack of evidence.acks) {
    if (ack.acknowledgedAt > context.now + MAX_CLOCK_SKEW_MS) throw new FutureTimestampError('an acknowledgement is dated ahead of this clock')
    const verified = verifyDirectiveAck(ack, directiveId, signed, { ...context, now: ack.acknowledgedAt })
    if (ack.acknowledgedAt + MAX_CLOCK_SKEW_MS < signed.issuedAt) throw new MalformedInputError(`acknowledgement by ${verified.certificate.handle} is dated before the directive was issued`)
    const device = toHex(verified.certificate.devicePublicKey)
    if (devices.has(device)) throw new MalformedInputError(`two acknowledgements by the same device of ${verified.certificate.handle}`)
    devices.add(device)
    acks.push(verified)
  }
  acks.sort((a, b) => a.acknowledgedAt - b.acknowledgedAt)
  return { directiveId, directive, acks }
}
