import { openEnvelope } from '@dak/protocol'
import { inboxTopic, isConversationTopic, isInboxTopic } from '@dak/protocol/department'
import type { GossipSub } from '@libp2p/gossipsub'
import type { EnvelopeStore, TopicRegistry } from '../store/index.js'

/**
 * Store-and-forward over gossip. The node subscribes to every topic a device
 * registered, to each enrolled device's inbox topic (so a Welcome waits for
 * an officer who is offline) and to its department's control topic. Every
 * envelope gossip delivers on those topics has passed the envelope validator
 * (signature, certified unrevoked sender, verified forwarder) and is
 * deposited in the store; duplicates cost one index lookup. As on the
 * deposit path, an envelope on a sequenced conversation's topic is stored only
 * when its sender is a member (`mayStore`, the sequencer's roster): an
 * outsider's gossip is counted (`gossipNotMember`) and not kept.
 */

/** Gossiped envelopes being written at once; past this they are dropped (senders also deposit directly). */
const MAX_INFLIGHT_DEPOSITS = 256

export interface StoreForwardInit {
  pubsub: GossipSub
  store: EnvelopeStore
  topics: TopicRegistry
  controlTopic: string
  now: () => number
  /** Whether `sender` may deposit into `topic` (topic-access.ts `mayUseTopic`, 'write'). */
  mayStore: (topic: string, sender: Uint8Array) => Promise<boolean>
  count: (event: 'gossipStored' | 'gossipDuplicate' | 'gossipRefused' | 'gossipDropped' | 'gossipNotMember') => void
  /** Told about every gossiped envelope once it is durable (or found stored already). */
  onStored?: (stored: StoredFromGossip) => void
}

export interface StoredFromGossip {
  topic: string
  sequence: number
  duplicate: boolean
}

export class StoreForward {
  private readonly inboxes = new Set<string>()
  private inflight = 0
  private readonly idle = new Set<() => void>()

  constructor (private readonly init: StoreForwardInit) {}

  /** Subscribe to everything kept here and start storing what arrives. */
  async start (enrolledDevices: Uint8Array[]): Promise<void> {
    const { pubsub } = this.init
    pubsub.addEventListener('message', this.onMessage)
    pubsub.subscribe(this.init.controlTopic)
    for (const device of enrolledDevices) this.keepInbox(device)
    for await (const topic of this.init.topics.topics()) pubsub.subscribe(topic)
  }

  /** Stop storing; resolves once the deposits under way are written. */
  async stop (): Promise<void> {
    this.init.pubsub.removeEventListener('message', this.onMessage)
    if (this.inflight > 0) await new Promise<void>((resolve) => this.idle.add(resolve))
  }

  keepInbox (device: Uint8Array): void {
    const topic = inboxTopic(device)
    this.inboxes.add(topic)
    this.init.pubsub.subscribe(topic)
  }

  /** A device's registration replaced its topics: keep the new ones, leave those nobody wants any more. */
  async registered (previous: string[], current: string[]): Promise<void> {
    const { pubsub, topics } = this.init
    const kept = new Set(current)
    for (const topic of current) pubsub.subscribe(topic)
    for (const topic of previous) {
      if (kept.has(topic) || this.inboxes.has(topic) || topic === this.init.controlTopic) continue
      if ((await topics.devicesOf(topic)).length === 0) pubsub.unsubscribe(topic)
    }
  }

  /** Undefined when the sender may not write the topic (the validator made sure the envelope's topic is `topic`). */
  private async depositIfMember (topic: string, data: Uint8Array): Promise<{ sequence: number, duplicate: boolean } | undefined> {
    const now = this.init.now()
    if (isConversationTopic(topic) && !await this.init.mayStore(topic, openEnvelope(data, now).sender)) return undefined
    return await this.init.store.deposit(data, now)
  }

  private readonly onMessage = (evt: CustomEvent<{ topic: string, data: Uint8Array }>): void => {
    const { topic, data } = evt.detail
    // Conversations and inboxes are stored; the control and officers topics carry signed lists and certificates, not envelopes.
    if (!isConversationTopic(topic) && !isInboxTopic(topic)) return
    if (this.inflight >= MAX_INFLIGHT_DEPOSITS) {
      this.init.count('gossipDropped')
      return
    }
    this.inflight++
    this.depositIfMember(topic, data)
      .then((outcome) => {
        if (outcome == null) {
          this.init.count('gossipNotMember')
          return
        }
        this.init.count(outcome.duplicate ? 'gossipDuplicate' : 'gossipStored')
        this.init.onStored?.({ topic, sequence: outcome.sequence, duplicate: outcome.duplicate })
      })
      .catch(() => { this.init.count('gossipRefused') })
      .finally(() => {
        if (--this.inflight === 0) {
          for (const resolve of this.idle) resolve()
          this.idle.clear()
        }
      })
  }
}
