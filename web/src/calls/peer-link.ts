/**
 * The media connection to one other participant: its own RTCPeerConnection
 * (libp2p's WebRTC transport carries data channels only, no media tracks),
 * every sent and received frame through the call's SFrame worker, and
 * non-trickle ICE: the offer and answer go out once gathering is complete,
 * with every candidate in them, so a call needs two signals, not dozens.
 */
import type { TransformOptions } from './worker-messages.js'

/** Host candidates on a LAN gather in milliseconds; past this, send what there is. */
const ICE_GATHERING_MS = 5_000

export interface PeerLinkInit {
  deviceKey: string
  /** MLS leaf of that device: its frames must carry its key id. */
  remoteLeaf: number
  local: MediaStream
  worker: Worker
  iceServers: RTCIceServer[]
  onConnectionState: (state: RTCPeerConnectionState) => void
  onRemoteTrack: (stream: MediaStream) => void
}

export interface PeerLink {
  readonly deviceKey: string
  readonly pc: RTCPeerConnection
  readonly remote: MediaStream
  /** The offer this side answered, and its answer (so a repeated offer gets the same answer). */
  readonly answered: { offer: string, answer: string } | undefined
  makeOffer: () => Promise<string>
  acceptOffer: (sdp: string) => Promise<string>
  acceptAnswer: (sdp: string) => Promise<void>
  /** Send this kind of track or not (mute, camera off, audio-only fallback): null stops its packets entirely. */
  setSending: (kind: 'audio' | 'video', on: boolean) => Promise<void>
  close: () => void
}

function transform (worker: Worker, options: TransformOptions): RTCRtpScriptTransform {
  return new RTCRtpScriptTransform(worker, options)
}

/** VP8 first: the worker leaves VP8's payload header in the clear (frame-layout.ts). */
function preferVp8 (pc: RTCPeerConnection): void {
  const capabilities = RTCRtpReceiver.getCapabilities('video')
  if (capabilities == null) return
  const vp8 = capabilities.codecs.filter(c => c.mimeType.toLowerCase() === 'video/vp8')
  const rest = capabilities.codecs.filter(c => c.mimeType.toLowerCase() === 'video/rtx')
  for (const t of pc.getTransceivers()) {
    if (t.receiver.track.kind === 'video' && vp8.length > 0) t.setCodecPreferences([...vp8, ...rest])
  }
}

async function gathered (pc: RTCPeerConnection): Promise<string> {
  if (pc.iceGatheringState !== 'complete') {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, ICE_GATHERING_MS)
      function done (): void {
        clearTimeout(timer)
        pc.removeEventListener('icegatheringstatechange', check)
        resolve()
      }
      function check (): void { if (pc.iceGatheringState === 'complete') done() }
      pc.addEventListener('icegatheringstatechange', check)
    })
  }
  const sdp = pc.localDescription?.sdp
  if (sdp === undefined) throw new Error('no local description after ICE gathering')
  return sdp
}

export function createPeerLink (init: PeerLinkInit): PeerLink {
  const pc = new RTCPeerConnection({ iceServers: init.iceServers })
  const remote = new MediaStream()
  const tracks = new Map<'audio' | 'video', MediaStreamTrack>()
  const senders = new Map<'audio' | 'video', RTCRtpSender>()
  for (const track of init.local.getTracks()) {
    const kind = track.kind === 'video' ? 'video' : 'audio'
    const sender = pc.addTrack(track, init.local)
    sender.transform = transform(init.worker, { direction: 'send', kind })
    tracks.set(kind, track)
    senders.set(kind, sender)
  }
  // Receivers get their transform now, before any negotiation. Chromium 156
  // ignores one set in the 'track' event on a transceiver this side created
  // with addTrack: frames then skip the transform and reach the decoder as
  // they came (here, SFrame ciphertext), so the call shows nothing.
  for (const transceiver of pc.getTransceivers()) setReceiveTransform(transceiver.receiver)
  preferVp8(pc)
  function setReceiveTransform (receiver: RTCRtpReceiver): void {
    if (receiver.transform != null) return
    receiver.transform = transform(init.worker, { direction: 'receive', kind: receiver.track.kind === 'video' ? 'video' : 'audio', remoteLeaf: init.remoteLeaf })
  }
  pc.addEventListener('track', (event) => {
    // a transceiver the other side's offer created (a kind we do not send): set before its first frame
    setReceiveTransform(event.receiver)
    remote.addTrack(event.track)
    init.onRemoteTrack(remote)
  })
  pc.addEventListener('connectionstatechange', () => { init.onConnectionState(pc.connectionState) })

  let answered: { offer: string, answer: string } | undefined
  return {
    deviceKey: init.deviceKey,
    pc,
    remote,
    get answered () { return answered },
    async makeOffer () {
      await pc.setLocalDescription(await pc.createOffer())
      return await gathered(pc)
    },
    async acceptOffer (sdp) {
      await pc.setRemoteDescription({ type: 'offer', sdp })
      preferVp8(pc)
      await pc.setLocalDescription(await pc.createAnswer())
      const answer = await gathered(pc)
      answered = { offer: sdp, answer }
      return answer
    },
    async acceptAnswer (sdp) {
      // an answer again (the other side repeated it): this side offers once per connection, so it is the one applied
      if (pc.signalingState === 'stable' && pc.remoteDescription?.type === 'answer') return
      await pc.setRemoteDescription({ type: 'answer', sdp })
    },
    async setSending (kind, on) {
      const sender = senders.get(kind)
      if (sender === undefined) return
      await sender.replaceTrack(on ? tracks.get(kind) ?? null : null)
    },
    close () {
      pc.close()
      for (const track of remote.getTracks()) track.stop()
    }
  }
}
