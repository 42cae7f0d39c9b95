import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sha256 } from '@noble/hashes/sha2.js'
import { ClassicLevel } from 'classic-level'
import { EnvelopeKind, sealEnvelope, signingKeyPairFromSeed, utf8, type OpenedEnvelope, type SigningKeyPair } from '@dak/protocol'
import type { Db } from './level.js'

/**
 * Shared by the department node's registry tests (not used in production):
 * real classic-level databases in temporary directories, deterministic keys
 * and a fixed clock.
 */

/** 15 January 2025, 09:00 UTC, as in protocol/'s fixtures. */
export const NOW = Date.UTC(2025, 0, 15, 9, 0, 0)

export function seededKey (label: string): SigningKeyPair {
  return signingKeyPairFromSeed(sha256(utf8(`dak test key: ${label}`)))
}

export interface TempDb {
  /** A ClassicLevel: it is a Db, and its sublevels are too. */
  db: ClassicLevel<string, string>
  dir: string
  /** Close and reopen the same directory, as after a restart. */
  reopen: () => Promise<ClassicLevel<string, string>>
  cleanup: () => Promise<void>
}

export async function openTempDb (): Promise<TempDb> {
  const dir = await mkdtemp(join(tmpdir(), 'dak-store-'))
  let db: ClassicLevel<string, string> = new ClassicLevel(dir)
  await db.open()
  return {
    get db () { return db },
    dir,
    reopen: async () => {
      await db.close()
      db = new ClassicLevel(dir)
      await db.open()
      return db
    },
    cleanup: async () => {
      await db.close()
      await rm(dir, { recursive: true, force: true })
    }
  }
}

/** A real database seen through its batch calls: what group commit is about. */
export interface ObservedDb {
  /** Pass this to the store: it is `db`, with every batch call seen. */
  db: Db
  /** Operation counts of the synced (fsynced) batches written so far, in order. */
  synced: number[]
  /** The next synced batch fails with this error before reaching the database, as a full disk or an I/O error would; undefined disarms it. */
  failNextSync: (error: Error | undefined) => void
  /** Resolves when the next synced batch is handed to the database (it is then being written). */
  nextSync: () => Promise<void>
}

export function observeBatches (db: Db): ObservedDb {
  const synced: number[] = []
  let failure: Error | undefined
  let waiters: Array<() => void> = []
  const observed: Db = {
    sublevel: (name, options) => db.sublevel(name, options),
    batch: async (operations, options) => {
      if (options.sync) {
        const error = failure
        failure = undefined
        if (error != null) throw error
        synced.push(operations.length)
        const started = db.batch(operations, options)
        for (const wake of waiters) wake()
        waiters = []
        return await started
      }
      return await db.batch(operations, options)
    }
  }
  return {
    db: observed,
    synced,
    failNextSync: (error) => { failure = error },
    nextSync: async () => await new Promise<void>(resolve => waiters.push(resolve))
  }
}

/** A signed envelope; `n` makes each one distinct. */
export function envelope (device: SigningKeyPair, topic: string, n: number, options: { timestamp?: number, kind?: EnvelopeKind, payloadBytes?: number, expiresAt?: number } = {}): OpenedEnvelope {
  const payload = new Uint8Array(options.payloadBytes ?? 24).fill(n % 251)
  payload.set(utf8(String(n)).slice(0, payload.length))
  return sealEnvelope(device, { kind: options.kind ?? EnvelopeKind.APPLICATION, topic, timestamp: options.timestamp ?? NOW, senderSeq: n, payload, ...(options.expiresAt != null ? { expiresAt: options.expiresAt } : {}) })
}
