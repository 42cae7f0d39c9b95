/**
 * The department node's store-and-forward, and the storage helpers the other
 * department registries share. Pure of libp2p: bytes, keys and a clock in.
 */
export { EnvelopeStore, type DepositOutcome, type EnvelopeStoreOptions, type QueryEntry, type QueryPage, type StoreStats } from './envelope-store.js'
export { TopicRegistry, type TopicRegistryOptions } from './topic-registry.js'
export { EngineUnavailableError, ExpiredEnvelopeError, QuotaExceededError, StaleRegistrationError, WriteConflictError } from './errors.js'
export { locksFor, writeDurably, type BatchOp, type Db, type Locks, type Table } from './level.js'
export { KeyedMutex } from './mutex.js'
export * from './limits.js'
