/**
 * The department node's store-and-forward, and the storage helpers the other
 * department registries share. Pure of libp2p: bytes, keys and a clock in.
 */
export { EnvelopeStore, type DepositOutcome, type EnvelopeStoreOptions, type QueryEntry, type QueryPage, type StoreStats } from './envelope-store.js'
export { TopicRegistry, type TopicRegistryOptions } from './topic-registry.js'
export { ExpiredEnvelopeError, QuotaExceededError, StaleRegistrationError } from './errors.js'
export { writeDurably, type BatchOp, type Db, type Table } from './level.js'
export { KeyedMutex } from './mutex.js'
export * from './limits.js'
