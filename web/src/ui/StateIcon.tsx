/**
 * A small icon per message state. Always shown next to the state's word:
 * the icon is for a quick glance, the word for everyone (colour-blind,
 * screen readers, officers new to the app).
 */
import type { MessageState } from '../messenger.js'

// 16×16 strokes: clock (waiting on this device), one tick (on the network),
// tick in a circle (held by the department node), two ticks (on the
// recipient's device), two bold ticks (read).
const PATHS: Record<MessageState, string> = {
  queued: 'M8 1.5a6.5 6.5 0 1 0 0 13a6.5 6.5 0 1 0 0-13M8 4.5V8l2.5 1.5',
  sent: 'M3 8.5l3 3l7-7',
  stored: 'M8 1.5a6.5 6.5 0 1 0 0 13a6.5 6.5 0 1 0 0-13M5 8.2l2 2l4-4',
  delivered: 'M1 8.5l3 3l7-7M7 11.5l7-7',
  read: 'M1 8.5l3 3l7-7M7 11.5l7-7',
  received: ''
}

export function StateIcon ({ state }: { state: MessageState }) {
  const path = PATHS[state]
  if (path === '') return null
  return (
    <svg class={`state-icon state-icon-${state}`} viewBox="0 0 16 16" width="16" height="16" aria-hidden="true" focusable="false">
      <path d={path} fill="none" stroke="currentColor" stroke-width={state === 'read' ? 2.4 : 1.6} stroke-linecap="round" stroke-linejoin="round" />
    </svg>
  )
}
