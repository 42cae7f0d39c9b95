import { messageId } from '@dak/protocol'
import { gossipsub, StrictNoSign, TopicValidatorResult, type GossipSub, type GossipSubComponents, type GossipsubOpts, type TopicValidatorFn } from '@libp2p/gossipsub'
import { MAX_GOSSIP_RPC_BYTES } from './constants.js'
import { forgetPeerOnlyWhenItsStreamFails, gatedRegistrar, gossipPeerState } from './gossip-gate.js'
import { logGossipView } from './gossip-view-log.js'
import { FloodingError } from './limit-errors.js'
import { DEFAULT_GOSSIP_RATE, limitsFor, type PeerLimits } from './peer-limits.js'
import type { PeerDirectory } from './peer-directory.js'

/**
 * Gossipsub as Dak runs it. docs/network.md explains each choice; in short:
 * no gossipsub signatures (the envelope is signed by the device already), the
 * message id is the envelope's own id, meshes sized for small groups, and
 * only verified peers ever reach gossipsub (see gossip-gate.ts).
 */

export interface DakGossipOptions {
  /** Mesh degree and bounds; defaults suit conversations of a handful to a few dozen devices. */
  D?: number
  Dlo?: number
  Dhi?: number
  Dlazy?: number
  heartbeatIntervalMs?: number
  /**
   * Validates every message on a topic that has no validator of its own in
   * `pubsub.topicValidators` (normally envelopeValidator). Without one,
   * messages on such topics are dropped: nothing is relayed unchecked.
   */
  fallbackValidator?: TopicValidatorFn
}

/**
 * Small meshes: a conversation has few members, and on 2G links every
 * duplicate copy costs. D=4 keeps two independent paths even with two mesh
 * peers down; Dout=2 keeps outbound (dialled by us, harder to eclipse) links.
 */
export const DAK_MESH = { D: 4, Dlo: 3, Dhi: 8, Dlazy: 4, Dout: 2, Dscore: 2 } as const

/** Below gossipsub's default graylist threshold (-80): a peer refused by the gate is ignored at once. */
const REFUSED_SCORE = -1_000

/** Key of gossip in the peer limits (not a libp2p protocol id, so it never collides with one). */
const GOSSIP_LIMIT_KEY = 'gossip'

/**
 * topicValidators that answers for every topic: its own validator, else the
 * fallback; each message first charges the peer that forwarded it (peer-limits.ts),
 * so a flood of fresh, valid-looking envelopes costs a bucket lookup each, not a
 * signature check, and a peer that keeps flooding is cut off.
 */
class ValidatorsWithFallback extends Map<string, TopicValidatorFn> {
  constructor (private readonly fallback: TopicValidatorFn, private readonly limits: PeerLimits, private readonly reject: (peer: Parameters<TopicValidatorFn>[0], error: FloodingError) => void) {
    super()
  }

  override get (topic: string): TopicValidatorFn {
    const validator = super.get(topic) ?? this.fallback
    return async (peer, message) => {
      const verdict = this.limits.admit(peer.toString(), GOSSIP_LIMIT_KEY, DEFAULT_GOSSIP_RATE)
      if (verdict === 'ok') return await validator(peer, message)
      if (verdict === 'cut-off') this.reject(peer, new FloodingError('too many gossip messages over the limit; disconnected'))
      // Ignore, not Reject: gossipsub's own penalty would double the app score's
      return TopicValidatorResult.Ignore
    }
  }
}

/** Not Reject: a topic we have no validator for is our gap, not the forwarder's fault. */
const ignoreUnvalidated: TopicValidatorFn = () => TopicValidatorResult.Ignore

/** What the score asks of the certificate gate, by peer id string (all gossipsub's score function has). */
export interface ScoredPeers {
  isVerifiedId: (peerId: string) => boolean
  /** Refused by a verdict and still denied. Absent: every peer not verified counts as refused. */
  isRefusedId?: (peerId: string) => boolean
}

