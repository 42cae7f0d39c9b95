import { bytesEqual, EnvelopeKind, RevocationState, sealEnvelope, toHex, TrustStore, utf8, type Authority, type SigningKeyPair } from '@dak/protocol'
import { sha256 } from '@noble/hashes/sha2.js'
import { NOW } from '../../protocol/src/identity/test-fixtures.js'
import { createDakLibp2p, envelopeValidator, type DakLibp2p, type DakNodeLibp2pOptions, type EnvelopeVerdict } from '../../node/src/net/index.js'
import type { PeerId } from '@libp2p/interface'

/**
 * Shared pieces of the network tests: real libp2p nodes on 127.0.0.1, started
 * through the production factory, and bounded waits on events (no sleeps).
 */

export const LOOPBACK_TCP = '/ip4/127.0.0.1/tcp/0'

/** Every node a test starts; stopped in afterEach. */
export const running = new Set<{ stop: () => unknown }>()

export async function stopAll (): Promise<void> {
  const nodes = [...running]
  running.clear()
  await Promise.all(nodes.map(async (node) => { await node.stop() }))
}

export interface Identity {
  device: SigningKeyPair
  certificate?: Uint8Array
}

export interface NodeSetup {
  trust: Authority[]
  revocations?: RevocationState
  listen?: string[]
  options?: Partial<DakNodeLibp2pOptions>
}

/** A Dak node for `who`, trusting `trust`, with the fixed test clock. */
export async function startNode (who: Identity, setup: NodeSetup): Promise<DakLibp2p> {
  const trust = new TrustStore(setup.trust)
  const revocations = setup.revocations ?? new RevocationState()
  const node = await createDakLibp2p({
    deviceSeed: who.device.privateKey,
    certificate: who.certificate,
    verifyContext: () => ({ trust, revocations, now: NOW }),
    listen: setup.listen ?? [LOOPBACK_TCP],
    ...setup.options
  })
  running.add(node)
  return node
}

/**
 * The detail of the first `type` event matching `accept`, or a rejection after
 * `timeoutMs`. The caller names the detail type: EventTarget cannot.
 */
export async function nextEvent<T> (target: EventTarget, type: string, accept: (detail: T) => boolean = () => true, timeoutMs = 5_000): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const listener = (evt: Event): void => {
      const detail = (evt as CustomEvent<T>).detail
      if (!accept(detail)) return
      clearTimeout(timer)
      target.removeEventListener(type, listener)
      resolve(detail)
    }
    const timer = setTimeout(() => {
      target.removeEventListener(type, listener)
      reject(new Error(`no '${type}' event within ${timeoutMs} ms`))
    }, timeoutMs)
    target.addEventListener(type, listener)
  })
}

/** Matches an event about `peer` (directory events carry `{ peer }`, libp2p's the PeerId). */
export function samePeer (peer: PeerId): (detail: { peer: PeerId } | PeerId) => boolean {
  return (detail) => ('peer' in detail ? detail.peer : detail).equals(peer)
}

/** Both directories have verified each other. */
export async function connectVerified (from: DakLibp2p, to: DakLibp2p): Promise<void> {
  const fromSees = nextEvent(from.services.directory, 'peer:verified', samePeer(to.peerId))
  const toSees = nextEvent(to.services.directory, 'peer:verified', samePeer(from.peerId))
  await from.dial(to.getMultiaddrs())
  await Promise.all([fromSees, toSees])
}

/** What one node saw on a topic: delivered messages and every validator verdict. */
export interface TopicLog {
  delivered: Uint8Array[]
  verdicts: EnvelopeVerdict[]
  /** Resolves with the first delivered message whose bytes equal `data`. */
  arrival: (data: Uint8Array, timeoutMs?: number) => Promise<void>
  /** Resolves with the first verdict matching `accept`. */
  verdict: (accept: (v: EnvelopeVerdict) => boolean, timeoutMs?: number) => Promise<EnvelopeVerdict>
}

/**
 * Validate `topic` with the production envelope validator (senders in
 * `knownDevices`, forwarders verified by the node's directory), subscribe, and
 * log what arrives.
 */
export function joinTopic (node: DakLibp2p, topic: string, knownDevices: Uint8Array[]): TopicLog {
  const known = new Set(knownDevices.map(toHex))
  const events = new EventTarget()
  const log: TopicLog = {
    delivered: [],
    verdicts: [],
    arrival: async (data, timeoutMs) => {
      if (log.delivered.some((d) => bytesEqual(d, data))) return
      await nextEvent<Uint8Array>(events, 'delivered', (d) => bytesEqual(d, data), timeoutMs)
    },
    verdict: async (accept, timeoutMs) => {
      const seen = log.verdicts.find(accept)
      if (seen != null) return seen
      return nextEvent<EnvelopeVerdict>(events, 'verdict', accept, timeoutMs)
    }
  }
  node.services.pubsub.topicValidators.set(topic, envelopeValidator({
    now: () => NOW,
    isKnownDevice: (key) => known.has(toHex(key)),
    isVerifiedPeer: (peer) => node.services.directory.isVerified(peer),
    onVerdict: (v) => {
      log.verdicts.push(v)
      events.dispatchEvent(new CustomEvent('verdict', { detail: v }))
    }
  }))
  node.services.pubsub.addEventListener('message', (evt) => {
    if (evt.detail.topic !== topic) return
    log.delivered.push(evt.detail.data)
    events.dispatchEvent(new CustomEvent('delivered', { detail: evt.detail.data }))
  })
  node.services.pubsub.subscribe(topic)
  return log
}

/** Resolves once `node` knows that `peer` is subscribed to `topic`. */
export async function subscribed (node: DakLibp2p, peer: PeerId, topic: string): Promise<void> {
  const pubsub = node.services.pubsub
  const has = (): boolean => pubsub.getSubscribers(topic).some((p) => p.equals(peer))
  if (has()) return
  await nextEvent(pubsub, 'subscription-change', () => has())
}

/** A conversation topic name as the messenger makes them (opaque hex). */
export function testTopic (label: string): string {
  return `dak/c/${toHex(sha256(utf8(label)).subarray(0, 16))}`
}

export function seal (device: SigningKeyPair, topic: string, senderSeq: number, text: string): Uint8Array {
  return sealEnvelope(device, { kind: EnvelopeKind.APPLICATION, topic, timestamp: NOW, senderSeq, payload: utf8(text) }).bytes
}
