import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { bootstrap } from '@libp2p/bootstrap'
import { identify, type Identify } from '@libp2p/identify'
import { ping, type Ping, type PingComponents } from '@libp2p/ping'
import { createLibp2p, type Libp2pOptions, type ServiceFactoryMap } from 'libp2p'
import { DEFAULT_CERTIFICATE_TIMEOUT_MS, DIAL_TIMEOUT_MS, UPGRADE_TIMEOUT_MS, verdictWaitMs } from './constants.js'
import { DenyList } from './deny-list.js'
import { devicePrivateKey } from './device-key.js'
import { dakGater } from './gater.js'
import { dakGossip, type DakGossipOptions } from './gossip.js'
import { oneWriteEncrypter } from './one-write-encrypter.js'
import { windowUpdatesHeldBack } from './yamux-window.js'
import { liveness, pingHeard, type Liveness, type LivenessInit } from './liveness.js'
import { peerDirectory, type PeerDirectory } from './peer-directory.js'
import type { VerifyContext } from '@dak/protocol'
import type { GossipSub } from '@libp2p/gossipsub'
import type { ConnectionGater, Libp2p } from '@libp2p/interface'

/**
 * What the Node.js and browser factories share: keys, encryption, muxing,
 * the certificate gate and gossipsub. Each platform adds its transports.
 */

export interface DakLibp2pOptions {
  /** The device's 32-byte Ed25519 seed: the peer id is its public key, the key its certificate names. */
  deviceSeed: Uint8Array
  /** This device's encoded certificate; omit until the device is enrolled. */
  certificate?: Uint8Array
  /** Trust bundle, revocation lists and clock, read at every check so updates apply at once. */
  verifyContext: () => VerifyContext
  /** Multiaddrs to listen on. */
  listen?: string[]
  /** Department nodes to dial at start: multiaddrs ending in /p2p/<peer id>. */
  bootstrap?: string[]
  gossip?: DakGossipOptions
  gate?: {
    /** How long a new connection may stay without a valid certificate. */
    certificateTimeoutMs?: number
    /** How long a rejected peer is refused. */
    denyMs?: number
    /** How often verified peers' certificates are checked again (expiry, revocation). */
    recheckIntervalMs?: number
  }
  /** Keep-alive pings (liveness.ts): defaults fit 2G; tests shorten them. */
  liveness?: LivenessInit
}

export type DakServices = {
  identify: Identify
  ping: Ping
  /** The certificate gate and directory of verified peers. */
  directory: PeerDirectory
  pubsub: GossipSub
  /** Keep-alive: gives a connection up after several failed pings in a row, not one. */
  liveness: Liveness
}

export type DakLibp2p = Libp2p<DakServices>

/** The configuration with its services spelled out, so a caller can spread and extend them. */
export type DakLibp2pConfig = Libp2pOptions<DakServices> & { services: ServiceFactoryMap<DakServices> }

export interface PlatformParts {
  transports: NonNullable<Libp2pOptions['transports']>
  peerDiscovery: NonNullable<Libp2pOptions['peerDiscovery']>
  /** Platform rules for addresses (the browser one refuses private addresses unless told otherwise). */
  connectionGater?: ConnectionGater
}

/**
 * The libp2p configuration of a Dak node, for callers that add services of
 * their own before creating it (the department node adds a relay server and
 * the store). Services they add go after `directory` and `pubsub`.
 */
export async function dakLibp2pConfig (options: DakLibp2pOptions, platform: PlatformParts): Promise<DakLibp2pConfig> {
  const privateKey = await devicePrivateKey(options.deviceSeed)
  const denyList = new DenyList()
  const waitMs = options.gate?.certificateTimeoutMs ?? DEFAULT_CERTIFICATE_TIMEOUT_MS
  const bootstrapList = options.bootstrap ?? []
  // set when libp2p creates the service; the gater asks it about relay use
  let directory: PeerDirectory | undefined
  // set when libp2p creates the service; the ping service tells it of pings heard
  let keepAlive: Liveness | undefined
  const config: DakLibp2pConfig = {
    privateKey,
    addresses: { listen: options.listen ?? [] },
    transports: platform.transports,
    // each Noise message in one write: two TCP segments per message otherwise (one-write-encrypter.ts)
    connectionEncrypters: [oneWriteEncrypter(noise())],
    // yamux's keep-alive would ping each connection from both ends every 30 s besides the liveness
    // pings: off, the dialler's liveness pings keep a connection alive (liveness.ts, docs/network.md)
    // and a window update only once a few KiB are read, not after every frame (yamux-window.ts)
    streamMuxers: [windowUpdatesHeldBack(yamux({ enableKeepAlive: false }))],
    connectionGater: { ...platform.connectionGater, ...dakGater(denyList, () => directory, verdictWaitMs(waitMs)) },
    // libp2p's monitor aborts a connection on one failed ping; the liveness service below is patient.
    // Browsers too: the monitor was kept there only because a node's hang-up never closed a tab's
    // WebSocket, and websocket-reset.ts fixes that.
    connectionMonitor: { enabled: false },
    // room for a handshake on 2G (constants.ts). libp2p's reconnect queue is off (no redial runs at
    // concurrency 0): it redials a keep-alive peer — the node a relay reservation is held on — with
    // every address it knows, and a WebRTC-Direct one to a node that is down holds that dial for the
    // whole timeout, with the department link's dials joined to it. The link is the one redialler
    // (device/department-link.ts; docs/field.md, section 11).
    connectionManager: { dialTimeout: DIAL_TIMEOUT_MS, addressDialTimeout: DIAL_TIMEOUT_MS, inboundUpgradeTimeout: UPGRADE_TIMEOUT_MS, maxParallelReconnects: 0 },
    peerDiscovery: [
      ...(bootstrapList.length > 0 ? [bootstrap({ list: bootstrapList })] : []),
      ...platform.peerDiscovery
    ],
    services: {
      identify: identify(),
      ping: (components: PingComponents) => ping()({ connectionManager: components.connectionManager, registrar: pingHeard(components.registrar, (connection) => { keepAlive?.heard(connection) }) }),
      // before pubsub: the gossip gate takes the directory from the components
      directory: (components) => (directory = peerDirectory({
        certificate: options.certificate,
        verifyContext: options.verifyContext,
        denyList,
        certificateTimeoutMs: waitMs,
        denyMs: options.gate?.denyMs,
        recheckIntervalMs: options.gate?.recheckIntervalMs
      })(components)),
      pubsub: dakGossip(options.gossip, verdictWaitMs(waitMs)),
      liveness: (components) => (keepAlive = liveness({ acceptedWhenQuiet: true, ...options.liveness })(components))
    }
  }
  return config
}

export async function createWithPlatform (options: DakLibp2pOptions, platform: PlatformParts): Promise<DakLibp2p> {
  return createLibp2p(await dakLibp2pConfig(options, platform))
}
