/**
 * Disappearing messages in the conversation's info: an admin picks the
 * timer, everyone else sees it. The engine caps it to the department's
 * maximum and shows every member a line in the chat.
 */
import { useState } from 'preact/hooks'
import type { ConversationSummary } from '../messenger.js'
import { useApp } from './context.js'

export const TIMER_CHOICES: ReadonlyArray<{ label: string, ms: number }> = [
  { label: 'Off', ms: 0 },
  { label: '1 hour', ms: 3_600_000 },
  { label: '1 day', ms: 86_400_000 },
  { label: '7 days', ms: 7 * 86_400_000 }
]

/** "1 day", or the exact ms for a timer set elsewhere to a value not in the list. */
export function timerText (ms: number | undefined): string {
  if (ms == null || ms === 0) return 'Off'
  return TIMER_CHOICES.find(c => c.ms === ms)?.label ?? `${Math.round(ms / 1000)} seconds`
}

export function DisappearingSetting ({ conversation, canSet }: { conversation: ConversationSummary, canSet: boolean }) {
  const { messenger, reportError, conversations } = useApp()
  const [busy, setBusy] = useState(false)
  const current = conversation.timerMs ?? 0
  if (!canSet) return <p class="muted small" data-testid="timer-text">Disappearing messages: {timerText(current)}</p>
  const choose = (ms: number): void => {
    if (ms === current) return
    setBusy(true)
    messenger.setTimer(conversation.id, ms).then(() => { conversations.refresh() }, reportError).finally(() => { setBusy(false) })
  }
  return (
    <label class="stack">
      <span>Disappearing messages</span>
      <select data-testid="timer-select" disabled={busy} value={String(current)} onChange={(e) => { choose(Number((e.currentTarget as HTMLSelectElement).value)) }}>
        {!TIMER_CHOICES.some(c => c.ms === current) && <option value={String(current)}>{timerText(current)}</option>}
        {TIMER_CHOICES.map(c => <option key={c.ms} value={String(c.ms)}>{c.label}</option>)}
      </select>
    </label>
  )
}
