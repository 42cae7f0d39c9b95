import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { gossipsub, TopicValidatorResult, type GossipSub } from '@libp2p/gossipsub'
import { identify } from '@libp2p/identify'
import { ping } from '@libp2p/ping'
import { tcp } from '@libp2p/tcp'
import { createLibp2p, type Libp2p } from 'libp2p'
import { toHex } from '@dak/protocol'
import { gossipOptions } from '../../../node/src/net/gossip.js'
import { createDakLibp2p, devicePrivateKey, envelopeValidator, type DakLibp2p, type EnvelopeVerdict } from '../../../node/src/net/index.js'
import { ctx, NOW, type Device } from './mls.js'
import { pool, waitUntil } from './stats.js'

/**
 * libp2p nodes for the network benchmarks, all on 127.0.0.1 in this process.
 *
 * - raw: plain libp2p (TCP, Noise, yamux, identify, ping) with @libp2p/gossipsub
 *   configured exactly as Dak configures it (gossipOptions: mesh degree,
 *   StrictNoSign, message id = SHA-256 of the data, flood publish), but with no
 *   certificate gate, no gated registrar and no topic validator. The raw
 *   library doing the same work.
 * - dak: createDakLibp2p from node/src/net with a real device certificate,
 *   the certificate gate and the production envelope validator on the topic.
 */

export const LOOPBACK_TCP = '/ip4/127.0.0.1/tcp/0'

/** What both kinds have in common: a libp2p node with gossipsub as `pubsub`. */
export type MeshNode = Libp2p<{ pubsub: GossipSub }>

