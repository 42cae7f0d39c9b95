/**
 * Always visible: how this device reaches others and how many messages are
 * still waiting to go out. Officers on poor links rely on it to know whether
 * "sent" can be expected soon. Once this device's access is withdrawn nothing
 * will go out again, so it says that instead.
 */
import { plural, statusSummary } from '../format.js'
import type { LostAccess } from '../state/access.js'
import type { StatusState } from '../state/use-status.js'

const ACCESS_LOST: Record<LostAccess, string> = {
  revoked: 'Access withdrawn by your department · nothing is sent',
  expired: 'Access expired · nothing is sent'
}

export function StatusBar ({ status, sync, accessLost }: StatusState & { accessLost?: LostAccess }) {
  return (
    <div
      class="status-bar"
      role="status"
      data-testid="status-bar"
      data-mode={accessLost !== undefined ? 'offline' : status.mode}
      data-queued={status.queued}
    >
      <span class="status-dot" aria-hidden="true" />
      <span class="status-text">
        {accessLost !== undefined
          ? ACCESS_LOST[accessLost]
          : <>{statusSummary(status)}{sync !== null && sync.total !== undefined && ` · Catching up ${sync.done} of ${plural(sync.total, 'message')}`}</>}
      </span>
    </div>
  )
}
