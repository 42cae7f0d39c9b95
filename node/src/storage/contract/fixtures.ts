import { createAtRestCipher } from '../at-rest.js'
import type { LevelDatabase } from '../backend.js'
import { SEALED_NAMESPACE, STORE_NAMESPACE } from '../constants.js'
import { KEY_SHAPES, type SectionName } from '../layout.js'
import type { NewConversation } from '../conversations.js'
import { openDeviceStore, type DeviceStore } from '../device-store.js'
import type { StoredMessage } from '../message-record.js'
import type { MessageState, OfficerSummary } from '../../messenger/api.js'

/**
 * What the contract needs from a backend: a place that can be opened, closed
 * and opened again (to prove persistence), plus two test-only hooks into the
 * raw database — writing bytes under a key (to plant corrupt records) and a
 * prewrite hook (to make a level batch fail from inside).
 */
export interface ContractDatabase extends LevelDatabase {
  put: (key: string, value: Uint8Array, options: { keyEncoding: 'utf8', valueEncoding: 'view' }) => Promise<void>
  hooks: { prewrite: { add: (fn: PrewriteHook) => void, delete: (fn: PrewriteHook) => void } }
}
export type PrewriteHook = (op: { type: string, key: unknown }, batch: unknown) => void

export interface ContractLocation {
  /** A database handle on this location. After the previous handle is closed, a new one must see the same data. */
  open: () => ContractDatabase
  /** Remove the location; called after the last handle is closed. */
  destroy: () => Promise<void>
  /** Run the contract on a store encrypted at rest under this key (absent: a plain store). */
  storageKey?: Uint8Array
}

/** Make a fresh, empty location (a temp dir, an IndexedDB name, a MemoryLevel). */
export type MakeLocation = () => Promise<ContractLocation>

/** Fixed jitter so backoff times are exact in assertions. */
export const HALF = (): number => 0.5

export const T0 = 1_750_000_000_000

export interface Harness {
  location: ContractLocation
  db: ContractDatabase
  store: DeviceStore
  /** Close the store and open a new one on the same location. */
  reopen: () => Promise<DeviceStore>
}

export async function openHarness (make: MakeLocation): Promise<Harness> {
  const location = await make()
  const db = location.open()
  const harness: Harness = {
    location,
    db,
    store: await openDeviceStore(db, { random: HALF, storageKey: location.storageKey }),
    async reopen () {
      await harness.store.close()
      harness.db = location.open()
      harness.store = await openDeviceStore(harness.db, { random: HALF, storageKey: location.storageKey })
      return harness.store
    }
  }
  return harness
}

export async function closeHarness (harness: Harness | undefined): Promise<void> {
  if (harness === undefined) return
  await harness.store.close()
  await harness.location.destroy()
}

/**
 * Write `bytes` as the record under `key` behind the store's back (to plant
 * corrupt records): as they are in a plain store, sealed under the storage
 * key in a sealed one, so that what the store reads back is exactly `bytes`.
 */
export async function plant (h: Harness, section: SectionName, key: string, bytes: Uint8Array): Promise<void> {
  const storageKey = h.location.storageKey
  if (storageKey === undefined) {
    await h.db.put(`!${STORE_NAMESPACE}!!${section}!${key}`, bytes, { keyEncoding: 'utf8', valueEncoding: 'view' })
    return
  }
  const cipher = createAtRestCipher(storageKey)
  const storedKey = cipher.storedKey(section, KEY_SHAPES[section], key)
  await h.db.put(`!${SEALED_NAMESPACE}!!${section}!${storedKey}`, cipher.seal(section, storedKey, key, bytes), { keyEncoding: 'utf8', valueEncoding: 'view' })
}

export function keyText (key: unknown): string {
  return typeof key === 'string' ? key : new TextDecoder().decode(key as Uint8Array)
}

export function conversation (id: string, createdAt = T0, kind: 'direct' | 'group' = 'group'): NewConversation {
  return {
    id,
    kind,
    groupId: id.replaceAll('/', '').padEnd(8, '0'),
    title: `Conversation ${id}`,
    members: [{ handle: 'asha', deviceKey: 'aa'.repeat(32) }, { handle: 'bilal', deviceKey: 'bb'.repeat(32) }],
    admins: ['asha'],
    sequencer: '12D3KooWDepartmentNode',
    createdAt
  }
}

const asha: OfficerSummary = { handle: 'asha', displayName: 'Asha Rao', title: 'Under Secretary', department: 'mof.budget', deviceKey: 'aa'.repeat(32) }
const bilal: OfficerSummary = { handle: 'bilal', displayName: 'Bilal Khan', title: 'Section Officer', department: 'mof.budget', deviceKey: 'bb'.repeat(32) }

export function incoming (conversationId: string, id: string, sentAt: number, text = `text of ${id}`): StoredMessage {
  return { id, conversationId, sender: bilal, fromMe: false, kind: 'text', text, sentAt, state: 'received' }
}

export function outgoing (conversationId: string, id: string, sentAt: number, state: MessageState = 'queued'): StoredMessage {
  return { id, conversationId, sender: asha, fromMe: true, kind: 'text', text: `text of ${id}`, sentAt, state }
}

export function bytes (...values: number[]): Uint8Array {
  return new Uint8Array(values)
}
