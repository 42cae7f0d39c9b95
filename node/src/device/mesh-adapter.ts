import { CARRY_MAX_ANSWER_BYTES, CARRY_MAX_REQUEST_BYTES } from '../messenger/carry-wire.js'
import { concatBytes, MalformedInputError, MAX_ENVELOPE_BYTES, openEnvelope, toHex, TREE_HEAD_BYTES, type Certificate, type OpenedEnvelope } from '@dak/protocol'
import { createRpc } from '../net/rpc.js'
import { PeerNotVerifiedError } from '../net/errors.js'
import type { ProtocolRate } from '../net/peer-limits.js'
import type { DakLibp2p } from '../net/libp2p-common.js'
import type { MeshPort, PeerSubscription } from '../messenger/ports.js'
import type { PeerId } from '@libp2p/interface'
import { DakError } from '@dak/protocol'
import { componentLogger } from '../log.js'

const log = componentLogger('device:mesh')

/** Device-to-device key package request: how a conversation starts on a LAN with no department node. */
export const KEY_PACKAGE_PROTOCOL = '/dak/keypackage/1.0.0'
/**
 * Direct delivery of one envelope to a connected member: the path for a retry,
 * which gossipsub refuses for two minutes (its seen-cache remembers the bytes).
 */
export const DELIVER_PROTOCOL = '/dak/deliver/1.0.0'
/** Device-to-device exchange of certificate-log heads: every peer a device meets shows it the heads it trusts. */
export const LOG_HEADS_PROTOCOL = '/dak/log-heads/1.0.0'
/** Delay-tolerant carry: a member's device asks another for a conversation's envelopes it lacks (messenger/carry.ts). */
export const CARRY_PROTOCOL = '/dak/carry/1.0.0'
/**
 * A sync asks one request after another, a page per shared conversation (more
 * for a busy one) when two devices meet, and again on a gap: a burst of 200
 * covers an officer's conversations with a colleague, 20 a second after that.
 * Each answer reads one conversation's keep (≤ 1,024 records) from the store,
 * so this is well below the default. An asker stops at its first refusal.
 */
export const CARRY_RATE: ProtocolRate = {
  perPeer: { capacity: 200, refillPerSecond: 20 },
  global: { capacity: 1_000, refillPerSecond: 100 }
}
/** Heads one answer carries: one per department node a device audits, bounded. */
const MAX_LOG_HEADS = 16
/** An X-Wing key package is ~2.5 KiB; leave room for a post-quantum signature suite later. */
const MAX_KEY_PACKAGE_RESPONSE = 16 * 1024
/**
 * Each key package asked for is minted and its private half stored, so a peer
 * gets a few at once and one every 15 s after (an officer adds a colleague to
 * a handful of conversations, not hundreds); everyone together 30 a minute.
 * The store is capped as well (LAN_KEY_PACKAGE_CAP in key-stock.ts).
 */
export const KEY_PACKAGE_RATE: ProtocolRate = {
  perPeer: { capacity: 4, refillPerSecond: 1 / 15 },
  global: { capacity: 16, refillPerSecond: 0.5 }
}

export class PeerNotConnectedError extends DakError { override name = 'PeerNotConnectedError' }

/**
 * The messenger's MeshPort over a Dak libp2p node: gossipsub for topics, the
 * certificate gate's directory for who is here, and one request protocol for
 * key packages.
 */
/**
 * Envelopes the gossip validator accepted, keyed by the very bytes gossipsub
 * then hands to 'message' listeners: the inbox takes the opened envelope from
 * here instead of checking its signature a second time. Weak, so an entry
 * lives exactly as long as gossipsub holds the message.
 */
export type AcceptedEnvelopes = WeakMap<Uint8Array, OpenedEnvelope>

/** Heads are fixed-size: an answer is a whole number of them (each is verified by the receiver). */
function splitHeads (bytes: Uint8Array): Uint8Array[] {
  if (bytes.length % TREE_HEAD_BYTES !== 0) throw new MalformedInputError('a log-heads answer is a whole number of tree heads')
  return Array.from({ length: bytes.length / TREE_HEAD_BYTES }, (_, i) => bytes.slice(i * TREE_HEAD_BYTES, (i + 1) * TREE_HEAD_BYTES))
}