/**
 * The application's part of a peer's gossip score: its flooding penalty
 * (peer-limits.ts), and far below the graylist threshold once the gate has
 * refused it (a verdict: revoked, flooding, a bad certificate).
 *
 * Not for a peer that merely went away. Gossipsub scores a peer as it forgets
 * it, keeps a score of 0 or less for an hour, and caches it for a heartbeat;
 * the directory forgets the peer's verification at the same disconnect. A
 * reloaded page that came back within that heartbeat was graylisted, its
 * subscriptions and GRAFTs dropped, and it got no live text until the
 * gossip gate asked again seconds later (test/web/reload-live.test.ts).
 */
export function appScore (peerId: string, peers: ScoredPeers, limitScore: (peerId: string) => number = () => 0): number {
  if (peers.isVerifiedId(peerId)) return limitScore(peerId)
  const refused = peers.isRefusedId?.(peerId) ?? true
  return refused ? REFUSED_SCORE : limitScore(peerId)
}

export function gossipOptions (options: DakGossipOptions, peers: ScoredPeers, limitScore: (peerId: string) => number = () => 0): Partial<GossipsubOpts> {
  const D = options.D ?? DAK_MESH.D
  const Dlo = options.Dlo ?? Math.min(DAK_MESH.Dlo, D)
  return {
    D,
    Dlo,
    Dhi: options.Dhi ?? Math.max(DAK_MESH.Dhi, D),
    Dlazy: options.Dlazy ?? DAK_MESH.Dlazy,
    // gossipsub requires Dout < Dlo and Dout <= D / 2
    Dout: Math.max(0, Math.min(DAK_MESH.Dout, Math.floor(D / 2), Dlo - 1)),
    Dscore: Math.min(DAK_MESH.Dscore, D),
    heartbeatInterval: options.heartbeatIntervalMs ?? 1_000,
    // the Dak envelope is signed by the device key; signing again with the
    // same key would only add 100 bytes and a second verification per hop
    globalSignaturePolicy: StrictNoSign,
    // the message id is the envelope id (SHA-256 of its bytes): the same id
    // the store, the receipts and the inbox dedupe by
    msgIdFn: (message) => messageId(message.data),
    // peers that speak only floodsub are not Dak nodes
    fallbackToFloodsub: false,
    // own messages go to every member we are connected to, not only to the
    // mesh: the lowest latency for small groups
    floodPublish: true,
    // offline publish must fail, not be remembered as published: the outbox
    // keeps the envelope and publishes again when a peer appears, and a
    // zero-peer publish would put the id in the seen-cache and drop the retry
    allowPublishToZeroTopicPeers: false,
    maxInboundDataLength: MAX_GOSSIP_RPC_BYTES,
    scoreParams: {
      // second line of defence behind the gate: a refused peer is graylisted
      // and a peer that floods is scored down, below the graylist threshold once cut off (peer-limits.ts)
      appSpecificScore: (peerId) => appScore(peerId, peers, limitScore),
      appSpecificWeight: 1,
      // officers share office NATs; identities come from certificates, not IPs
      IPColocationFactorWeight: 0
    }
  }
}

/**
 * The pubsub service factory. It must be listed after the `directory` service
 * in libp2p's services: it takes the directory from the components.
 */
export function dakGossip (options: DakGossipOptions = {}, waitMs: number): (components: GossipSubComponents & { directory: PeerDirectory }) => GossipSub {
  return (components) => {
    const { directory } = components
    const limits = limitsFor(directory)
    let pubsub: GossipSub | undefined
    pubsub = gossipsub(gossipOptions(options, { isVerifiedId: (id) => directory.isVerifiedId(id), isRefusedId: (id) => directory.isRefusedId(id) }, (id) => limits.score(id)))({
      peerId: components.peerId,
      privateKey: components.privateKey,
      peerStore: components.peerStore,
      connectionManager: components.connectionManager,
      logger: components.logger,
      registrar: gatedRegistrar(components.registrar, directory, waitMs, () => gossipPeerState(pubsub))
    })
    pubsub.topicValidators = new ValidatorsWithFallback(options.fallbackValidator ?? ignoreUnvalidated, limits, (peer, error) => { directory.reject(peer, error) })
    forgetPeerOnlyWhenItsStreamFails(pubsub)
    logGossipView(pubsub)
    return pubsub
  }
}
