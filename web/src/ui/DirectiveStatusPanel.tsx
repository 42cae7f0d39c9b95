/** Who acknowledged a directive, who read it without acknowledging, who has not received it (issue 16). */
import { useEffect, useState } from 'preact/hooks'
import { formatDateTime } from '../format.js'
import type { DirectiveStatus } from '../messenger.js'
import { useApp } from './context.js'

const LABEL: Record<DirectiveStatus['addressees'][number]['state'], string> = {
  acknowledged: 'Acknowledged',
  read: 'Read, not acknowledged',
  delivered: 'Received, not read',
  'not-received': 'Not received yet'
}

export function DirectiveStatusPanel ({ messageId, onClose }: { messageId: string, onClose: () => void }) {
  const { messenger, reportError } = useApp()
  const [status, setStatus] = useState<DirectiveStatus | null>(null)

  useEffect(() => {
    let open = true
    const load = (): void => { messenger.directiveStatus(messageId).then(s => { if (open) setStatus(s) }, reportError) }
    load()
    // receipts and acknowledgements arrive as message changes
    const offs = [messenger.on('message-changed', load), messenger.on('message-state', load)]
    return () => { open = false; for (const off of offs) off() }
  }, [messenger, messageId, reportError])

  return (
    <section class="directive-status" aria-label="Directive status" data-testid="directive-status">
      <header class="directive-status-header">
        <h3>Directive status</h3>
        <button type="button" class="link" data-testid="directive-status-close" onClick={onClose}>Close</button>
      </header>
      {status === null
        ? <p class="muted" role="status">Loading…</p>
        : (
          <>
            <p data-testid="directive-counts">
              {status.counts.acknowledged} acknowledged · {status.counts.read} read, not acknowledged · {status.counts.delivered} received, not read · {status.counts.notReceived} not received
              {status.deadline != null && <> · due {formatDateTime(status.deadline)}</>}
            </p>
            <ul class="plain-list">
              {status.addressees.map(a => (
                <li key={a.officer.handle} data-testid="directive-addressee" data-handle={a.officer.handle} data-state={a.state}>
                  <strong>{a.officer.displayName}</strong> — {LABEL[a.state]}{a.at != null && <span class="muted small"> {formatDateTime(a.at)}</span>}
                </li>
              ))}
            </ul>
          </>
          )}
    </section>
  )
}
