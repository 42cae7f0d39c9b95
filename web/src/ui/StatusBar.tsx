/**
 * Always visible: how this device reaches others and how many messages are
 * still waiting to go out. Officers on poor links rely on it to know whether
 * "sent" can be expected soon.
 */
import { plural, statusSummary } from '../format.js'
import type { StatusState } from '../state/use-status.js'

export function StatusBar ({ status, sync }: StatusState) {
  return (
    <div
      class="status-bar"
      role="status"
      data-testid="status-bar"
      data-mode={status.mode}
      data-queued={status.queued}
    >
      <span class="status-dot" aria-hidden="true" />
      <span class="status-text">
        {statusSummary(status)}
        {sync !== null && sync.total !== undefined && ` · Catching up ${sync.done} of ${plural(sync.total, 'message')}`}
      </span>
    </div>
  )
}
