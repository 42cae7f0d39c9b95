/**
 * The composer's attach button (any file; several at once) and voice-note
 * recorder: record, then Send or Cancel. The recorder code loads on the first
 * press, so the first paint does not carry it.
 */
import { useEffect, useRef, useState } from 'preact/hooks'
import { formatDuration } from '../files/file-format.js'
import { MAX_VOICE_NOTE_MS } from '../files/limits.js'
import type { FileSender } from '../files/use-file-sender.js'
import type { VoiceRecording } from '../files/voice-recorder.js'

interface Props {
  sender: FileSender
  reportError: (err: unknown) => void
}

export function AttachControls ({ sender, reportError }: Props) {
  const input = useRef<HTMLInputElement>(null)
  const [recording, setRecording] = useState<VoiceRecording | null>(null)
  const [starting, setStarting] = useState(false)
  const [elapsed, setElapsed] = useState(0)

  const finish = (send: boolean): void => {
    if (recording === null) return
    setRecording(null)
    if (!send) { recording.cancel(); return }
    recording.stop().then(note => { sender.sendVoiceNote(note) }, reportError)
  }

  // the clock on screen, and a stop at the longest note allowed
  useEffect(() => {
    if (recording === null) return
    setElapsed(0)
    const timer = setInterval(() => {
      const ms = Date.now() - recording.startedAt
      setElapsed(ms)
      if (ms >= MAX_VOICE_NOTE_MS) finish(true)
    }, 250)
    return () => { clearInterval(timer) }
  }, [recording])

  // leaving the chat while recording throws the recording away and frees the microphone
  const current = useRef<VoiceRecording | null>(null)
  current.current = recording
  useEffect(() => () => { current.current?.cancel() }, [])

  const record = (): void => {
    setStarting(true)
    import('../files/voice-recorder.js')
      .then(async ({ startVoiceRecording }) => { setRecording(await startVoiceRecording()) })
      .catch(reportError)
      .finally(() => { setStarting(false) })
  }

  if (recording !== null) {
    return (
      <div class="voice-recording" data-testid="voice-recording" data-elapsed-ms={elapsed} role="group" aria-label="Recording a voice note">
        <span class="recording-dot" aria-hidden="true" />
        <span role="timer" aria-live="off">{formatDuration(elapsed)}</span>
        <button type="button" data-testid="voice-cancel" onClick={() => { finish(false) }}>Cancel</button>
        <button type="button" class="primary" data-testid="voice-send" onClick={() => { finish(true) }}>Send voice note</button>
      </div>
    )
  }

  return (
    <div class="attach-controls">
      <input
        ref={input}
        type="file"
        multiple
        class="visually-hidden"
        id="attach-input"
        data-testid="attach-input"
        tabIndex={-1}
        onChange={e => {
          const files = e.currentTarget.files
          if (files !== null) sender.sendFiles(Array.from(files))
          e.currentTarget.value = ''
        }}
      />
      <button type="button" data-testid="attach-button" aria-label="Attach a file" title="Attach a file" onClick={() => input.current?.click()}>
        {sender.sending > 0 ? 'Attaching…' : 'Attach'}
      </button>
      <button type="button" data-testid="voice-record" aria-label="Record a voice note" title="Record a voice note" disabled={starting} onClick={record}>
        {starting ? 'Starting…' : 'Voice'}
      </button>
    </div>
  )
}
