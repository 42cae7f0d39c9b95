import { InvalidArgumentError } from '@dak/protocol'
import { createAtRestCipher } from './at-rest.js'
import { openLevelBackend, type LevelDatabase, type StorageBackend } from './backend.js'
import { SEALED_NAMESPACE, STORE_NAMESPACE } from './constants.js'
import { createConversationRepository, type ConversationRepository } from './conversations.js'
import { createCarryRepository, type CarryRepository } from './carried.js'
import { createCursorRepository, type CursorRepository } from './cursors.js'
import { StorageUnavailableError } from './errors.js'
import { createGroupRepository, type GroupRepository } from './groups.js'
import { createFileRepository, type FileRepository } from './files.js'
import { createIdentityRepository, type IdentityRepository } from './identity.js'
import { KEY_SHAPES, SECTION_NAMES, type RepositoryContext, type SectionName } from './layout.js'
import { createMessageRepository, type MessageRepository } from './messages.js'
import { applyStoreOp, type StoreOp } from './ops.js'
import { createOutboxRepository, type OutboxRepository } from './outbox.js'
import { createPeerRepository, type PeerRepository } from './peers.js'
import { createKeyPackageRepository, type KeyPackageRepository } from './key-packages.js'
import { createSeenRepository, type SeenRepository } from './seen.js'
import { createSenderSequenceRepository, type SenderSequenceRepository } from './sender-sequences.js'
import { checkPlainStore, prepareSealedStore, type MigrationProgress } from './store-format.js'
import { TransactionQueue, type WriteTransaction } from './transaction.js'
import { createDirectiveRepository, type DirectiveRepository } from './directives.js'
import { createMemberReceiptRepository, type MemberReceiptRepository } from './member-receipts.js'
import { createPrefsRepository, type PrefsRepository } from './prefs.js'
import { createHistoryTransferRepository, type HistoryTransferRepository } from './history-transfers.js'
import { searchMessages } from './search.js'
import { firstUnread } from './first-unread.js'
import type { StoredMessage } from './message-record.js'

export interface DeviceStoreOptions {
  /** Source of outbox retry jitter, in [0, 1). Tests inject a fixed one. */
  random?: () => number
  /**
   * The device's 32-byte storage key: every record is sealed under it
   * (docs/storage.md, "At rest"), and a store still in plain form is
   * migrated on open. Without it the store is plain, which only tests and
   * benchmarks do; a sealed store then refuses to open (StoreLockedError).
   */
  storageKey?: Uint8Array
  /** Reports each batch of a plain-to-sealed migration (tests kill the process here). */
  onMigration?: (progress: MigrationProgress) => void
}

/**
 * A client device's persistent state on any abstract-level database.
 *
 * Writes are serialised: one transaction at a time, each written as a single
 * level batch. `commit` is the atomicity rule made callable: whatever one
 * incoming or outgoing message produces — new MLS group state, the message,
 * its seen id, outbox changes, a catch-up cursor — goes in one commit, so a
 * crash leaves either all of it or none of it.
 */
export interface DeviceStore {
  readonly identity: IdentityRepository
  readonly groups: GroupRepository
  readonly conversations: ConversationRepository
  readonly messages: MessageRepository
  readonly outbox: OutboxRepository
  readonly cursors: CursorRepository
  readonly peers: PeerRepository
  readonly seen: SeenRepository
  readonly keyPackages: KeyPackageRepository
  /** Sender sequence numbers received per topic and sender: what is missing (gap detection). */
  readonly senderSequences: SenderSequenceRepository
  /** Attachments: file records and their ciphertext chunks (docs/files.md). */
  readonly files: FileRepository
  // issue 16
  /** Delivered/read per member of this device's own messages. */
  readonly memberReceipts: MemberReceiptRepository
  /** Signed directives and acknowledgements, as their wire bytes (evidence). */
  readonly directives: DirectiveRepository
  /** Drafts, mute, and the department's settings. */
  readonly prefs: PrefsRepository
  /** Sealed envelopes kept to hand to members and department nodes that lack them (delay-tolerant carry). */
  readonly carried: CarryRepository
  /** History this device asked another device of its officer for (linked devices). */
  readonly historyTransfers: HistoryTransferRepository
  /** Messages whose text holds every word of `query` (search.ts), newest first. */
  search: (query: string, options?: { conversationId?: string, limit?: number }) => Promise<StoredMessage[]>
  /** Id of the oldest unread message of a conversation. */
  firstUnread: (conversationId: string) => Promise<string | undefined>
  /** Apply every op, in order, atomically. If any op is refused, nothing is written. */
  commit: (ops: StoreOp[]) => Promise<void>
  /**
   * Disappearing messages: rewrite the database files so deleted records are
   * gone from disk (classic-level); false where the backend cannot
   * (IndexedDB, memory). Runs after queued writes.
   */
  compact: () => Promise<boolean>
  /** Finish queued writes, then close the database. The store is unusable afterwards. */
  close: () => Promise<void>
}

