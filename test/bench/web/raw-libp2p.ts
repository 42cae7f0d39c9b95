/**
 * Bundle-size probe, not run: the raw library doing the same job in a browser —
 * plain js-libp2p with the same transports as Dak's browser node (WebSockets,
 * WebRTC, WebRTC-Direct, circuit relay), Noise, yamux, identify, ping and
 * gossipsub. The baseline of the projected web bundle in benches/web.ts.
 */
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { circuitRelayTransport } from '@libp2p/circuit-relay-v2'
import { gossipsub } from '@libp2p/gossipsub'
import { identify } from '@libp2p/identify'
import { ping } from '@libp2p/ping'
import { webRTC, webRTCDirect } from '@libp2p/webrtc'
import { webSockets } from '@libp2p/websockets'
import { createLibp2p } from 'libp2p'

export async function startRawBrowserNode (): Promise<unknown> {
  return await createLibp2p({
    transports: [webSockets(), webRTC(), webRTCDirect(), circuitRelayTransport()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    services: { identify: identify(), ping: ping(), pubsub: gossipsub() }
  })
}
