import { DakError, InvalidArgumentError, isSplitState, joinStateParts } from '@dak/protocol'
import { CorruptRecordError } from './errors.js'
import { keyPart } from './keys.js'
import type { RepositoryContext, Sections } from './layout.js'
import type { WriteTransaction } from './transaction.js'

/**
 * Serialised MLS group state by group id (hex). What matters is that a new
 * state is written in the same transaction as the messages, seen ids and
 * outbox changes it produced (see DeviceStore.commit), so a crash can never
 * leave a ratchet advanced past messages we did not keep, nor messages kept
 * under a state that can no longer read the next one.
 *
 * A state is stored split (protocol/src/mls/state-parts.ts): the own record
 * under 'groups' with every change, the shared record (group context and
 * tree, most of the bytes) under 'group-shared' only when a commit changed it.
 * A whole state from before the split is still read as it is.
 */
export type GroupOp =
  /** `state` is the own record (or a whole state); `shared` comes with it when the shared part changed. */
  | { type: 'group-state', groupId: string, state: Uint8Array, shared?: Uint8Array }
  | { type: 'group-delete', groupId: string }

export interface GroupRepository {
  /** The whole state (serialiseState's format), joined from its two records when it is stored split. */
  get: (groupId: string) => Promise<Uint8Array | undefined>
  put: (groupId: string, state: Uint8Array) => Promise<void>
  delete: (groupId: string) => Promise<void>
  ids: () => Promise<string[]>
}

export function applyGroupOp (tx: WriteTransaction, sections: Sections, op: GroupOp): void {
  const key = keyPart('group id', op.groupId)
  if (op.type === 'group-delete') {
    tx.del(sections.groups, key)
    tx.del(sections['group-shared'], key)
    return
  }
  if (!(op.state instanceof Uint8Array) || op.state.length === 0) throw new InvalidArgumentError('an MLS group state must be non-empty bytes')
  if (op.shared !== undefined && (!(op.shared instanceof Uint8Array) || op.shared.length === 0)) throw new InvalidArgumentError('the shared part of an MLS group state must be non-empty bytes')
  tx.put(sections.groups, key, op.state)
  if (op.shared !== undefined) tx.put(sections['group-shared'], key, op.shared)
  else if (!isSplitState(op.state)) tx.del(sections['group-shared'], key) // a whole state needs none
}

export function createGroupRepository ({ sections, transact }: RepositoryContext): GroupRepository {
  const commit = async (op: GroupOp): Promise<void> => { await transact(async (tx) => { applyGroupOp(tx, sections, op) }) }
  return {
    async get (groupId) {
      const key = keyPart('group id', groupId)
      const state = await sections.groups.get(key)
      if (state?.length === 0) throw new CorruptRecordError(`groups/${groupId}: empty state`)
      if (state === undefined || !isSplitState(state)) return state
      const shared = await sections['group-shared'].get(key)
      // bytes the store was handed as a whole state: restoreState judges them, not the store
      if (shared === undefined) return state
      try {
        return joinStateParts(shared, state)
      } catch (err) {
        if (err instanceof DakError) throw new CorruptRecordError(`groups/${groupId}: ${err.message}`)
        throw err
      }
    },
    put: async (groupId, state) => { await commit({ type: 'group-state', groupId, state }) },
    delete: async (groupId) => { await commit({ type: 'group-delete', groupId }) },
    ids: async () => (await sections.groups.entries({})).map(([groupId]) => groupId)
  }
}