/**
 * Open the store on `db` (`new ClassicLevel(dir)` in Node.js, `new BrowserLevel(name)`
 * in the browser, `new MemoryLevel()` in tests). The store owns `db` from now on
 * and closes it in `close()`.
 */
export async function openDeviceStore (db: LevelDatabase, options: DeviceStoreOptions = {}): Promise<DeviceStore> {
  const random = options.random ?? Math.random
  const backend = await openBackend(db, options)
  const queue = new TransactionQueue(backend)
  let closed = false

  async function transact<T> (body: (tx: WriteTransaction) => Promise<T>): Promise<T> {
    if (closed) throw new StorageUnavailableError('the device store is closed')
    return await queue.run(body)
  }

  const context: RepositoryContext = { sections: backend.sections, transact }
  return {
    identity: createIdentityRepository(context),
    groups: createGroupRepository(context),
    conversations: createConversationRepository(context),
    messages: createMessageRepository(context),
    outbox: createOutboxRepository(context, random),
    cursors: createCursorRepository(context),
    peers: createPeerRepository(context),
    seen: createSeenRepository(context),
    keyPackages: createKeyPackageRepository(context),
    senderSequences: createSenderSequenceRepository(context),
    files: createFileRepository(context),
    memberReceipts: createMemberReceiptRepository(context),
    directives: createDirectiveRepository(context),
    prefs: createPrefsRepository(context),
    carried: createCarryRepository(context),
    historyTransfers: createHistoryTransferRepository(context),
    search: async (query, options) => await searchMessages(backend.sections, query, options),
    firstUnread: async (conversationId) => await firstUnread(backend.sections, conversationId),
    async commit (ops) {
      if (!Array.isArray(ops)) throw new InvalidArgumentError('commit takes an array of operations')
      await transact(async (tx) => {
        for (const op of ops) await applyStoreOp(tx, backend.sections, op, random)
      })
    },
    async compact () {
      if (closed) throw new StorageUnavailableError('the device store is closed')
      // inside the writer's queue: close() waits for it, so the database never closes under a compaction
      return await queue.run(async () => await backend.compact())
    },
    async close () {
      if (closed) return
      closed = true
      await queue.idle()
      await backend.close()
    }
  }
}

async function openBackend (db: LevelDatabase, options: DeviceStoreOptions): Promise<StorageBackend<SectionName>> {
  try {
    if (options.storageKey === undefined) {
      await checkPlainStore(db)
      return await openLevelBackend(db, SECTION_NAMES, { namespace: STORE_NAMESPACE })
    }
    const cipher = createAtRestCipher(options.storageKey)
    await prepareSealedStore(db, cipher, { onProgress: options.onMigration })
    return await openLevelBackend(db, SECTION_NAMES, { namespace: SEALED_NAMESPACE, atRest: { cipher, shapes: KEY_SHAPES } })
  } catch (err) {
    // The store owns db: one it could not open is closed (a wrong key must not keep LevelDB's lock).
    try {
      await db.close()
    } catch (closing) {
      // the open's failure is the one to report; the close's rides along
      if (err instanceof Error && err.cause === undefined) err.cause = closing
    }
    throw err
  }
}
