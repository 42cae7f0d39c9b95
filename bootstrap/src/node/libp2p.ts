import { circuitRelayServer, type CircuitRelayService } from '@libp2p/circuit-relay-v2'
import { dakNodeLibp2pConfig, type DakLibp2p, type DakServices } from '@dak/node/net'
import { createLibp2p, type Libp2p } from 'libp2p'
import type { VerifyContext } from '@dak/protocol'
import type { TopicValidatorFn } from '@libp2p/gossipsub'
import type { Libp2pEvents, TLSCertificate, TypedEventTarget } from '@libp2p/interface'
import type { DepartmentConfig } from '../config/config.js'
import { serverGossip } from './server-gossip.js'

/**
 * The department node's libp2p: the Dak assembly every node shares (Noise,
 * yamux, the certificate gate, gossipsub; node/src/net) plus what a server
 * adds: listeners on TCP, WebSockets and WebRTC-Direct, a circuit relay v2
 * server whose reservations the gate keeps for verified peers, gossipsub
 * meshes and scores tuned for a hub, and connection limits for an office.
 */

export type DepartmentLibp2p = Libp2p<DakServices & { relay: CircuitRelayService, tlsCertificate: TlsCertificateService }>

/**
 * Hands a renewed certificate to the WebSockets listener. The listener
 * already takes new certificates from libp2p's internal `certificate:renew`
 * event (how @libp2p/auto-tls renews), and only a service sees that event
 * bus; the listener then serves new connections with the new certificate
 * while open ones carry on.
 */
export interface TlsCertificateService {
  renew: (pem: TLSCertificate) => void
}

function tlsCertificateService (components: { events: TypedEventTarget<Libp2pEvents> }): TlsCertificateService {
  return { renew: (pem) => { components.events.safeDispatchEvent('certificate:renew', { detail: pem }) } }
}

/**
 * A server's meshes: every member of a conversation keeps a link to its node,
 * so the node accepts more mesh peers per topic before pruning (Dhi) and
 * gossips to more (Dlazy) than a device does.
 */
export const SERVER_MESH = { D: 6, Dlo: 4, Dhi: 16, Dlazy: 8 } as const

/**
 * Connection limits. Officers share office NATs, so many devices arrive from
 * one address at once: libp2p's default of 5 new connections per second per
 * address would refuse an office coming back online.
 */
const CONNECTION_LIMITS = { maxConnections: 2_048, inboundConnectionThreshold: 100, maxIncomingPendingConnections: 128 }

/** How long a relay reservation lasts before the device renews it: libp2p's default, two hours. */
const RESERVATION_TTL_MS = 2 * 60 * 60 * 1000

/** With `tls`, WebSockets is offered as wss only (`/tls/ws`): pages served over HTTPS cannot use ws://. */
export function listenAddresses (config: Pick<DepartmentConfig, 'host' | 'tcpPort' | 'wsPort' | 'webrtcDirectPort'>, tls = false): string[] {
  const ip = config.host.includes(':') ? `/ip6/${config.host}` : `/ip4/${config.host}`
  return [
    `${ip}/tcp/${config.tcpPort}`,
    `${ip}/tcp/${config.wsPort}${tls ? '/tls/ws' : '/ws'}`,
    ...(config.webrtcDirectPort === 'off' ? [] : [`${ip}/udp/${config.webrtcDirectPort}/webrtc-direct`])
  ]
}

export interface DepartmentLibp2pInit {
  config: DepartmentConfig
  nodeSeed: Uint8Array
  certificate: Uint8Array
  verifyContext: () => VerifyContext
  /** Validates every envelope topic (conversations, inboxes); the control topic gets its own. */
  envelopeValidator: TopicValidatorFn
  gate?: { certificateTimeoutMs?: number, denyMs?: number }
  /** The HTTPS certificate, for wss; renewals go through `services.tlsCertificate`. */
  tls?: TLSCertificate
}

export async function createDepartmentLibp2p (init: DepartmentLibp2pInit): Promise<DepartmentLibp2p> {
  const base = await dakNodeLibp2pConfig({
    deviceSeed: init.nodeSeed,
    certificate: init.certificate,
    verifyContext: init.verifyContext,
    listen: listenAddresses(init.config, init.tls != null),
    ...(init.tls != null ? { webSockets: { https: { cert: init.tls.cert, key: init.tls.key } } } : {}),
    gossip: { ...SERVER_MESH, fallbackValidator: init.envelopeValidator },
    mdns: false,
    gate: init.gate
  })
  return await createLibp2p<DakServices & { relay: CircuitRelayService, tlsCertificate: TlsCertificateService }>({
    ...base,
    // the shared 2G timeouts and dial order (node/src/net), and a server's limits
    connectionManager: { ...base.connectionManager, ...CONNECTION_LIMITS },
    services: {
      ...base.services,
      pubsub: serverGossip(base.services.pubsub),
      relay: circuitRelayServer({
        reservations: { maxReservations: init.config.relayMaxReservations, reservationTtl: RESERVATION_TTL_MS }
      }),
      tlsCertificate: tlsCertificateService
    }
  })
}

/** The Dak view of the node, for code that takes any Dak libp2p. */
export function asDakLibp2p (node: DepartmentLibp2p): DakLibp2p {
  return node as unknown as DakLibp2p
}
