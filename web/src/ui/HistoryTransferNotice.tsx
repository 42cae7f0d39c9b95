/** Linked devices: earlier messages still on their way from another device of this officer. */
import type { HistoryTransferStatus } from '../messenger.js'

export function HistoryTransferNotice ({ status }: { status: HistoryTransferStatus | undefined }) {
  if (status === undefined || status.complete) return null
  const from = `your other device (${status.device.slice(0, 4)} ${status.device.slice(4, 8)})`
  const text = status.parts === undefined
    ? `Asking ${from} for the earlier messages of this conversation…`
    : `Earlier messages are coming from ${from}: part ${status.received} of ${status.parts}, ${status.messagesAdded} message${status.messagesAdded === 1 ? '' : 's'} so far.`
  return (
    <p class="history-transfer" role="status" data-testid="history-transfer" data-received={status.received} data-parts={status.parts ?? ''}>
      {status.parts !== undefined && <progress max={status.parts} value={status.received} aria-hidden="true" />}
      {text}
    </p>
  )
}
