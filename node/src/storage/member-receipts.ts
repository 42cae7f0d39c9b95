import { InvalidArgumentError } from '@dak/protocol'
import { decodeRecord, encodeRecord } from './codec.js'
import { joinKey, keyPart, prefixRange, splitKey } from './keys.js'
import type { RepositoryContext, Sections } from './layout.js'
import type { WriteTransaction } from './transaction.js'

/**
 * Who has a message, per member device: the delivered and read receipts
 * members sent for this device's own messages ("read by 7 of 9"). Key in
 * 'member-receipts': `<messageId>!<deviceKey>`, so one message's receipts are
 * one range. A receipt only ever moves a member forward (read implies delivered).
 */
export interface MemberReceipt {
  deviceKey: string
  handle: string
  /** When it was first known delivered (a read receipt counts: read implies delivered). */
  deliveredAt?: number
  readAt?: number
}

export interface MemberReceiptOp {
  type: 'member-receipt'
  messageId: string
  deviceKey: string
  handle: string
  receipt: 'delivered' | 'read'
  at: number
}

export interface MemberReceiptRepository {
  /** Every member device that acknowledged `messageId`. */
  of: (messageId: string) => Promise<MemberReceipt[]>
}

function decode (key: string, bytes: Uint8Array): MemberReceipt {
  return decodeRecord(bytes, `member-receipts/${key}`, (r) => {
    const deliveredAt = r.optionalCount('deliveredAt')
    const readAt = r.optionalCount('readAt')
    return { deviceKey: r.string('deviceKey'), handle: r.string('handle'), ...(deliveredAt !== undefined ? { deliveredAt } : {}), ...(readAt !== undefined ? { readAt } : {}) }
  })
}

export async function applyMemberReceiptOp (tx: WriteTransaction, sections: Sections, op: MemberReceiptOp): Promise<void> {
  if (op.receipt !== 'delivered' && op.receipt !== 'read') throw new InvalidArgumentError('a member receipt is delivered or read')
  if (!Number.isSafeInteger(op.at) || op.at < 0) throw new InvalidArgumentError('a member receipt needs a time')
  const key = joinKey(keyPart('message id', op.messageId), keyPart('device key', op.deviceKey))
  const stored = await tx.get(sections['member-receipts'], key)
  const before: MemberReceipt = stored !== undefined ? decode(key, stored) : { deviceKey: op.deviceKey, handle: op.handle }
  const after: MemberReceipt = { ...before, deliveredAt: before.deliveredAt ?? op.at, ...(op.receipt === 'read' ? { readAt: before.readAt ?? op.at } : {}) }
  if (stored !== undefined && after.deliveredAt === before.deliveredAt && after.readAt === before.readAt) return
  tx.put(sections['member-receipts'], key, encodeRecord(after))
}

export function createMemberReceiptRepository ({ sections }: RepositoryContext): MemberReceiptRepository {
  return {
    async of (messageId) {
      const entries = await sections['member-receipts'].entries(prefixRange(keyPart('message id', messageId)))
      return entries.map(([key, bytes]) => {
        splitKey(key, 2, 'member receipt key')
        return decode(key, bytes)
      })
    }
  }
}
