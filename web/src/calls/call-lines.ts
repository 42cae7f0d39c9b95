/** The line each call leaves in the chat history (one per call, on each device). Pure. */

export type CallEnd =
  | { how: 'talked', durationMs: number }
  | { how: 'no-answer' }
  | { how: 'declined', by?: string }
  | { how: 'missed' }
  | { how: 'declined-by-me' }
  | { how: 'failed' }
  /** This officer answered, or declined, the ring on another of their devices. */
  | { how: 'answered-elsewhere' }
  | { how: 'declined-elsewhere' }

export function callLine (video: boolean, outgoing: boolean, peerName: string, end: CallEnd): { text: string, missed: boolean } {
  const what = video ? 'video call' : 'voice call'
  const What = video ? 'Video call' : 'Voice call'
  switch (end.how) {
    case 'talked':
      return { text: `${outgoing ? 'Outgoing' : 'Incoming'} ${what} · ${formatDuration(end.durationMs)}`, missed: false }
    case 'no-answer':
      return { text: `${What} · no answer`, missed: false }
    case 'declined':
      return { text: `${What} · declined${end.by !== undefined ? ` by ${end.by}` : ''}`, missed: false }
    case 'missed':
      return { text: `Missed ${what} from ${peerName}`, missed: true }
    case 'declined-by-me':
      return { text: `Declined ${what} from ${peerName}`, missed: false }
    case 'failed':
      return { text: `${What} · could not connect`, missed: false }
    case 'answered-elsewhere':
      return { text: `${What} from ${peerName} · answered on another device`, missed: false }
    case 'declined-elsewhere':
      return { text: `${What} from ${peerName} · declined on another device`, missed: false }
  }
}

/** 0:05, 2:31, 1:02:03 */
export function formatDuration (ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000))
  const h = Math.floor(total / 3600)
  const m = Math.floor((total % 3600) / 60)
  const s = total % 60
  const ss = String(s).padStart(2, '0')
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`
}
