/**
 * The call over the app: an incoming call asks *Accept* or *Decline*; a call
 * under way shows everyone's video (or name, for voice), the officer's own
 * preview, and *Mute*, *Camera off* and *Hang up*. Every state is said in
 * words as well (`call-status`), for screen readers too.
 */
import { useEffect, useRef, useState } from 'preact/hooks'
import { formatDuration } from '../calls/call-lines.js'
import type { CallParticipant, CallView } from '../calls/types.js'
import { useCalls, useCurrentCall } from '../calls/ui-context.js'
import { useApp } from './context.js'

function MediaTile ({ stream, muted, label, testid }: { stream: MediaStream | undefined, muted: boolean, label: string, testid: string }) {
  const ref = useRef<HTMLVideoElement>(null)
  useEffect(() => {
    const video = ref.current
    if (video === null || stream === undefined) return
    video.srcObject = stream
    video.play().catch(() => { /* autoplay refused: the officer's next click plays it */ })
  }, [stream])
  return (
    <figure class="call-tile">
      <video ref={ref} autoplay playsInline muted={muted} data-testid={testid} aria-label={label} />
      <figcaption>{label}</figcaption>
    </figure>
  )
}

const STATE_WORDS: Record<CallParticipant['state'], string> = {
  ringing: 'ringing', connecting: 'connecting', connected: 'connected', declined: 'declined', left: 'left', unreachable: 'could not be reached'
}

function statusText (call: CallView, now: number): string {
  switch (call.phase) {
    case 'ringing-in': return `${call.peerName} is calling you (${call.video ? 'video' : 'voice'})`
    case 'ringing-out': return `Calling ${call.peerName}…`
    case 'connecting': return 'Connecting…'
    case 'active': return `${call.video ? 'Video' : 'Voice'} call with ${call.peerName} · ${formatDuration(now - (call.connectedAt ?? now))}`
    case 'ended': return 'Call ended'
  }
}

export function CallLayer () {
  const calls = useCalls()
  const call = useCurrentCall(calls)
  const { reportError } = useApp()
  const [now, setNow] = useState(Date.now())
  // compact: the videos folded away (still playing, so the sound goes on) and the app usable beneath, e.g. to add someone
  const [compact, setCompact] = useState(false)
  useEffect(() => calls?.onError(reportError), [calls, reportError])
  useEffect(() => {
    if (call?.phase !== 'active') return
    const timer = setInterval(() => { setNow(Date.now()) }, 1_000)
    return () => { clearInterval(timer) }
  }, [call?.phase])
  if (calls === null || call === null) return null

  if (call.phase === 'ringing-in') {
    return (
      <div class="call-incoming" role="alertdialog" aria-labelledby="incoming-call-text" data-testid="incoming-call" data-call-id={call.callId}>
        <p id="incoming-call-text" data-testid="call-status">{statusText(call, now)}</p>
        <div class="call-actions">
          <button type="button" class="primary" data-testid="accept-call-button" onClick={() => { calls.accept().catch(reportError) }}>Accept</button>
          <button type="button" class="danger" data-testid="decline-call-button" onClick={() => { calls.decline().catch(reportError) }}>Decline</button>
        </div>
      </div>
    )
  }

  const others = call.participants.filter(p => p.state !== 'declined' && p.state !== 'left')
  return (
    <section class={`call-panel${compact ? ' compact' : ''}`} aria-label="Call" data-testid="call-panel" data-phase={call.phase} data-call-id={call.callId}>
      <p role="status" data-testid="call-status">{statusText(call, now)}</p>
      {call.videoPaused && <p class="call-note" role="status" data-testid="video-paused">Video is off because the connection is poor; you can still hear each other.</p>}
      <div class="call-tiles">
        {others.map(p => (
          <MediaTile key={p.deviceKey} stream={p.stream} muted={false} testid="remote-video" label={`${p.officer.displayName} (${STATE_WORDS[p.state]})`} />
        ))}
        {call.video && <MediaTile stream={call.local} muted testid="local-video" label="You" />}
      </div>
      <div class="call-actions">
        <button type="button" data-testid="mute-button" aria-pressed={call.muted} onClick={() => { calls.setMuted(!call.muted).catch(reportError) }}>{call.muted ? 'Unmute' : 'Mute'}</button>
        {call.video && <button type="button" data-testid="camera-button" aria-pressed={call.cameraOff} onClick={() => { calls.setCameraOff(!call.cameraOff).catch(reportError) }}>{call.cameraOff ? 'Camera on' : 'Camera off'}</button>}
        <button type="button" data-testid="call-size-button" aria-pressed={compact} onClick={() => { setCompact(!compact) }}>{compact ? 'Show the call' : 'Smaller'}</button>
        <button type="button" class="danger" data-testid="hang-up-button" onClick={() => { calls.hangUp().catch(reportError) }}>Hang up</button>
      </div>
    </section>
  )
}
