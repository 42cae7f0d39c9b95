/** What the UI sees of calls (web/src/ui/CallLayer.tsx) and what the manager needs from the device. */
import type { CallRoster, CallSignals } from '@dak/node/calls'
import type { MessengerEvents, OfficerSummary } from '../messenger.js'

export type CallPhase = 'ringing-out' | 'ringing-in' | 'connecting' | 'active' | 'ended'
export type ParticipantState = 'ringing' | 'connecting' | 'connected' | 'declined' | 'left' | 'unreachable'

export interface CallParticipant {
  deviceKey: string
  officer: OfficerSummary
  state: ParticipantState
  /** Their audio and video, once a track arrived. */
  stream?: MediaStream
}

export interface CallView {
  /** 32 hex digits. */
  callId: string
  conversationId: string
  video: boolean
  outgoing: boolean
  /** Who called (incoming) or the conversation's other officers (outgoing), for the heading. */
  peerName: string
  phase: CallPhase
  muted: boolean
  cameraOff: boolean
  /** Video is off because the link is poor (link-quality.ts); audio goes on. */
  videoPaused: boolean
  participants: CallParticipant[]
  local?: MediaStream
  /** When the first participant connected (ms since epoch). */
  connectedAt?: number
}

export interface Calls {
  current: () => CallView | null
  onChange: (listener: (view: CallView | null) => void) => () => void
  start: (conversationId: string, options: { video: boolean }) => Promise<void>
  accept: () => Promise<void>
  decline: () => Promise<void>
  hangUp: () => Promise<void>
  setMuted: (muted: boolean) => Promise<void>
  setCameraOff: (off: boolean) => Promise<void>
  /** Failures during a call (an offer that could not be sent, a peer that failed): for the error banner. */
  onError: (listener: (err: unknown) => void) => () => void
  stop: () => Promise<void>
}

/** The device parts calls use. */
export interface CallDevice {
  signals: CallSignals
  messenger: {
    whoami: () => OfficerSummary
    callRoster: (conversationId: string) => Promise<CallRoster>
    callSecret: (conversationId: string, callId: Uint8Array, epoch: string) => Promise<Uint8Array>
    recordCallLine: (line: { conversationId: string, callId: string, text: string, at: number, missed: boolean }) => Promise<void>
    /** Membership changes ('conversation') re-key a call; 'conversation-removed' takes this device out of it. */
    on: <K extends 'conversation' | 'conversation-removed'>(event: K, listener: (detail: MessengerEvents[K]) => void) => () => void
  }
  /** Opens camera and microphone (navigator.mediaDevices.getUserMedia in the page). */
  getUserMedia: (constraints: MediaStreamConstraints) => Promise<MediaStream>
  /** A fresh SFrame worker for one call. */
  createWorker: () => Worker
  now?: () => number
}
