/**
 * Limits and defaults of the department store. Each says why it is what it is.
 * The repeated-field limits in rpc.proto are the same numbers.
 */

export const DAY_MS = 86_400_000

/** Entries in one QueryPage (rpc.proto's limit): a page a 2G link fetches in seconds. */
export const MAX_QUERY_ENTRIES = 256

/**
 * Envelope bytes in one page. 1 MiB keeps a catching-up client's memory and a
 * slow link's round trip bounded. A page always carries at least one entry
 * (≤ MAX_ENVELOPE_BYTES), so a single large envelope never blocks a cursor.
 */
export const MAX_QUERY_BYTES = 1024 * 1024

export { MAX_TOPICS_PER_DEVICE, MAX_REGISTER_TOPICS_BYTES } from '@dak/protocol'

/** Defaults, the same as the department config's (bootstrap/src/config/config.ts). */
export const DEFAULT_RETENTION_DAYS = 90
export const DEFAULT_QUOTA_ENVELOPES_PER_DAY = 50_000
export const DEFAULT_QUOTA_BYTES_PER_DAY = 500 * 1024 * 1024

/**
 * Bounds of one group commit (EnvelopeStore.deposit): deposits that arrive
 * while a batch is being fsynced are written together in the next one, up to
 * this many or this many envelope bytes (at least one deposit, which may be up
 * to MAX_ENVELOPE_BYTES). Under a flood the batch, its LevelDB write and the
 * time a deposit waits for it stay bounded; raw classic-level already writes
 * ~60,000 records/s at 64 records per fsync, so larger batches gain little.
 */
export const MAX_GROUP_COMMIT_DEPOSITS = 256
export const MAX_GROUP_COMMIT_BYTES = 1024 * 1024

/** Envelopes purged per batch: bounds the memory and lock time of one purge step. */
export const PURGE_BATCH = 512

/**
 * Largest Request frame a Dak request/response handler should accept: a
 * deposit or a commit carries one envelope (≤ 256 KiB), a topic registration
 * ≤ 135 KiB; key-package uploads are split by the device to fit.
 */
export const MAX_RPC_REQUEST_BYTES = 1024 * 1024
