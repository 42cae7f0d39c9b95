import { fromHex, type TrustStore } from '@dak/protocol'
import { publicKeyFromRaw } from '@libp2p/crypto/keys'
import { peerIdFromPublicKey } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import { departmentNodePeers } from '../department/departments.js'
import type { Messenger } from '../messenger/api.js'
import type { DakLibp2p } from '../net/libp2p-common.js'
import type { VerifiedPeer } from '../net/peer-directory.js'
import type { PeerId } from '@libp2p/interface'

/**
 * Browser to browser, directly. Two browsers can only reach each other over
 * WebRTC, and WebRTC needs someone to carry the offer and answer: the
 * department node's circuit relay does (both browsers listen on /p2p-circuit
 * and /webrtc). Nothing else in the mesh dials other officers, so this does:
 * it dials `<department node>/p2p-circuit/webrtc/p2p/<officer>` for every
 * officer we share a conversation with and are not directly connected to.
 * Gossipsub then meshes over the direct connection, so messages between the
 * two go straight across; the node still gets a copy to store for devices
 * that are offline.
 *
 * When: once a department node is verified (we can signal through it), when
 * a conversation appears or changes, and when a message arrives from an
 * officer we have no direct connection to (their device is online now).
 * Officers that come online later dial us in the same way.
 */

/**
 * After a failed dial, try again this soon: a dial can fail for a moment's
 * reasons (their reservation at the node not renewed yet after a reconnect,
 * our own connection to the node being replaced) as well as lasting ones.
 */
const QUICK_RETRIES_MS = [2_000, 6_000]
/**
 * When the quick retries failed too (the officer is offline, or on a Node.js
 * device without a WebRTC listener) leave them alone this long: only a new
 * reason (a message from them, a changed conversation) dials again after it.
 */
const REDIAL_AFTER_MS = 30_000
/**
 * Relayed signalling plus ICE on a LAN takes a second or two; a dial still
 * open after this is dead (libp2p's own 6 s per address usually ends it first).
 */
const DIAL_TIMEOUT_MS = 15_000

export interface DirectPeersInit {
  libp2p: DakLibp2p
  messenger: Pick<Messenger, 'conversations' | 'on' | 'whoami'>
  trust: () => TrustStore
  now?: () => number
  /** Reading the conversations failed (the store is closing as the device stops): nothing to dial then. */
  onError?: (err: unknown) => void
}

/**
 * A device key worth dialling: 32 bytes of hex, and not our own. A member the
 * summary lists before their device is known (an awaited officer in
 * `waitingFor`) has `deviceKey: ''`: there is no one to dial yet.
 */
export function dialable (deviceKey: string, self: string): boolean {
  return /^[0-9a-f]{64}$/.test(deviceKey) && deviceKey !== self
}

/** Start dialling; returns the function that stops it. */
export function dialOfficersDirectly (init: DirectPeersInit): () => void {
  const { libp2p, messenger } = init
  const now = init.now ?? Date.now
  const self = messenger.whoami().deviceKey
  const dialling = new Set<string>()
  const retries = new Map<string, { count: number, timer?: ReturnType<typeof setTimeout> }>()
  const failedAt = new Map<string, number>()
  let stopped = false

  const directlyConnected = (peer: PeerId): boolean =>
    libp2p.getConnections(peer).some(c => c.status === 'open' && c.limits == null)

  // our own unlimited connections to department nodes: the relays we can signal through
  const relays = (): string[] => departmentNodePeers(libp2p.services.directory, init.trust()).flatMap(({ peer }) =>
    libp2p.getConnections(peer)
      .filter(c => c.status === 'open' && c.limits == null)
      .map(c => `${c.remoteAddr.toString().replace(/\/p2p\/[^/]+$/, '')}/p2p/${peer.toString()}`))

  const failed = (deviceKey: string): void => {
    const retry = retries.get(deviceKey) ?? { count: 0 }
    const delay = QUICK_RETRIES_MS[retry.count]
    if (stopped || delay === undefined) {
      retries.delete(deviceKey)
      failedAt.set(deviceKey, now())
      return
    }
    retry.count++
    retry.timer = setTimeout(() => { retry.timer = undefined; attempt(deviceKey) }, delay)
    retries.set(deviceKey, retry)
  }

  const attempt = (deviceKey: string): void => {
    if (stopped || dialling.has(deviceKey)) return
    const peer = peerIdFromPublicKey(publicKeyFromRaw(fromHex(deviceKey)))
    if (directlyConnected(peer)) {
      retries.delete(deviceKey)
      return
    }
    const addresses = relays().map(relay => multiaddr(`${relay}/p2p-circuit/webrtc/p2p/${peer.toString()}`))
    if (addresses.length === 0) {
      // no department node to signal through right now: its peer:verified dials everyone again
      retries.delete(deviceKey)
      return
    }
    dialling.add(deviceKey)
    libp2p.dial(addresses, { signal: AbortSignal.timeout(DIAL_TIMEOUT_MS) })
      .then(() => { retries.delete(deviceKey); failedAt.delete(deviceKey) })
      .catch(() => { failed(deviceKey) })
      .finally(() => { dialling.delete(deviceKey) })
  }

  /** A reason to dial `deviceKey`; ignored while its retries run or after they failed recently. */
  const dial = (deviceKey: string): void => {
    if (!dialable(deviceKey, self) || retries.has(deviceKey)) return
    if (now() - (failedAt.get(deviceKey) ?? -Infinity) < REDIAL_AFTER_MS) return
    attempt(deviceKey)
  }

  const dialEveryone = (): void => {
    messenger.conversations()
      .then(list => { for (const c of list) for (const m of c.members) dial(m.deviceKey) })
      .catch(init.onError ?? (() => {}))
  }

  const onVerified = (evt: CustomEvent<VerifiedPeer>): void => {
    if (departmentNodePeers(libp2p.services.directory, init.trust()).some(p => p.peer.equals(evt.detail.peer))) dialEveryone()
  }
  libp2p.services.directory.addEventListener('peer:verified', onVerified)
  const unsubscribe = [
    messenger.on('conversation', (c) => { for (const m of c.members) dial(m.deviceKey) }),
    messenger.on('message', (m) => { if (!m.fromMe) dial(m.sender.deviceKey) })
  ]
  dialEveryone()

  return () => {
    stopped = true
    for (const retry of retries.values()) clearTimeout(retry.timer)
    libp2p.services.directory.removeEventListener('peer:verified', onVerified)
    for (const off of unsubscribe) off()
  }
}

