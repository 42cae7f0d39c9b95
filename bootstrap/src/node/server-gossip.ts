import { createTopicScoreParams, type PeerScoreParams, type TopicScoreParams } from '@libp2p/gossipsub/score'
import type { GossipSub } from '@libp2p/gossipsub'

/**
 * Gossipsub peer scoring for a department node. The shared Dak settings
 * (node/src/net/gossip.ts) score only the certificate (verified or not); a
 * hub that every device of a department talks to also scores behaviour per
 * topic, so a certified device that forwards envelopes the validator rejects
 * is soon left out of the node's gossip, while quiet conversations (most of
 * them) cost honest members nothing.
 *
 * gossipsub reads topic parameters from `score.params.topics[topic]` at each
 * scoring, so they are added as the node subscribes. Its public type does
 * not show `score`; if a gossipsub version moved it, tuning is skipped and
 * `isTunedForServer` says so (a test checks it).
 */

/**
 * Per topic. An invalid envelope costs 50 points squared per count (one
 * drops a peer below gossipsub's publish threshold of −50, two below the
 * graylist threshold of −80) and is forgotten slowly (×0.97 per second,
 * half-life ≈ 23 s). Mesh-delivery penalties are off: a conversation is
 * silent most of the time and that is no fault of the mesh peers.
 */
export const SERVER_TOPIC_SCORE: Partial<TopicScoreParams> = {
  topicWeight: 1,
  timeInMeshWeight: 0.01,
  timeInMeshQuantum: 1_000,
  timeInMeshCap: 3_600,
  firstMessageDeliveriesWeight: 1,
  firstMessageDeliveriesDecay: 0.9,
  firstMessageDeliveriesCap: 50,
  meshMessageDeliveriesWeight: 0,
  meshFailurePenaltyWeight: 0,
  invalidMessageDeliveriesWeight: -50,
  invalidMessageDeliveriesDecay: 0.97
}

interface Scored {
  score?: { params?: PeerScoreParams }
}

function paramsOf (pubsub: GossipSub): PeerScoreParams | undefined {
  const params = (pubsub as unknown as Scored).score?.params
  return params != null && typeof params.topics === 'object' ? params : undefined
}

/** Wraps the pubsub service factory: same service, with topics scored as they are subscribed. */
export function serverGossip<C> (factory: (components: C) => GossipSub): (components: C) => GossipSub {
  return (components) => {
    const pubsub = factory(components)
    const params = paramsOf(pubsub)
    if (params == null) return pubsub
    const subscribe = pubsub.subscribe.bind(pubsub)
    pubsub.subscribe = (topic: string) => {
      params.topics[topic] ??= createTopicScoreParams(SERVER_TOPIC_SCORE)
      subscribe(topic)
    }
    return pubsub
  }
}

/** Whether `topic` is scored with the server's parameters on this pubsub. */
export function isTunedForServer (pubsub: GossipSub, topic: string): boolean {
  return paramsOf(pubsub)?.topics[topic]?.invalidMessageDeliveriesWeight === SERVER_TOPIC_SCORE.invalidMessageDeliveriesWeight
}
