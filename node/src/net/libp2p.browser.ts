import { circuitRelayTransport } from '@libp2p/circuit-relay-v2'
import { webRTC, webRTCDirect } from '@libp2p/webrtc'
import { isPrivate } from '@libp2p/utils'
import { webSockets } from '@libp2p/websockets'
import type { Multiaddr } from '@multiformats/multiaddr'
import { createWithPlatform, type DakLibp2p, type DakLibp2pOptions } from './libp2p-common.js'
import { FallbackGate, setFallbackGate } from './fallback-gate.js'
import { makeResetsClose } from './websocket-reset.js'

// @libp2p/websockets resets with a close code browsers refuse (websocket-reset.ts)
if (typeof WebSocket !== 'undefined') makeResetsClose(WebSocket.prototype)

export type { DakLibp2p, DakLibp2pOptions, DakServices } from './libp2p-common.js'

export interface DakBrowserLibp2pOptions extends DakLibp2pOptions {
  /**
   * Allow dialling private addresses and plain ws://. libp2p refuses both in
   * browsers by default; a desk officer on an office LAN whose department node
   * has only a private address needs this on.
   */
  dialPrivateAddresses?: boolean
  /**
   * STUN/TURN servers for browser-to-browser WebRTC. None by default: libp2p's
   * default list (Google, Twilio, Cloudflare, Mozilla) would tell third parties
   * every officer's address, and officers on one LAN connect without STUN.
   */
  iceServers?: RTCIceServer[]
}

/**
 * A Dak libp2p node for the browser: WebSockets and WebRTC-Direct to
 * department nodes, WebRTC to other browsers with circuit relay signalling.
 * No TCP and no mDNS (browsers have neither).
 */
export async function createDakLibp2p (options: DakBrowserLibp2pOptions): Promise<DakLibp2p> {
  const gate = new FallbackGate()
  // libp2p's own browser rule (insecure ws:// and private addresses refused) unless told otherwise, and the fallback gate
  const browserRule = (address: Multiaddr): boolean => options.dialPrivateAddresses !== true && (isInsecureWebSocket(address) || isPrivate(address))
  const libp2p = await createWithPlatform(options, {
    transports: [webSockets(), webRTCDirect(), webRTC({ rtcConfiguration: { iceServers: options.iceServers ?? [] } }), circuitRelayTransport()],
    peerDiscovery: [],
    connectionGater: { denyDialMultiaddr: (address) => gate.denies(address) || browserRule(address) }
  })
  setFallbackGate(libp2p, gate)
  return libp2p
}

/** ws:// (not wss:// or /tls/ws): browsers refuse it from a secure page anyway. */
function isInsecureWebSocket (address: Multiaddr): boolean {
  const text = address.toString()
  return /\/ws(\/|$)/.test(text) && !text.includes('/tls/')
}
