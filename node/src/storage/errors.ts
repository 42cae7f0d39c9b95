import { DakError } from '@dak/protocol'

/**
 * Errors raised by the device store. Like every Dak error they are told apart
 * by `.name`, so they survive a worker boundary and reach the UI as
 * `{ name, message }`. Failures inside level are wrapped, never rethrown raw:
 * callers handle one family of errors whatever backend is underneath.
 */
export class StorageError extends DakError { override name = 'StorageError' }

/**
 * Bytes on disk that do not decode into the record expected under that key:
 * a torn write from an older version, disk corruption, or another program
 * writing into our database. The key is in the message so an operator can find it.
 */
export class CorruptRecordError extends StorageError { override name = 'CorruptRecordError' }

/** The database could not be read or written (closed, disk full, IndexedDB quota, I/O error). */
export class StorageUnavailableError extends StorageError { override name = 'StorageUnavailableError' }

/** An operation on a record that does not exist (unknown conversation, message, outbox entry). */
export class RecordNotFoundError extends StorageError { override name = 'RecordNotFoundError' }

/** Creating a record whose id is taken: a bug in the caller, never a silent overwrite. */
export class RecordExistsError extends StorageError { override name = 'RecordExistsError' }

/**
 * A message state that does not belong to the message's direction, e.g.
 * 'stored' for a message we received. Moving backwards is not an error (late
 * receipts are normal under at-least-once delivery); it is simply ignored.
 */
export class InvalidStateTransitionError extends StorageError { override name = 'InvalidStateTransitionError' }

/** A store encrypted at rest opened without its storage key. */
export class StoreLockedError extends StorageError { override name = 'StoreLockedError' }

/** A store encrypted at rest opened with a storage key that is not its own: nothing was read or written. */
export class WrongStorageKeyError extends StorageError { override name = 'WrongStorageKeyError' }

/** Wrap anything a level backend throws into a StorageUnavailableError, keeping Dak errors as they are. */
export function asStorageError (err: unknown, doing: string): DakError {
  if (err instanceof DakError) return err
  const message = err instanceof Error ? err.message : String(err)
  const wrapped = new StorageUnavailableError(`${doing}: ${message}`)
  wrapped.cause = err
  return wrapped
}
