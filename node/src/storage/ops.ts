import { InvalidArgumentError } from '@dak/protocol'
import { applyConversationOp, type ConversationOp } from './conversations.js'
import { applyCarryOp, type CarryOp } from './carried.js'
import { applyCursorOp, type CursorOp } from './cursors.js'
import { applyGroupOp, type GroupOp } from './groups.js'
import { applyFileOp, type FileOp } from './files.js'
import { applyKeyPackageOp, type KeyPackageOp } from './key-packages.js'
import { applyIdentityOp, type IdentityOp } from './identity.js'
import type { Sections } from './layout.js'
import { applyMessageOp, type MessageOp } from './messages.js'
import { applyOutboxOp, type OutboxOp } from './outbox.js'
import { applyPeerOp, type PeerOp } from './peers.js'
import { applySeenOp, type SeenOp } from './seen.js'
import { applySenderSeqOp, type SenderSeqOp } from './sender-sequences.js'
import type { WriteTransaction } from './transaction.js'
// issue 16
import { applyDirectiveOp, type DirectiveOp } from './directives.js'
import { applyMemberReceiptOp, type MemberReceiptOp } from './member-receipts.js'
import { applyMessageAmendOp, type MessageAmendOp } from './message-amend.js'
import { applyPrefsOp, type PrefsOp } from './prefs.js'
import { applyHistoryTransferOp, type HistoryTransferOp } from './history-transfers.js'

/**
 * Everything the device store can write, as plain data. DeviceStore.commit
 * applies a list of them in one transaction: either all land or none do.
 * The repository methods (store.messages.add, ...) are the same operations
 * committed one at a time.
 */
export type StoreOp = IdentityOp | GroupOp | ConversationOp | MessageOp | OutboxOp | CursorOp | PeerOp | SeenOp | KeyPackageOp | SenderSeqOp | FileOp |
  MessageAmendOp | MemberReceiptOp | DirectiveOp | PrefsOp | CarryOp | HistoryTransferOp

export async function applyStoreOp (tx: WriteTransaction, sections: Sections, op: StoreOp, random: () => number): Promise<void> {
  switch (op.type) {
    case 'identity':
    case 'revocation-list':
    case 'log-head':
      applyIdentityOp(tx, sections, op)
      return
    case 'group-state':
    case 'group-delete':
      applyGroupOp(tx, sections, op)
      return
    case 'conversation-create':
    case 'conversation-update':
      await applyConversationOp(tx, sections, op)
      return
    case 'message-add':
    case 'message-state':
    case 'mark-read':
    case 'message-rename':
    case 'message-expire':
      await applyMessageOp(tx, sections, op)
      return
    case 'outbox-add':
    case 'outbox-attempt':
    case 'outbox-complete':
      await applyOutboxOp(tx, sections, op, random)
      return
    case 'cursor':
      await applyCursorOp(tx, sections, op)
      return
    case 'peer-put':
    case 'peer-remove':
      await applyPeerOp(tx, sections, op)
      return
    case 'seen':
      await applySeenOp(tx, sections, op)
      return
    case 'sender-seq':
      await applySenderSeqOp(tx, sections, op)
      return
    case 'file-put': // attachments (docs/files.md)
    case 'file-chunks':
    case 'file-remove':
      await applyFileOp(tx, sections, op)
      return
    case 'key-package-put':
    case 'key-package-delete':
      applyKeyPackageOp(tx, sections, op)
      return
    // issue 16
    case 'message-edit':
    case 'message-delete':
    case 'message-acknowledged':
      await applyMessageAmendOp(tx, sections, op)
      return
    case 'member-receipt':
      await applyMemberReceiptOp(tx, sections, op)
      return
    case 'directive-put':
    case 'directive-ack-put':
      await applyDirectiveOp(tx, sections, op)
      return
    case 'conversation-prefs':
    case 'setting':
      await applyPrefsOp(tx, sections, op)
      return
    case 'carry-keep':
    case 'carry-deposited':
      applyCarryOp(tx, sections, op)
      return
    case 'history-transfer': // linked devices
      applyHistoryTransferOp(tx, sections, op)
      return
    default:
      // Ops can come from untyped callers (the CLI, a worker message): refuse unknown ones loudly.
      throw new InvalidArgumentError(`unknown store operation '${String((op as { type?: unknown }).type)}'`)
  }
}
