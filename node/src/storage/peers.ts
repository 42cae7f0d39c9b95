import { InvalidArgumentError } from '@dak/protocol'
import { bytesField, decodeRecord, encodeRecord } from './codec.js'
import { CorruptRecordError } from './errors.js'
import { joinKey, keyPart, prefixRange, splitKey } from './keys.js'
import { EMPTY, type RepositoryContext, type Sections } from './layout.js'
import type { WriteTransaction } from './transaction.js'

/**
 * The officers' directory: certificates this device has seen and verified,
 * by device key (hex), with an index by handle because one officer may have
 * several devices (phone and desk browser). The store does not verify
 * certificates; callers put only what protocol/ has verified.
 */
export interface KnownPeer {
  deviceKey: string
  handle: string
  certificate: Uint8Array
  /**
   * 'new': a device first seen under a handle this device already shares a
   * conversation with (a phone the officer added, or a device a department
   * node enrolled under her name): shown, and not added to any conversation
   * by this device until the officer accepts it. 'removed': another device of
   * its own officer removed it from a conversation (that officer's say-so: it is
   * no longer theirs to add), so this device adds it nowhere until the officer
   * vouches for it again. Absent: accepted.
   */
  state?: 'new' | 'removed'
}

export type PeerOp =
  | { type: 'peer-put', peer: KnownPeer }
  | { type: 'peer-remove', deviceKey: string }

export interface PeerRepository {
  get: (deviceKey: string) => Promise<KnownPeer | undefined>
  byHandle: (handle: string) => Promise<KnownPeer[]>
  /** Every known peer, by device key. */
  list: () => Promise<KnownPeer[]>
  put: (peer: KnownPeer) => Promise<void>
  remove: (deviceKey: string) => Promise<void>
}

function decodePeer (deviceKey: string, bytes: Uint8Array): KnownPeer {
  return decodeRecord(bytes, `peers/${deviceKey}`, (r) => {
    const state = r.optionalString('state')
    if (state !== undefined && state !== 'new' && state !== 'removed') throw new CorruptRecordError(`peers/${deviceKey}: unknown state "${state}"`)
    return { deviceKey, handle: r.string('handle'), certificate: r.bytes('certificate'), ...(state != null ? { state } : {}) }
  })
}

async function loadPeer (tx: WriteTransaction, sections: Sections, deviceKey: string): Promise<KnownPeer | undefined> {
  const bytes = await tx.get(sections.peers, deviceKey)
  return bytes === undefined ? undefined : decodePeer(deviceKey, bytes)
}

export async function applyPeerOp (tx: WriteTransaction, sections: Sections, op: PeerOp): Promise<void> {
  const deviceKey = keyPart('device key', op.type === 'peer-put' ? op.peer.deviceKey : op.deviceKey)
  const previous = await loadPeer(tx, sections, deviceKey)
  // A device's certificate can be renewed under another handle: drop the stale index entry.
  if (previous !== undefined) tx.del(sections['peer-handles'], joinKey(previous.handle, deviceKey))
  if (op.type === 'peer-remove') {
    tx.del(sections.peers, deviceKey)
    return
  }
  const handle = keyPart('handle', op.peer.handle)
  if (!(op.peer.certificate instanceof Uint8Array) || op.peer.certificate.length === 0) throw new InvalidArgumentError('a certificate must be non-empty bytes')
  tx.put(sections.peers, deviceKey, encodeRecord({ handle, certificate: bytesField(op.peer.certificate), ...(op.peer.state != null ? { state: op.peer.state } : {}) }))
  tx.put(sections['peer-handles'], joinKey(handle, deviceKey), EMPTY)
}

export function createPeerRepository ({ sections, transact }: RepositoryContext): PeerRepository {
  const commit = async (op: PeerOp): Promise<void> => { await transact(async (tx) => { await applyPeerOp(tx, sections, op) }) }
  async function get (deviceKey: string): Promise<KnownPeer | undefined> {
    const bytes = await sections.peers.get(keyPart('device key', deviceKey))
    return bytes === undefined ? undefined : decodePeer(deviceKey, bytes)
  }
  return {
    get,
    async byHandle (handle) {
      const keys = await sections['peer-handles'].entries(prefixRange(keyPart('handle', handle)))
      return await Promise.all(keys.map(async ([key]) => {
        const peer = await get(splitKey(key, 2, 'peer-handles')[1])
        // Index and record are written in one batch, so a dangling entry means damage, not a race.
        if (peer === undefined) throw new CorruptRecordError(`peer-handles/${key}: no such peer`)
        return peer
      }))
    },
    list: async () => (await sections.peers.entries({})).map(([deviceKey, bytes]) => decodePeer(deviceKey, bytes)),
    put: async (peer) => { await commit({ type: 'peer-put', peer }) },
    remove: async (deviceKey) => { await commit({ type: 'peer-remove', deviceKey }) }
  }
}
