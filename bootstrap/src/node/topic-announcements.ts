import { bytesEqual, type Certificate } from '@dak/protocol'
import { inboxTopic, isConversationTopic, isInboxTopic } from '@dak/protocol/department'
import type { GossipSub } from '@libp2p/gossipsub'

/**
 * Which of the node's subscriptions each peer is told about.
 *
 * Gossipsub announces every topic it subscribes to to every connected peer
 * (at connect, and to all of them at each new subscription). A department
 * node subscribes to every conversation its devices registered and to every
 * device's inbox, so any enrolled device connected to it learnt every
 * conversation's topic id, each new one as it was made, and from then on
 * could subscribe to it and watch its traffic (docs/network.md, "What the
 * node announces"). Here the node's announcements are filtered per peer:
 *
 * - a conversation topic only to a device that registered it at this node
 *   (registration is for members only: protocols/topic-access.ts);
 * - an inbox topic only to the device it belongs to;
 * - both to another department node (isDepartmentNode), which stores them too;
 * - the department's control and officers topics to everyone, as before.
 *
 * A device's registration comes after it connected, so the node announces the
 * topics it already holds to that device when it registers them (`registered`).
 * An unsubscription is filtered the same way: telling a peer that the node left
 * a topic tells it the topic.
 *
 * Inbound, a subscription to (or GRAFT for) an inbox is taken from its own
 * device only, so nobody has the node relay another device's Welcomes.
 *
 * It replaces gossipsub's `sendSubscriptions`, `handleReceivedSubscription`
 * and `handleGraft`, private methods (17.1.1), on
 * this one instance; `isFiltering` tells whether it took (a test checks it),
 * so a gossipsub upgrade that renames it is noticed, not silently leaky.
 */

export interface AnnouncementPolicy {
  /** The certificate a verified peer presented, by peer id string. */
  certificateOf: (peer: string) => Certificate | undefined
  /** Another node of a department this node trusts (it stores conversations too). */
  isDepartmentNode: (certificate: Certificate) => boolean
  /** The topics a device registered here. */
  registeredTopics: (deviceKey: Uint8Array) => Promise<string[]>
  onError: (err: unknown) => void
}

type Send = (toPeer: string, topics: string[], subscribe: boolean) => void
type ReceiveSubscription = (from: { toString: () => string }, topic: string, subscribe: boolean) => boolean
type HandleGraft = (id: string, graft: Array<{ topicID?: string }>) => Promise<unknown>

export interface TopicAnnouncements {
  /** A device registered `topics`: announce those the node is subscribed to, to each of its connections. */
  registered: (deviceKey: Uint8Array, topics: string[], peers: Array<{ peer: string, certificate: Certificate }>) => void
  /**
   * A peer's certificate was just verified. Gossipsub announced the node's
   * topics when the connection opened, before the certificate exchange ended,
   * so the guarded ones went nowhere: announce now what this peer may know. (A
   * reloaded tab that reconnected was otherwise never told, did not graft the
   * node, and got nothing live while the node's prune backoff for its old
   * connection lasted: test/web/everyday.test.ts.)
   */
  verified: (peer: string) => void
}

const FILTERED = new WeakSet<GossipSub>()

function isPrivate (topic: string): boolean {
  return isConversationTopic(topic) || isInboxTopic(topic)
}

export function announceTopicsPerPeer (pubsub: GossipSub, policy: AnnouncementPolicy): TopicAnnouncements {
  const target = pubsub as unknown as { sendSubscriptions?: Send }
  const original = target.sendSubscriptions?.bind(pubsub)
  if (original == null) throw new Error('gossipsub has no sendSubscriptions: the node cannot keep its topics from other devices (bootstrap/src/node/topic-announcements.ts)')

  const allowedFor = async (peer: string, topics: string[]): Promise<string[]> => {
    const certificate = policy.certificateOf(peer)
    if (certificate == null) return []
    if (policy.isDepartmentNode(certificate)) return topics
    const inbox = inboxTopic(certificate.devicePublicKey)
    const registered = topics.some(isConversationTopic) ? new Set(await policy.registeredTopics(certificate.devicePublicKey)) : new Set<string>()
    return topics.filter(topic => topic === inbox || registered.has(topic))
  }

  target.sendSubscriptions = (toPeer, topics, subscribe) => {
    const open = topics.filter(topic => !isPrivate(topic))
    const guarded = topics.filter(isPrivate)
    if (open.length > 0) original(toPeer, open, subscribe)
    if (guarded.length === 0) return
    allowedFor(String(toPeer), guarded)
      .then((allowed) => { if (allowed.length > 0) original(toPeer, allowed, subscribe) })
      .catch(policy.onError)
  }
  // An inbox topic is named by a public device key: anyone could subscribe to another device's inbox
  // (or GRAFT it) and have the node relay the Welcomes sent there. The node takes both from the
  // inbox's own device only. (Conversation topics are not guarded here: their ids are no longer
  // announced, and checking a registration is asynchronous, which these gossipsub hooks are not.)
  const mayTake = (peer: string, topic: string): boolean => {
    if (!isInboxTopic(topic)) return true
    const certificate = policy.certificateOf(peer)
    return certificate != null && (policy.isDepartmentNode(certificate) || topic === inboxTopic(certificate.devicePublicKey))
  }
  const hooks = pubsub as unknown as { handleReceivedSubscription?: ReceiveSubscription, handleGraft?: HandleGraft }
  const receive = hooks.handleReceivedSubscription?.bind(pubsub)
  const graft = hooks.handleGraft?.bind(pubsub)
  if (receive == null || graft == null) throw new Error('gossipsub has no handleReceivedSubscription/handleGraft: the node cannot keep inboxes to their devices (bootstrap/src/node/topic-announcements.ts)')
  hooks.handleReceivedSubscription = (from, topic, subscribe) => !subscribe || mayTake(from.toString(), topic) ? receive(from, topic, subscribe) : false
  hooks.handleGraft = async (id, grafts) => await graft(id, grafts.filter(g => g.topicID == null || mayTake(id, g.topicID)))
  FILTERED.add(pubsub)

  return {
    verified: (peer) => {
      const guarded = pubsub.getTopics().filter(isPrivate)
      if (guarded.length === 0) return
      allowedFor(peer, guarded)
        .then((allowed) => { if (allowed.length > 0) original(peer, allowed, true) })
        .catch(policy.onError)
    },
    registered: (deviceKey, topics, peers) => {
      const held = new Set(pubsub.getTopics())
      const announce = topics.filter(topic => held.has(topic))
      if (announce.length === 0) return
      for (const { peer, certificate } of peers) {
        if (bytesEqual(certificate.devicePublicKey, deviceKey)) original(peer, announce, true)
      }
    }
  }
}

/** Whether this pubsub's announcements go through announceTopicsPerPeer. */
export function isFiltering (pubsub: GossipSub): boolean {
  return FILTERED.has(pubsub)
}
