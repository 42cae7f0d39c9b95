/**
 * Turns whatever a messenger call rejected with into words an officer can act
 * on. Errors cross the messenger boundary as `{ name, message }` (see
 * protocol/src/errors.ts); the name picks the explanation, the message stays
 * as the detail for department IT.
 */

export interface ReadableError {
  name: string
  /** One or two sentences for the officer. */
  text: string
}

/** Explanations for the errors an officer can run into in the browser. */
const EXPLANATIONS: Record<string, string> = {
  InvalidInviteError: 'This invite cannot be used. It may have expired or been used already; ask your department IT for a new one.',
  UntrustedAuthorityError: 'This comes from an authority this device does not trust.',
  ExpiredCertificateError: 'A certificate has expired. Ask your department IT to renew it.',
  RevokedCertificateError: 'A device certificate has been revoked. Contact your department IT.',
  NotAMemberError: 'You are no longer a member of this conversation.',
  MlsError: 'A message or group change could not be processed securely and was not accepted.',
  EpochTooOldError: 'A message arrived too late to be decrypted on this device.',
  ForbiddenCommitError: 'Only a group admin can add or remove members.',
  TooLargeError: 'This is too large to send.',
  InvalidArgumentError: 'That input is not valid.',
  DeviceInUseError: 'Dak is already open in another tab or window of this browser. Close it there, then try again.',
  InsecureContextError: 'This page was not opened over a secure connection, so Dak cannot protect your messages here. Ask your department IT for the https address.'
}

/** Name and message of anything thrown: Error, plain `{ name, message }` or other. */
export function errorParts (err: unknown): { name: string, message: string } {
  if (typeof err === 'object' && err !== null) {
    const { name, message } = err as { name?: unknown, message?: unknown }
    return {
      name: typeof name === 'string' && name !== '' ? name : 'Error',
      message: typeof message === 'string' ? message : ''
    }
  }
  return { name: 'Error', message: typeof err === 'string' ? err : '' }
}

export function readableError (err: unknown): ReadableError {
  const { name, message } = errorParts(err)
  const explanation = EXPLANATIONS[name]
  if (explanation === undefined) return { name, text: message !== '' ? message : `Something went wrong (${name}).` }
  return { name, text: message !== '' ? `${explanation} (${message})` : explanation }
}
