import { EXIT, type ExitCode } from './exit-codes.js'

/**
 * The command line's own typed errors. Like every Dak error they are told
 * apart by `.name` and printed as `{ name, message }`; exitCodeFor maps any
 * error (ours, the engine's, the network's) to the documented exit code.
 * They extend Error, not @dak/protocol's DakError, so that `dak --help` and
 * usage errors answer without loading the protocol (a second of start-up).
 */

/** Bad arguments, an unknown command or option. */
export class UsageError extends Error { override name = 'UsageError' }
/** Another `dak` process (often `dak listen`) holds the data directory's database. */
export class DataDirBusyError extends Error { override name = 'DataDirBusyError' }
/** `dak init` on a data directory that already holds an identity. */
export class AlreadyEnrolledError extends Error { override name = 'AlreadyEnrolledError' }
/** DIR/config.json is there but is not what `dak init` writes. */
export class BadConfigError extends Error { override name = 'BadConfigError' }
/** A title prefix that matches more than one conversation. */
export class AmbiguousConversationError extends Error { override name = 'AmbiguousConversationError' }
/** A message over the protocol's text limit (MAX_TEXT_BYTES), from the command line, stdin or --file. */
export class MessageTooLongError extends Error { override name = 'MessageTooLongError' }
/** `dak init` could not reach the department node's web address. */
export class NodeUnreachableError extends Error { override name = 'NodeUnreachableError' }
/**
 * Running mode refused: the data directory (or its run/ directory or socket)
 * is owned by another user or writable by others, so a socket there could be
 * someone else's.
 */
export class UnsafeDataDirError extends Error { override name = 'UnsafeDataDirError' }
/** A socket file is left in the data directory but no running dak answers on it (it was killed): the command runs on its own instead. */
export class StaleSocketError extends Error { override name = 'StaleSocketError' }
/** The running dak closed the connection before the command's exit code came: it may or may not have been done. */
export class RunningDakGoneError extends Error { override name = 'RunningDakGoneError' }
/** Something on the running-mode socket that is not what `dak` sends: an oversized or malformed frame, another version. */
export class RunningDakProtocolError extends Error { override name = 'RunningDakProtocolError' }

/** The passphrase given does not unlock the device's storage key (DIR/keyfile.json): nothing was read or changed. */
export class WrongPassphraseError extends Error { override name = 'WrongPassphraseError' }
/** The device's storage key is protected by a passphrase and none was given (no --passphrase-file, no DAK_PASSPHRASE, no terminal to ask on). */
export class PassphraseRequiredError extends Error { override name = 'PassphraseRequiredError' }
/** DIR/keyfile.json is there but is not what `dak init` writes. */
export class BadKeyFileError extends Error { override name = 'BadKeyFileError' }

/** The department ordered this device wiped and it obeyed during this command: its messages and keys are gone. */
export class DeviceWipedError extends Error { override name = 'DeviceWipedError' }

/** No message with that id (or id prefix) on this device (issue 16: edit, delete, directive). */
export class UnknownMessageError extends Error { override name = 'UnknownMessageError' }

/** Errors that mean "no such thing here", told apart from failures so scripts can react. */
const NOT_FOUND = new Set(['UnknownConversationError', 'UnknownOfficerError', 'UnknownDeviceError', 'NoAttachmentError', 'UnknownMessageError'])
/** `dak verify`: the evidence file does not say what its signers signed; `cause` is the protocol's typed error (issue 16). */
export class EvidenceRefusedError extends Error { override name = 'EvidenceRefusedError' }

export function exitCodeFor (err: unknown): ExitCode {
  const name = err instanceof Error ? err.name : ''
  if (name === 'EvidenceRefusedError') return EXIT.evidenceRefused
  if (name === 'UsageError' || name === 'AmbiguousConversationError' || name === 'MessageTooLongError') return EXIT.usage
  if (name === 'NotEnrolledError') return EXIT.notEnrolled
  if (name === 'DeviceRevokedError') return EXIT.revoked
  if (name === 'DeviceWipedError') return EXIT.wiped
  if (name === 'WrongPassphraseError' || name === 'PassphraseRequiredError') return EXIT.wrongPassphrase
  if (NOT_FOUND.has(name)) return EXIT.notFound
  return EXIT.failed
}