export function libp2pMesh (libp2p: DakLibp2p, now: () => number, accepted: AcceptedEnvelopes = new WeakMap()): MeshPort {
  const pubsub = libp2p.services.pubsub
  const directory = libp2p.services.directory
  const rpc = createRpc(libp2p, directory)

  return {
    async publish (topic, envelope) {
      // Publishing with nobody subscribed still marks the message as seen in
      // gossipsub's cache, which would block the retry for two minutes: don't.
      if (pubsub.getSubscribers(topic).length === 0) return { reached: 0, gossipedTo: [] }
      try {
        const result = await pubsub.publish(topic, envelope)
        if (result.recipients.length > 0) return { reached: result.recipients.length, gossipedTo: result.recipients.map(peer => peer.toString()) }
      } catch {
        // a retry of bytes gossipsub has seen: hand it to the subscribers directly below
      }
      let reached = 0
      for (const peer of pubsub.getSubscribers(topic)) {
        if (!directory.isVerified(peer)) continue
        try {
          await rpc.request(peer, DELIVER_PROTOCOL, envelope, { maxResponseBytes: 16 })
          reached++
        } catch {
          // that member is unreachable now; the outbox retries
        }
      }
      // handed over directly, not by gossip: a department node does not store these
      return { reached, gossipedTo: [] }
    },
    subscribe: (topic) => { pubsub.subscribe(topic) },
    unsubscribe: (topic) => { pubsub.unsubscribe(topic) },
    onEnvelope (handler) {
      const listener = (event: CustomEvent<{ topic: string, data: Uint8Array }>): void => {
        let envelope: OpenedEnvelope | undefined = accepted.get(event.detail.data)
        if (envelope == null) {
          try {
            envelope = openEnvelope(event.detail.data, now())
          } catch {
            return // the validator let it through but it no longer opens (clock moved): drop
          }
        }
        if (envelope.topic !== event.detail.topic) return
        log('gossip %s on %s', toHex(envelope.id).slice(0, 12), envelope.topic.slice(0, 14))
        handler(envelope)
      }
      pubsub.addEventListener('message', listener as unknown as EventListener)
      return () => { pubsub.removeEventListener('message', listener as unknown as EventListener) }
    },
    verifiedPeers (): Certificate[] {
      return directory.peers().map(p => p.certificate)
    },
    onPeersChanged (handler) {
      const listener = (): void => { handler() }
      directory.addEventListener('peer:verified', listener)
      libp2p.addEventListener('peer:disconnect', listener)
      return () => {
        directory.removeEventListener('peer:verified', listener)
        libp2p.removeEventListener('peer:disconnect', listener)
      }
    },
    onPeerSubscribed (handler) {
      const tell = (peerId: PeerId, topics: string[], how: PeerSubscription): void => {
        if (topics.length === 0) return
        const verified = directory.peers().find(p => p.peer.equals(peerId))
        if (verified != null) handler(verified.certificate, topics, how)
      }
      // its subscriptions, as announced; and a GRAFT either way: the two are in each other's mesh
      // for the topic (so what either relays from now on reaches the other)
      const subscribed = (event: CustomEvent<{ peerId: PeerId, subscriptions: Array<{ topic: string, subscribe: boolean }> }>): void => {
        tell(event.detail.peerId, event.detail.subscriptions.filter(s => s.subscribe).map(s => s.topic), 'announced')
      }
      const grafted = (event: CustomEvent<{ peerId: PeerId, topic: string, direction: string }>): void => {
        tell(event.detail.peerId, [event.detail.topic], event.detail.direction === 'inbound' ? 'peer-grafted' : 'we-grafted')
      }
      pubsub.addEventListener('subscription-change', subscribed as unknown as EventListener)
      pubsub.addEventListener('gossipsub:graft', grafted as unknown as EventListener)
      return () => {
        pubsub.removeEventListener('subscription-change', subscribed as unknown as EventListener)
        pubsub.removeEventListener('gossipsub:graft', grafted as unknown as EventListener)
      }
    },
    async requestKeyPackage (deviceKey) {
      const peer = directory.peers().find(p => toHex(p.certificate.devicePublicKey) === toHex(deviceKey))
      if (peer == null) throw new PeerNotConnectedError('that officer\'s device is not connected and no department node has a key package for it')
      return await rpc.request(peer.peer, KEY_PACKAGE_PROTOCOL, new Uint8Array(0), { maxResponseBytes: MAX_KEY_PACKAGE_RESPONSE })
    },
    async serveEnvelopes (receive) {
      await rpc.handle(DELIVER_PROTOCOL, async (bytes) => { await receive(bytes); return new Uint8Array(0) }, { maxRequestBytes: MAX_ENVELOPE_BYTES + 1024, maxResponseBytes: 16 })
    },
    async serveKeyPackages (make) {
      await rpc.handle(KEY_PACKAGE_PROTOCOL, async () => await make(), { maxRequestBytes: 16, maxResponseBytes: MAX_KEY_PACKAGE_RESPONSE, rate: KEY_PACKAGE_RATE })
    },
    async requestLogHeads (deviceKey) {
      const peer = directory.peers().find(p => toHex(p.certificate.devicePublicKey) === toHex(deviceKey))
      if (peer == null) throw new PeerNotConnectedError('that device is not connected')
      return splitHeads(await rpc.request(peer.peer, LOG_HEADS_PROTOCOL, new Uint8Array(0), { maxResponseBytes: MAX_LOG_HEADS * TREE_HEAD_BYTES }))
    },
    async requestCarry (deviceKey, request) {
      const peer = directory.peers().find(p => toHex(p.certificate.devicePublicKey) === toHex(deviceKey))
      if (peer == null) throw new PeerNotConnectedError('that device is not connected')
      return await rpc.request(peer.peer, CARRY_PROTOCOL, request, { maxResponseBytes: CARRY_MAX_ANSWER_BYTES })
    },
    async serveCarry (answer) {
      await rpc.handle(CARRY_PROTOCOL, async (request, context) => {
        const from = directory.get(context.peer)
        // the rpc layer admits verified peers only; checked again because membership is decided on this certificate
        if (from == null) throw new PeerNotVerifiedError('carry is for peers with a valid certificate')
        return await answer(request, from)
      }, { maxRequestBytes: CARRY_MAX_REQUEST_BYTES, maxResponseBytes: CARRY_MAX_ANSWER_BYTES, rate: CARRY_RATE })
    },
    async serveLogHeads (heads) {
      await rpc.handle(LOG_HEADS_PROTOCOL, async () => concatBytes(...heads().slice(0, MAX_LOG_HEADS)), { maxRequestBytes: 0, maxResponseBytes: MAX_LOG_HEADS * TREE_HEAD_BYTES })
    }
  }
}
