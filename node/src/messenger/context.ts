import { restoreState, sharedPartDigest, splitState, toHex, type Certificate, type ConversationContext, type ConversationState, type MlsSignatureKeyPair, type SigningKeyPair } from '@dak/protocol'
import type { DeviceStore, StoreOp } from '../storage/index.js'
import type { RevocationNotice } from './closed.js'
import type { MessengerEmitter } from './events.js'
import type { DepartmentsPort, MeshPort } from './ports.js'

/** This device's keys and certificate, loaded once at start. */
export interface DeviceKeys {
  device: SigningKeyPair
  mls: MlsSignatureKeyPair
  certificate: Certificate
  /** Our libp2p peer id: the sequencer name of groups made with no department node in reach. */
  peerId: string
}

/**
 * Everything the engine's parts share. Narrow ports in, no libp2p or level
 * types: the engine runs the same over any mesh and any level backend.
 */
export interface EngineContext {
  store: DeviceStore
  mesh: MeshPort
  departments: DepartmentsPort
  keys: DeviceKeys
  /** Trust bundle, revocations and the clock, as of now. */
  verifyContext: () => ConversationContext
  now: () => number
  randomBytes: (n: number) => Uint8Array
  emitter: MessengerEmitter
  groups: GroupStates
  /** Runs group-changing work one piece at a time (MLS state is a single line of values). */
  serial: <T>(work: () => Promise<T>) => Promise<T>
  /** Wake the outbox worker (new work, or a path to the network appeared). */
  kick: () => void
  /** Set once this device learnt that its certificate was revoked: everything is read-only then. */
  revoked: () => RevocationNotice | undefined
  /** Disappearing messages: the department's maximum retention (ms) as last heard from its node; undefined when none. */
  maxRetentionMs: () => number | undefined
}

/**
 * MLS group states by group id (hex), cached in memory and loaded from the
 * store. A new state is persisted with `persistOp` inside the same commit as
 * what produced it, then `remember`ed; never the other way round.
 *
 * States are stored split (protocol/src/mls/state-parts.ts): the own record
 * every time, the shared record (group context and tree, most of the bytes for
 * ten members) only when it differs from the one this process knows is
 * stored — after a commit, and once per group after start, which also turns a
 * whole state from before the split into two records.
 */
export class GroupStates {
  private readonly cache = new Map<string, ConversationState>()
  /** Digest of the shared record in the store, per group, as of the last commit this process saw. */
  private readonly storedShared = new Map<string, string>()

  constructor (private readonly store: DeviceStore) {}

  async get (groupId: string): Promise<ConversationState | undefined> {
    const cached = this.cache.get(groupId)
    if (cached != null) return cached
    const bytes = await this.store.groups.get(groupId)
    if (bytes == null) return undefined
    const state = await restoreState(bytes)
    this.cache.set(groupId, state)
    return state
  }

  persistOp (groupId: string, state: ConversationState): StoreOp {
    const parts = splitState(state, this.storedShared.get(groupId) !== toHex(sharedPartDigest(state)))
    return { type: 'group-state', groupId, state: parts.own, ...(parts.shared !== undefined ? { shared: parts.shared } : {}) }
  }

  /** After the commit that persisted `state`: its shared record is in the store now. */
  remember (groupId: string, state: ConversationState): void {
    this.cache.set(groupId, state)
    this.storedShared.set(groupId, toHex(sharedPartDigest(state)))
  }

  forget (groupId: string): void {
    this.cache.delete(groupId)
    this.storedShared.delete(groupId)
  }
}

/**
 * Run `task` once after `ms`; returns a function that cancels it. The engine's
 * timers must never keep a process alive, so the default unrefs them; tests
 * inject a schedule they fire on cue instead of sleeping.
 */
export type Schedule = (ms: number, task: () => void) => () => void

export const unrefSchedule: Schedule = (ms, task) => {
  const timer = setTimeout(task, ms)
  ;(timer as { unref?: () => void }).unref?.()
  return () => { clearTimeout(timer) }
}

/** A promise chain that runs one task at a time; a failed task does not stop the next. */
export function serialQueue (): <T>(work: () => Promise<T>) => Promise<T> {
  let tail: Promise<unknown> = Promise.resolve()
  return async <T>(work: () => Promise<T>): Promise<T> => {
    const result = tail.then(work)
    tail = result.catch(() => undefined)
    return await result
  }
}
