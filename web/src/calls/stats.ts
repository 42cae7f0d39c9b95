/** What a call reads from getStats: for the link-quality check, the tests and the benchmark. */
import type { LinkSample } from './link-quality.js'

export interface MediaStats {
  audioBytesSent: number
  videoBytesSent: number
  audioBytesReceived: number
  videoBytesReceived: number
  framesDecoded: number
  /** Audio samples played out (decoded or concealed). */
  audioSamplesReceived: number
  sample: LinkSample
}

export async function mediaStats (pc: RTCPeerConnection): Promise<MediaStats> {
  const out: MediaStats = { audioBytesSent: 0, videoBytesSent: 0, audioBytesReceived: 0, videoBytesReceived: 0, framesDecoded: 0, audioSamplesReceived: 0, sample: {} }
  const report = await pc.getStats()
  let loss: number | undefined
  report.forEach((s: Record<string, unknown>) => {
    const kind = s.kind === 'video' ? 'video' : 'audio'
    const n = (key: string): number => typeof s[key] === 'number' ? s[key] : 0
    if (s.type === 'outbound-rtp') {
      if (kind === 'video') out.videoBytesSent += n('bytesSent')
      else out.audioBytesSent += n('bytesSent')
    } else if (s.type === 'inbound-rtp') {
      if (kind === 'video') {
        out.videoBytesReceived += n('bytesReceived')
        out.framesDecoded += n('framesDecoded')
      } else {
        out.audioBytesReceived += n('bytesReceived')
        out.audioSamplesReceived += n('totalSamplesReceived')
      }
    } else if (s.type === 'remote-inbound-rtp' && typeof s.fractionLost === 'number') {
      loss = Math.max(loss ?? 0, s.fractionLost)
    } else if (s.type === 'candidate-pair' && s.nominated === true && typeof s.availableOutgoingBitrate === 'number') {
      out.sample.availableOutgoingBitrate = s.availableOutgoingBitrate
    }
  })
  if (loss !== undefined) out.sample.lossFraction = loss
  return out
}
