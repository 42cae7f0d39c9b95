import { DakError } from '@dak/protocol'

/**
 * Errors of the department node's store, told apart by `.name` like every
 * DakError; a handler answers them as ErrorResponse { name, message }.
 */

/** A device went over its daily allowance of envelopes or bytes, or a registry's per-device cap. */
export class QuotaExceededError extends DakError { override name = 'QuotaExceededError' }

/** An envelope older than the store keeps: it would be purged at once, and a replay of a purged one must not come back. */
export class ExpiredEnvelopeError extends DakError { override name = 'ExpiredEnvelopeError' }

/** A topic registration not newer than the one in force (a replay, or two devices' clocks crossing). */
export class StaleRegistrationError extends DakError { override name = 'StaleRegistrationError' }

/**
 * A write marked ifAbsent found its key taken: another process of a scaled
 * department got there first (or a lock was lost). Nothing of the batch was kept.
 */
export class WriteConflictError extends DakError { override name = 'WriteConflictError' }

/** The shared engine (PostgreSQL) of a scaled department could not be reached or refused the schema. */
export class EngineUnavailableError extends DakError { override name = 'EngineUnavailableError' }
