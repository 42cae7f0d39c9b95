/** An officer as shown in lists: name, then title and department for telling namesakes apart. */
import type { OfficerSummary } from '../messenger.js'

export function OfficerName ({ officer, suffix }: { officer: OfficerSummary, suffix?: string }) {
  return (
    <span class="officer">
      <span class="officer-name">{officer.displayName}{suffix !== undefined && <span class="muted"> {suffix}</span>}</span>
      <span class="officer-role muted small">{officer.title}, {officer.department} · @{officer.handle}</span>
    </span>
  )
}
