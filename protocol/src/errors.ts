/**
 * Every error Dak raises on purpose. Callers tell them apart by `.name` (as in
 * libp2p), so they survive structured cloning, workers and JSON for the UI.
 * Untrusted input never produces anything but one of these.
 */
export class DakError extends Error {
  override name = 'DakError'
  /** For the UI and the CLI's --json output. */
  toJSON (): { name: string, message: string } {
    return { name: this.name, message: this.message }
  }
}

/** Bytes that do not decode into the expected format, or break its limits. */
export class MalformedInputError extends DakError { override name = 'MalformedInputError' }
/** Input larger than the limit for its kind. */
export class TooLargeError extends DakError { override name = 'TooLargeError' }
/** A signature that does not verify for the claimed signer. */
export class InvalidSignatureError extends DakError { override name = 'InvalidSignatureError' }
/** A certificate signed by an authority not in the trust bundle. */
export class UntrustedAuthorityError extends DakError { override name = 'UntrustedAuthorityError' }
/** A certificate used outside its not-before / not-after window. */
export class ExpiredCertificateError extends DakError { override name = 'ExpiredCertificateError' }
/** A certificate whose device key is on its authority's revocation list. */
export class RevokedCertificateError extends DakError { override name = 'RevokedCertificateError' }
/** A revocation list older than (or as old as) one already accepted. */
export class StaleRevocationListError extends DakError { override name = 'StaleRevocationListError' }
/** A timestamp too far ahead of our clock to be honest. */
export class FutureTimestampError extends DakError { override name = 'FutureTimestampError' }
/** An invite that is expired, already used, unknown or not well formed. */
export class InvalidInviteError extends DakError { override name = 'InvalidInviteError' }
/** A value outside what the protocol allows (empty handle, unknown suite, ...). */
export class InvalidArgumentError extends DakError { override name = 'InvalidArgumentError' }
/** MLS refused an operation or a message (wrong epoch, bad commit, not a member...). */
export class MlsError extends DakError { override name = 'MlsError' }
/** An MLS message for an epoch we have no keys for any more (older than the window). */
export class EpochTooOldError extends MlsError { override name = 'EpochTooOldError' }
/** An MLS message for an epoch we have not reached yet: buffer it and retry. */
export class FutureEpochError extends MlsError { override name = 'FutureEpochError' }
/** We were removed from the group: nothing new can be read. */
export class NotAMemberError extends MlsError { override name = 'NotAMemberError' }
/** A commit that breaks Dak's membership rules (non-admin adding or removing). */
export class ForbiddenCommitError extends MlsError { override name = 'ForbiddenCommitError' }
/** The same message (by id) seen before. */
export class DuplicateMessageError extends DakError { override name = 'DuplicateMessageError' }

/** An enrolment answer that does not match the invite: another authority for the invite's department, or a certificate it did not sign. */
export class TrustBundleMismatchError extends DakError { override name = 'TrustBundleMismatchError' }
/** A second authority for one department that no authority of that department signed. */
export class UnendorsedAuthorityError extends DakError { override name = 'UnendorsedAuthorityError' }

/** A wipe order that is not for this device, or not from this device's own authority: it is ignored, never obeyed. */
export class WipeOrderRefusedError extends DakError { override name = 'WipeOrderRefusedError' }
/** A genuine signed acknowledgement that names another directive, or an altered copy of this one (issue 16). */
export class DirectiveMismatchError extends MalformedInputError { override name = 'DirectiveMismatchError' }
/** An edit or deletion of a message that its sender may not make: someone else's message, or past the department's window (issue 16). */
export class EditRefusedError extends DakError { override name = 'EditRefusedError' }

/** A device vouch that does not hold: another key, another handle or department, or a revoked or expired voucher or device (issue 16, linked devices). */
export class DeviceVouchRefusedError extends DakError { override name = 'DeviceVouchRefusedError' }

/** Wrap anything thrown by a third-party decoder into a typed error. */
export function asDakError (err: unknown, wrap: (message: string) => DakError): DakError {
  if (err instanceof DakError) return err
  const message = err instanceof Error ? err.message : String(err)
  return wrap(message)
}

// ---- attachments (docs/files.md)
/** A file chunk whose ciphertext does not hash to the manifest's, or does not decrypt under the file's key. */
export class ChunkIntegrityError extends DakError { override name = 'ChunkIntegrityError' }
/** A file over the size limit (the configured one, or the protocol's). */
export class FileTooLargeError extends TooLargeError { override name = 'FileTooLargeError' }
/** A department node that holds as many file bytes for this device as its quota allows. */
export class FileQuotaError extends DakError { override name = 'FileQuotaError' }
/** A file whose message has disappeared (its timer ran out): no longer kept or taken anywhere. */
export class FileExpiredError extends DakError { override name = 'FileExpiredError' }
/** A file that no reachable peer could supply whole (chunks missing or refused everywhere): try again later. */
export class FileUnavailableError extends DakError { override name = 'FileUnavailableError' }
