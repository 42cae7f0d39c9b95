import { InvalidArgumentError } from '@dak/protocol'
import { bytesField, decodeRecord, encodeRecord, type RecordReader } from './codec.js'
import { keyPart } from './keys.js'
import type { RepositoryContext, Sections } from './layout.js'
import type { WriteTransaction } from './transaction.js'

/**
 * History transfers this device asked for (docs/messenger.md, *History
 * transfer*), by request id (hex). The request's private key is kept only
 * until every part has arrived: sealed at rest like everything in the store,
 * and gone once it has opened what it was made for.
 */
export interface HistoryTransfer {
  requestId: string
  conversationId: string
  /** The device asked to answer (hex): parts from any other device are refused. */
  askedDevice: string
  suite: string
  /** The request's public key, as sent (to ask again with the same key). */
  publicKey: Uint8Array
  /** Absent once the transfer is complete. */
  privateKey?: Uint8Array
  requestedAt: number
  /** Known from the first part that arrives. */
  parts?: number
  /** Part numbers that arrived, ascending. */
  received: number[]
  messagesTotal?: number
  /** Messages of the transfer this device did not have yet, now stored. */
  messagesAdded: number
  completedAt?: number
}

export type HistoryTransferOp = { type: 'history-transfer', transfer: HistoryTransfer }

export interface HistoryTransferRepository {
  get: (requestId: string) => Promise<HistoryTransfer | undefined>
  list: () => Promise<HistoryTransfer[]>
}

function check (t: HistoryTransfer): void {
  keyPart('history request id', t.requestId)
  keyPart('conversation id', t.conversationId)
  const counts = [t.requestedAt, t.messagesAdded, ...t.received, ...(t.parts !== undefined ? [t.parts] : []), ...(t.messagesTotal !== undefined ? [t.messagesTotal] : [])]
  if (counts.some(n => !Number.isSafeInteger(n) || n < 0)) throw new InvalidArgumentError('a history transfer\'s counts are non-negative integers')
  if (t.parts !== undefined && t.received.some(n => n >= (t.parts ?? 0))) throw new InvalidArgumentError('a received part is past the transfer\'s parts')
  if (t.completedAt === undefined && t.privateKey === undefined) throw new InvalidArgumentError('an unfinished history transfer keeps its key')
}

export function applyHistoryTransferOp (tx: WriteTransaction, sections: Sections, op: HistoryTransferOp): void {
  const t = op.transfer
  check(t)
  tx.put(sections['history-transfers'], t.requestId, encodeRecord({
    requestId: t.requestId,
    conversationId: t.conversationId,
    askedDevice: t.askedDevice,
    suite: t.suite,
    publicKey: bytesField(t.publicKey),
    requestedAt: t.requestedAt,
    received: t.received.map(String),
    messagesAdded: t.messagesAdded,
    ...(t.privateKey !== undefined ? { privateKey: bytesField(t.privateKey) } : {}),
    ...(t.parts !== undefined ? { parts: t.parts } : {}),
    ...(t.messagesTotal !== undefined ? { messagesTotal: t.messagesTotal } : {}),
    ...(t.completedAt !== undefined ? { completedAt: t.completedAt } : {})
  }))
}

function read (r: RecordReader): HistoryTransfer {
  const received = r.strings('received').map(Number)
  if (received.some(n => !Number.isSafeInteger(n) || n < 0)) throw r.corrupt('received parts are not counts')
  const parts = r.optionalCount('parts')
  const messagesTotal = r.optionalCount('messagesTotal')
  const completedAt = r.optionalCount('completedAt')
  const privateKey = r.optionalString('privateKey') !== undefined ? r.bytes('privateKey') : undefined
  return {
    requestId: r.string('requestId'),
    conversationId: r.string('conversationId'),
    askedDevice: r.string('askedDevice'),
    suite: r.string('suite'),
    publicKey: r.bytes('publicKey'),
    requestedAt: r.count('requestedAt'),
    received,
    messagesAdded: r.count('messagesAdded'),
    ...(privateKey !== undefined ? { privateKey } : {}),
    ...(parts !== undefined ? { parts } : {}),
    ...(messagesTotal !== undefined ? { messagesTotal } : {}),
    ...(completedAt !== undefined ? { completedAt } : {})
  }
}

export function createHistoryTransferRepository ({ sections }: RepositoryContext): HistoryTransferRepository {
  const section = sections['history-transfers']
  return {
    async get (requestId) {
      const bytes = await section.get(keyPart('history request id', requestId))
      return bytes === undefined ? undefined : decodeRecord(bytes, `history-transfers/${requestId}`, read)
    },
    async list () {
      return (await section.entries({})).map(([key, value]) => decodeRecord(value, `history-transfers/${key}`, read))
    }
  }
}
