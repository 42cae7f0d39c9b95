/** *Call* and *Video* in a chat's header: start a voice or video call with the conversation's members. */
import { useCalls, useCurrentCall } from '../calls/ui-context.js'
import type { ConversationSummary } from '../messenger.js'
import { useApp } from './context.js'

export function CallButtons ({ conversation }: { conversation: ConversationSummary }) {
  const calls = useCalls()
  const current = useCurrentCall(calls)
  const { reportError, readOnly } = useApp()
  if (calls === null || readOnly || conversation.state === 'closed') return null
  const busy = current !== null
  const start = (video: boolean) => () => { calls.start(conversation.id, { video }).catch(reportError) }
  return (
    <>
      <button type="button" data-testid="call-voice-button" disabled={busy} onClick={start(false)} aria-label="Voice call">Call</button>
      <button type="button" data-testid="call-video-button" disabled={busy} onClick={start(true)} aria-label="Video call">Video</button>
    </>
  )
}
