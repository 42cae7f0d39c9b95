import { circuitRelayTransport } from '@libp2p/circuit-relay-v2'
import { mdns, type MulticastDNSComponents } from '@libp2p/mdns'
import { tcp } from '@libp2p/tcp'
import { webRTC, webRTCDirect } from '@libp2p/webrtc'
import { webSockets, type WebSocketsInit } from '@libp2p/websockets'
import { WebSocket as NodeWebSocket } from 'ws'
import { DEFAULT_MDNS_SERVICE_TAG } from './constants.js'
import { dialDiscovered } from './discovery.js'
import { createWithPlatform, dakLibp2pConfig, type DakLibp2p, type DakLibp2pConfig, type DakLibp2pOptions, type PlatformParts } from './libp2p-common.js'
import type { ConnectionManager } from '@libp2p/interface-internal'
import { makeResetsClose } from './websocket-reset.js'

// @libp2p/websockets resets with a close code `ws` refuses (websocket-reset.ts)
makeResetsClose(NodeWebSocket.prototype)

export type { DakLibp2p, DakLibp2pConfig, DakLibp2pOptions, DakServices } from './libp2p-common.js'

export interface DakNodeLibp2pOptions extends DakLibp2pOptions {
  /**
   * Find peers on the local network with mDNS and dial them: how officers on a
   * LAN with no internet and no department node reach each other.
   */
  mdns?: boolean | { serviceTag?: string, intervalMs?: number }
  /**
   * WebSockets options: a department node that listens on `/tls/ws` gives its
   * HTTPS certificate here (`https: { cert, key }`), so pages served over
   * HTTPS can dial it (they cannot open ws://).
   */
  webSockets?: WebSocketsInit
  /**
   * Dial WebRTC-Direct addresses too. Off: a Node.js node reaches every node
   * over TCP, and only browsers need WebRTC-Direct (see nodePlatform). On for
   * tests of the browsers' path between two Node.js nodes.
   */
  dialWebRtcDirect?: boolean
}

/**
 * A Dak libp2p node for Node.js: TCP, WebSockets, WebRTC, WebRTC-Direct and
 * circuit relay; Noise; yamux; identify; ping; the certificate gate; gossipsub.
 * The browser build (libp2p.browser.ts) is chosen by the `browser` export condition.
 */
export async function createDakLibp2p (options: DakNodeLibp2pOptions): Promise<DakLibp2p> {
  return createWithPlatform(options, nodePlatform(options))
}

/** The Node.js configuration, for a caller that adds services before creating the node (see dakLibp2pConfig). */
export async function dakNodeLibp2pConfig (options: DakNodeLibp2pOptions): Promise<DakLibp2pConfig> {
  return dakLibp2pConfig(options, nodePlatform(options))
}

function nodePlatform (options: DakNodeLibp2pOptions): PlatformParts {
  const lan = options.mdns === true ? {} : options.mdns === false ? undefined : options.mdns
  return {
    transports: [tcp(), webSockets(options.webSockets), webRTC(), webRTCDirect(), circuitRelayTransport()],
    // WebRTC-Direct is for browsers to reach a department node. A Node.js node
    // reaches every node over TCP, and a WebRTC-Direct address of a process that
    // died neither answers nor refuses: libp2p waits the whole address-dial
    // timeout (30 s, for 2G) on it before the next address (docs/scaled.md). It still listens on WebRTC-Direct; it only never dials it.
    connectionGater: { denyDialMultiaddr: (address) => options.dialWebRtcDirect !== true && address.toString().includes('/webrtc-direct') },
    peerDiscovery: lan == null
      ? []
      : [dialDiscovered<MulticastDNSComponents & { connectionManager: ConnectionManager }>(
          mdns({ serviceTag: lan.serviceTag ?? DEFAULT_MDNS_SERVICE_TAG, interval: lan.intervalMs }))]
  }
}
