/**
 * Linked devices: where the history of one conversation stands that this
 * device asked another device of its officer for (docs/messenger.md,
 * *History transfer*). Undefined when it asked for none.
 */
import { useEffect, useState } from 'preact/hooks'
import type { HistoryTransferStatus, Messenger } from '../messenger.js'

export function useHistoryTransfer (messenger: Messenger, conversationId: string, reportError: (err: unknown) => void): HistoryTransferStatus | undefined {
  const [status, setStatus] = useState<HistoryTransferStatus | undefined>(undefined)
  useEffect(() => {
    let open = true
    setStatus(undefined)
    const off = messenger.on('history-transfer', (t) => { if (t.conversationId === conversationId) setStatus(t) })
    messenger.historyTransfers().then((all) => {
      // an event that came meanwhile is newer than the list
      // one still under way, if any (a device added again asks again; the list keeps the finished ones)
      const ours = all.filter(t => t.conversationId === conversationId)
      if (open) setStatus(current => current ?? ours.find(t => !t.complete) ?? ours[0])
    }, reportError)
    return () => { open = false; off() }
  }, [messenger, conversationId, reportError])
  return status
}
