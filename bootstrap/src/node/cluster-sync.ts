import { randomBytes } from 'node:crypto'
import { bytesEqual, DakError, fromHex, toHex, type SigningKeyPair } from '@dak/protocol'
import type { PostgresDb } from '../store/postgres/postgres-db.js'
import { writeDurably, type Table } from '../store/level.js'
import { WriteConflictError } from '../store/errors.js'

/**
 * What the department-node processes of a scaled department (docs/scaled.md)
 * tell each other through the shared engine. Their durable state is all in
 * the engine; what each keeps in memory follows it on these notices
 * (PostgreSQL LISTEN/NOTIFY, delivered only after the writer's commit):
 *
 * - `envelope`: an envelope was stored: processes whose devices did not get
 *   it by gossip (they are connected elsewhere) publish it to theirs.
 * - `enrolled`, `revoked`: the device list, revocation list and certificate
 *   log changed: reread them.
 * - `registered`: a device registered topics at another process: subscribe
 *   to every registered topic (a set, so the known ones cost nothing).
 * - `edge`: a process started and recorded its addresses: devices are told
 *   every process's addresses, so they can fail over between them.
 *
 * A notice can be missed (a process reconnecting to a new primary): each is
 * a hint to reread state that the engine holds durably, never the state.
 */

const CHANNEL = 'dak_cluster'

/** This process was started with other keys than the department whose engine it was pointed at. */
export class ClusterIdentityMismatchError extends DakError { override name = 'ClusterIdentityMismatchError' }

export type ClusterNotice =
  | { kind: 'envelope', topic: string, sequence: number }
  | { kind: 'enrolled' | 'revoked' | 'edge' | 'registered' }

interface Identity { node: string, authority: string }

export interface ClusterSync {
  /** Tell the other processes (after the change is committed). */
  announce: (notice: ClusterNotice) => void
  /** Every process's addresses, this one's first. */
  addresses: () => string[]
  /** Record this process's addresses for the others (and devices, through /info). */
  recordAddresses: (addresses: string[]) => Promise<void>
  stop: () => Promise<void>
}

/**
 * Join the department's processes on `db`: check this process holds the
 * department's keys (the first process records them), then listen.
 */
export async function joinCluster (db: PostgresDb, keys: { node: SigningKeyPair, authorityPublicKey: Uint8Array }, onNotice: (notice: ClusterNotice) => void, onError: (err: unknown) => void): Promise<ClusterSync> {
  const identity = db.sublevel<Identity>('cluster-identity', { valueEncoding: 'json' })
  const edges = db.sublevel<string[]>('cluster-edge', { valueEncoding: 'json' })
  await checkIdentity(db, identity, keys)
  const me = toHex(randomBytes(8))
  let own: string[] = []
  let others: string[] = []
  const reloadEdges = async (): Promise<void> => {
    const all = await edges.iterator().all()
    others = all.flatMap(([, addresses]) => addresses).filter(a => !own.includes(a))
  }
  await reloadEdges()
  const listening = await db.sql.listen(CHANNEL, (payload) => { db.outside(() => {
    let message: { from: string } & ClusterNotice
    try {
      message = JSON.parse(payload)
    } catch (err) {
      onError(new DakError(`unreadable cluster notice: ${(err as Error).message}`))
      return
    }
    if (message.from === me) return
    if (message.kind === 'edge') void reloadEdges().catch(onError)
    onNotice(message)
  }) })
  return {
    announce: (notice) => {
      db.sql.notify(CHANNEL, JSON.stringify({ from: me, ...notice })).catch(onError)
    },
    addresses: () => [...own, ...others.filter(a => !own.includes(a))],
    recordAddresses: async (addresses) => {
      own = addresses
      // Keyed by the process's first address: a process restarted on the same ports replaces its old entry.
      const key = addresses[0]
      if (key != null) await writeDurably(db, [{ type: 'put', sublevel: edges, key, value: addresses }])
      db.sql.notify(CHANNEL, JSON.stringify({ from: me, kind: 'edge' })).catch(onError)
    },
    stop: async () => { await listening.unlisten() }
  }
}

async function checkIdentity (db: PostgresDb, table: Table<Identity>, keys: { node: SigningKeyPair, authorityPublicKey: Uint8Array }): Promise<void> {
  const mine: Identity = { node: toHex(keys.node.publicKey), authority: toHex(keys.authorityPublicKey) }
  const recorded = await table.get('department')
  if (recorded == null) {
    try {
      await writeDurably(db, [{ type: 'put', sublevel: table, key: 'department', value: mine, ifAbsent: true }])
      return
    } catch (err) {
      if (!(err instanceof WriteConflictError)) throw err
      // another process recorded first: compare with what it recorded
      return await checkIdentity(db, table, keys)
    }
  }
  if (!bytesEqual(fromHex(recorded.node), keys.node.publicKey) || !bytesEqual(fromHex(recorded.authority), keys.authorityPublicKey)) {
    throw new ClusterIdentityMismatchError('this data directory holds other keys than the department using this store: every process of a scaled department needs the same node.key and authority (authority.key, or authority.pub when it is offline)')
  }
}
