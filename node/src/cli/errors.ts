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

/** Errors that mean "no such thing here", told apart from failures so scripts can react. */
const NOT_FOUND = new Set(['UnknownConversationError', 'UnknownOfficerError'])

export function exitCodeFor (err: unknown): ExitCode {
  const name = err instanceof Error ? err.name : ''
  if (name === 'UsageError' || name === 'AmbiguousConversationError') return EXIT.usage
  if (name === 'NotEnrolledError') return EXIT.notEnrolled
  if (name === 'DeviceRevokedError') return EXIT.revoked
  if (NOT_FOUND.has(name)) return EXIT.notFound
  return EXIT.failed
}