export async function startRawNode (seed: Uint8Array): Promise<MeshNode> {
  return await createLibp2p({
    privateKey: await devicePrivateKey(seed),
    addresses: { listen: [LOOPBACK_TCP] },
    transports: [tcp()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    services: {
      identify: identify(),
      ping: ping(),
      pubsub: gossipsub(gossipOptions({}, { isVerifiedId: () => true }))
    }
  })
}

export async function startDakNode (device: Pick<Device, 'device' | 'certificate'>): Promise<DakLibp2p> {
  return await createDakLibp2p({
    deviceSeed: device.device.privateKey,
    certificate: device.certificate.bytes,
    verifyContext: () => ctx,
    listen: [LOOPBACK_TCP]
  })
}

/**
 * A ring with chords (i–i+1 and i–i+3): every node has four neighbours, the
 * diameter grows slowly, and messages from most publishers cross relays. The
 * same edges for raw and Dak nodes.
 */
export function ringWithChords (n: number): Array<[number, number]> {
  const edges = new Map<string, [number, number]>()
  for (let i = 0; i < n; i++) {
    for (const step of [1, 3]) {
      if (n <= step) continue
      const j = (i + step) % n
      if (i === j) continue
      const key = `${Math.min(i, j)}-${Math.max(i, j)}`
      if (!edges.has(key)) edges.set(key, [i, j])
    }
  }
  return [...edges.values()]
}

export function neighbours (n: number, edges: Array<[number, number]>): number[][] {
  const out: number[][] = Array.from({ length: n }, () => [])
  for (const [a, b] of edges) {
    out[a]?.push(b)
    out[b]?.push(a)
  }
  return out
}

function node<T> (nodes: T[], i: number): T {
  const found = nodes[i]
  if (found === undefined) throw new Error(`no node ${i}`)
  return found
}

/** Dial every edge; for Dak nodes, wait until both ends have verified each other's certificate. */
export async function connect (nodes: MeshNode[], edges: Array<[number, number]>, options: { dak: boolean, timeoutMs?: number }): Promise<void> {
  await pool(edges.length, 8, async (k) => {
    const [a, b] = edges[k] ?? [0, 0]
    await node(nodes, a).dial(node(nodes, b).getMultiaddrs(), { signal: AbortSignal.timeout(10_000) })
  })
  if (options.dak) {
    const dak = nodes as unknown as DakLibp2p[]
    await waitUntil(() => edges.every(([a, b]) =>
      node(dak, a).services.directory.isVerified(node(dak, b).peerId) && node(dak, b).services.directory.isVerified(node(dak, a).peerId)),
    options.timeoutMs ?? 15_000, 'certificate verification on every edge')
  }
}

/**
 * Subscribe every node to `topic`, then wait until each sees its neighbours
 * subscribed and has a mesh for the topic (gossipsub grafts on its 1 s heartbeat).
 */
export async function joinTopic (nodes: MeshNode[], edges: Array<[number, number]>, topic: string, timeoutMs = 20_000): Promise<void> {
  for (const n of nodes) n.services.pubsub.subscribe(topic)
  const near = neighbours(nodes.length, edges)
  await waitUntil(() => nodes.every((n, i) => {
    const subscribers = new Set(n.services.pubsub.getSubscribers(topic).map(p => p.toString()))
    return (near[i] ?? []).every(j => subscribers.has(node(nodes, j).peerId.toString()))
  }), timeoutMs, `subscriptions to ${topic} on every edge`)
  // Dlo is 3 in Dak's settings; a node with fewer neighbours meshes with all of them.
  await waitUntil(() => nodes.every((n, i) => meshPeers(n.services.pubsub, topic).length >= Math.min(3, near[i]?.length ?? 0)),
    timeoutMs, `a gossipsub mesh for ${topic} at every node`)
}

/** The implementation has getMeshPeers; the GossipSub interface type does not declare it. */
export function meshPeers (pubsub: GossipSub, topic: string): string[] {
  const impl = pubsub as unknown as { getMeshPeers?: (topic: string) => string[] }
  if (typeof impl.getMeshPeers !== 'function') throw new Error('this gossipsub has no getMeshPeers')
  return impl.getMeshPeers(topic)
}

/**
 * Validate `topic` at every Dak node with the production envelope validator
 * (known devices = the group, forwarder must be verified) and hand each
 * accepted envelope, with the index of the node that accepted it, to `onAccept`.
 */
export function validateTopic (nodes: DakLibp2p[], topic: string, devices: Uint8Array[], onAccept: (nodeIndex: number, verdict: EnvelopeVerdict) => void): void {
  const known = new Set(devices.map(toHex))
  nodes.forEach((n, i) => {
    n.services.pubsub.topicValidators.set(topic, envelopeValidator({
      now: () => NOW,
      isKnownDevice: (key) => known.has(toHex(key)),
      isVerifiedPeer: (peer) => n.services.directory.isVerified(peer),
      onVerdict: (verdict) => { if (verdict.envelope != null && verdict.result === TopicValidatorResult.Accept) onAccept(i, verdict) }
    }))
  })
}

export async function stopAll (nodes: Array<{ stop: () => void | Promise<void> }>): Promise<void> {
  await Promise.allSettled(nodes.map(async (n) => { await n.stop() }))
}

/** `n` raw nodes, connected as ringWithChords(n). */
export async function startRawMesh (n: number): Promise<{ nodes: MeshNode[], edges: Array<[number, number]> }> {
  const nodes: MeshNode[] = []
  try {
    for (let i = 0; i < n; i++) nodes.push(await startRawNode(rawSeed(i)))
    const edges = ringWithChords(n)
    await connect(nodes, edges, { dak: false })
    return { nodes, edges }
  } catch (err) {
    await stopAll(nodes)
    throw err
  }
}

/** A Dak node per device, connected as ringWithChords, every edge verified. */
export async function startDakMesh (devices: Array<Pick<Device, 'device' | 'certificate'>>): Promise<{ nodes: DakLibp2p[], edges: Array<[number, number]> }> {
  const nodes: DakLibp2p[] = []
  try {
    for (const device of devices) nodes.push(await startDakNode(device))
    const edges = ringWithChords(nodes.length)
    await connect(nodes, edges, { dak: true })
    return { nodes, edges }
  } catch (err) {
    await stopAll(nodes)
    throw err
  }
}

/** Device seeds for raw nodes (any 32 bytes; distinct per node). */
export function rawSeed (i: number): Uint8Array {
  const seed = new Uint8Array(32)
  new DataView(seed.buffer).setUint32(0, 0xbe_ac_00_00 + i)
  return seed
}

/** Count each message on `topic` at raw node i by the index in its first four bytes. */
export function listenRaw (nodes: MeshNode[], topic: string, arrived: (index: number, node: number) => void): void {
  nodes.forEach((n, i) => {
    n.services.pubsub.addEventListener('message', (evt) => {
      if (evt.detail.topic !== topic) return
      const d = evt.detail.data
      if (d.length >= 4) arrived(new DataView(d.buffer, d.byteOffset, d.byteLength).getUint32(0), i)
    })
  })
}

/** A raw payload of `bytes` bytes carrying `index` in its first four bytes. */
export function rawPayload (index: number, bytes: number): Uint8Array {
  const payload = new Uint8Array(bytes)
  for (let i = 4; i < bytes; i++) payload[i] = (index * 31 + i * 7) & 0xff
  new DataView(payload.buffer).setUint32(0, index)
  return payload
}
