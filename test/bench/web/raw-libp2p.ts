/**
 * The raw library doing the web client's networking job in a browser — plain
 * js-libp2p with the same transports as Dak's browser node (WebSockets,
 * WebRTC, WebRTC-Direct, circuit relay), Noise, yamux, identify, ping and
 * gossipsub, and the same permission to dial a private ws:// address that
 * Dak's `dialPrivateAddresses` gives (node/src/net/libp2p.browser.ts).
 * raw-page/ is a page around it: the baseline of both web figures in
 * benches/web.ts (bundle size and page load → connected).
 */
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { circuitRelayTransport } from '@libp2p/circuit-relay-v2'
import { gossipsub } from '@libp2p/gossipsub'
import { identify } from '@libp2p/identify'
import { ping } from '@libp2p/ping'
import { webRTC, webRTCDirect } from '@libp2p/webrtc'
import { webSockets } from '@libp2p/websockets'
import { createLibp2p, type Libp2p } from 'libp2p'

export async function startRawBrowserNode (): Promise<Libp2p> {
  return await createLibp2p({
    transports: [webSockets(), webRTC({ rtcConfiguration: { iceServers: [] } }), webRTCDirect(), circuitRelayTransport()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    connectionGater: { denyDialMultiaddr: () => false },
    services: { identify: identify(), ping: ping(), pubsub: gossipsub() }
  })
}
