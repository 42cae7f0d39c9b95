/**
 * Recording a voice note with MediaRecorder in Opus/WebM (docs/web.md,
 * *Attachments*). Loaded when the officer first presses the microphone button.
 */
import { MicrophoneUnavailableError, RecordingUnsupportedError } from './errors.js'
import { VOICE_NOTE_TYPE } from './limits.js'

export interface VoiceNote {
  blob: Blob
  mediaType: string
  durationMs: number
}

export interface VoiceRecording {
  startedAt: number
  /** Ends the recording and gives the note. */
  stop: () => Promise<VoiceNote>
  /** Ends the recording and throws it away. */
  cancel: () => void
}

export async function startVoiceRecording (): Promise<VoiceRecording> {
  if (typeof MediaRecorder === 'undefined' || !MediaRecorder.isTypeSupported(VOICE_NOTE_TYPE)) {
    throw new RecordingUnsupportedError(`MediaRecorder cannot record ${VOICE_NOTE_TYPE} in this browser`)
  }
  let stream: MediaStream
  try {
    stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: false })
  } catch (err) {
    throw new MicrophoneUnavailableError(`getUserMedia: ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`)
  }
  const recorder = new MediaRecorder(stream, { mimeType: VOICE_NOTE_TYPE })
  const parts: Blob[] = []
  recorder.addEventListener('dataavailable', (event) => { if (event.data.size > 0) parts.push(event.data) })
  const stopped = new Promise<void>(resolve => { recorder.addEventListener('stop', () => { resolve() }, { once: true }) })
  const release = (): void => { for (const track of stream.getTracks()) track.stop() }
  // timeslice: a long note is gathered in pieces instead of one buffer at the end
  recorder.start(1000)
  const startedAt = performance.now()
  return {
    startedAt: Date.now(),
    stop: async () => {
      const durationMs = Math.round(performance.now() - startedAt)
      if (recorder.state !== 'inactive') recorder.stop()
      await stopped
      release()
      const mediaType = recorder.mimeType !== '' ? recorder.mimeType : VOICE_NOTE_TYPE
      return { blob: new Blob(parts, { type: mediaType }), mediaType, durationMs }
    },
    cancel: () => {
      if (recorder.state !== 'inactive') recorder.stop()
      release()
    }
  }
}
