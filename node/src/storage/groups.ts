import { InvalidArgumentError } from '@dak/protocol'
import { CorruptRecordError } from './errors.js'
import { keyPart } from './keys.js'
import type { RepositoryContext, Sections } from './layout.js'
import type { WriteTransaction } from './transaction.js'

/**
 * Serialised MLS group state by group id (hex). The bytes are opaque here;
 * what matters is that a new state is written in the same transaction as the
 * messages, seen ids and outbox changes it produced (see DeviceStore.commit),
 * so a crash can never leave a ratchet advanced past messages we did not keep,
 * nor messages kept under a state that can no longer read the next one.
 */
export type GroupOp =
  | { type: 'group-state', groupId: string, state: Uint8Array }
  | { type: 'group-delete', groupId: string }

export interface GroupRepository {
  get: (groupId: string) => Promise<Uint8Array | undefined>
  put: (groupId: string, state: Uint8Array) => Promise<void>
  delete: (groupId: string) => Promise<void>
  ids: () => Promise<string[]>
}

export function applyGroupOp (tx: WriteTransaction, sections: Sections, op: GroupOp): void {
  const key = keyPart('group id', op.groupId)
  if (op.type === 'group-delete') {
    tx.del(sections.groups, key)
    return
  }
  if (!(op.state instanceof Uint8Array) || op.state.length === 0) throw new InvalidArgumentError('an MLS group state must be non-empty bytes')
  tx.put(sections.groups, key, op.state)
}

export function createGroupRepository ({ sections, transact }: RepositoryContext): GroupRepository {
  const commit = async (op: GroupOp): Promise<void> => { await transact(async (tx) => { applyGroupOp(tx, sections, op) }) }
  return {
    async get (groupId) {
      const state = await sections.groups.get(keyPart('group id', groupId))
      if (state?.length === 0) throw new CorruptRecordError(`groups/${groupId}: empty state`)
      return state
    },
    put: async (groupId, state) => { await commit({ type: 'group-state', groupId, state }) },
    delete: async (groupId) => { await commit({ type: 'group-delete', groupId }) },
    ids: async () => (await sections.groups.entries({})).map(([groupId]) => groupId)
  }
}
