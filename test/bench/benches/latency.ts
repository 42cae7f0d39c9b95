import { EnvelopeKind, sealEnvelope } from '@dak/protocol'
import { DeliveryLog } from '../lib/delivery.js'
import { deliveryNote, paced, route, warmUp } from '../lib/flood.js'
import { at, buildGroup, NOW } from '../lib/mls.js'
import { joinTopic, listenRaw, rawPayload, ringWithChords, startDakMesh, startRawMesh, stopAll, validateTopic } from '../lib/net.js'
import { receiveOpened, sendText, topicFor } from '../lib/pipeline.js'
import { fillerBytes, quantile, ratio, serialQueue, sig } from '../lib/stats.js'
import { engineHooks } from '../engine/hooks.js'
import { engineLatency, pendingFigure } from '../engine/measure.js'
import type { BenchContext, BenchResult, Benchmark, Figure } from '../lib/types.js'

/**
 * Figure 2: latency from publish to each receiver, 20 nodes on a ring with
 * chords (4 neighbours each, so most messages cross relays), senders taking
 * turns, at a steady rate well below saturation. Tiers as in throughput:
 * raw gossipsub, Dak network layer (no MLS), Dak network + MLS (no storage,
 * the engine proxy), and the engine itself (hook).
 */

const NODES = 20
/** Members of the engine group: full devices, each with its store and messenger. */
const ENGINE_MEMBERS = 20

interface Sizes { messages: number, warm: number, intervalMs: number, drainMs: number }

function sizes (quick: boolean): Sizes {
  // 4 messages/s: the Dak tiers spend ~100 ms of CPU per message on 20 nodes in this one process
  // (19 envelope signature checks + 19 decryptions), so a faster rate would measure queueing, not latency.
  // Warm-up: every node publishes once before measuring (first stream opens, cold code), quick: five of them.
  return quick ? { messages: 8, warm: 5, intervalMs: 250, drainMs: 10_000 } : { messages: 80, warm: NODES, intervalMs: 250, drainMs: 30_000 }
}

interface Latency { p50: number, p99: number, fullP99: number, note?: string }

function summarise (log: DeliveryLog, complete: boolean): Latency {
  return {
    p50: quantile(log.latencies, 0.5),
    p99: quantile(log.latencies, 0.99),
    fullP99: quantile(log.fullDeliveryTimes(), 0.99),
    note: deliveryNote(log, complete)
  }
}

async function raw (s: Sizes, payloadBytes: number, progress: (m: string) => void): Promise<Latency> {
  const { nodes, edges } = await startRawMesh(NODES)
  try {
    const topic = topicFor('raw latency')
    await joinTopic(nodes, edges, topic)
    const log = new DeliveryLog(s.messages, NODES)
    const warm = new DeliveryLog(s.warm, NODES)
    listenRaw(nodes, topic, route(warm, log))
    const send = async (index: number, k: number, target: DeliveryLog): Promise<void> => {
      const publisher = k % NODES
      const payload = rawPayload(index, payloadBytes)
      target.sent(k, publisher)
      await at(nodes, publisher).services.pubsub.publish(topic, payload)
    }
    await warmUp(warm, async (index, k) => { await send(index, k, warm) })
    progress(`  raw gossipsub: ${NODES} nodes meshed, ${s.messages} messages every ${s.intervalMs} ms`)
    const run = await paced(log, s.messages, s.intervalMs, s.drainMs, async (k) => { await send(k, k, log) })
    return summarise(log, run.complete)
  } finally {
    await stopAll(nodes)
  }
}

async function dak (s: Sizes, progress: (m: string) => void): Promise<{ net: Latency, mls: Latency, envelopeBytes: number }> {
  progress(`  building a ${NODES}-member MLS group`)
  const group = await buildGroup(NODES, 'lat')
  const states = group.states
  const probe = await sendText(at(states, 0), at(group.devices, 0).device, topicFor('probe'), 0, 0)
  states[0] = probe.state
  const { nodes, edges } = await startDakMesh(group.devices)
  try {
    const devices = group.devices.map(d => d.device.publicKey)

    const netTopic = topicFor('dak net latency')
    const netLog = new DeliveryLog(s.messages, NODES)
    const netWarm = new DeliveryLog(s.warm, NODES)
    const netArrived = route(netWarm, netLog)
    validateTopic(nodes, netTopic, devices, (i, verdict) => { netArrived(verdict.envelope?.senderSeq ?? -1, i) })
    await joinTopic(nodes, edges, netTopic)
    const sendNet = async (index: number, k: number, target: DeliveryLog): Promise<void> => {
      const publisher = k % NODES
      // Timed from the moment the sender is asked to send: sealing (an Ed25519 signature) is part of it.
      target.sent(k, publisher)
      const envelope = sealEnvelope(at(group.devices, publisher).device, { kind: EnvelopeKind.APPLICATION, topic: netTopic, timestamp: NOW, senderSeq: index, payload: fillerBytes(probe.envelope.payload.length, index + 1) })
      await at(nodes, publisher).services.pubsub.publish(netTopic, envelope.bytes)
    }
    await warmUp(netWarm, async (index, k) => { await sendNet(index, k, netWarm) })
    progress(`  dak net: ${NODES} nodes verified and meshed`)
    const netRun = await paced(netLog, s.messages, s.intervalMs, s.drainMs, async (k) => { await sendNet(k, k, netLog) })

    const queues = nodes.map(() => serialQueue())
    const mlsTopic = topicFor('dak mls latency')
    const mlsLog = new DeliveryLog(s.messages, NODES)
    const mlsWarm = new DeliveryLog(s.warm, NODES)
    const mlsArrived = route(mlsWarm, mlsLog)
    const seqs = new Array<number>(NODES).fill(0)
    validateTopic(nodes, mlsTopic, devices, (i, verdict) => {
      const envelope = verdict.envelope
      if (envelope == null) return
      void at(queues, i)(async () => {
        try {
          const received = await receiveOpened(at(states, i), envelope)
          states[i] = received.state
          mlsArrived(received.index, i)
        } catch (err) {
          mlsLog.error(err)
        }
      })
    })
    await joinTopic(nodes, edges, mlsTopic)
    const sendMls = async (index: number, k: number, target: DeliveryLog): Promise<void> => {
      const publisher = k % NODES
      // Timed from the moment the sender is asked to send: encryption and sealing are part of the latency.
      target.sent(k, publisher)
      await at(queues, publisher)(async () => {
        const seq = (seqs[publisher] ?? 0) + 1
        seqs[publisher] = seq
        const sent = await sendText(at(states, publisher), at(group.devices, publisher).device, mlsTopic, index, seq)
        states[publisher] = sent.state
        await at(nodes, publisher).services.pubsub.publish(mlsTopic, sent.envelope.bytes)
      })
    }
    await warmUp(mlsWarm, async (index, k) => { await sendMls(index, k, mlsWarm) })
    progress('  dak net + MLS')
    const mlsRun = await paced(mlsLog, s.messages, s.intervalMs, s.drainMs, async (k) => { await sendMls(k, k, mlsLog) })
    return { net: summarise(netLog, netRun.complete), mls: summarise(mlsLog, mlsRun.complete), envelopeBytes: probe.envelope.bytes.length }
  } finally {
    await stopAll(nodes)
  }
}

function p99Figure (key: string, label: string, dakLatency: Latency, rawLatency: Latency, target?: string): Figure {
  const r = ratio(dakLatency.p99, rawLatency.p99)
  return {
    key,
    label,
    value: sig(dakLatency.p99),
    unit: 'ms p99',
    baseline: { label: 'raw gossipsub p99', value: sig(rawLatency.p99), unit: 'ms' },
    ratio: r,
    ...(target != null ? { target: { text: target, met: r <= 1.5 } } : {}),
    note: [`p50 ${sig(dakLatency.p50)} ms (raw ${sig(rawLatency.p50)} ms); last receiver p99 ${sig(dakLatency.fullP99)} ms (raw ${sig(rawLatency.fullP99)} ms)`, dakLatency.note].filter(Boolean).join('; ')
  }
}

async function engineFigures (bench: BenchContext, s: Sizes, rawLatency: Latency): Promise<Figure[]> {
  const start = engineHooks.startGroup
  const label = 'Dak end to end (messenger engine)'
  if (start == null) return [pendingFigure('latency.engine-p99-vs-raw', `${label}, p99 ÷ raw gossipsub p99`, 'ms p99', 'startGroup', '≤ 1.5× raw gossipsub p99')]
  // --quick: skipped, to keep the smoke run under a minute (throughput and catch-up smoke-test the engine hooks).
  if (bench.quick) return [{ ...pendingFigure('latency.engine-p99-vs-raw', `${label}, p99 ÷ raw gossipsub p99`, 'ms p99', 'startGroup', '≤ 1.5× raw gossipsub p99'), pending: 'full runs only (skipped with --quick)' }]
  const members = ENGINE_MEMBERS
  bench.progress(`messenger engine, ${members} members`)
  const group = await start({ members, edges: ringWithChords(members), tmpDir: bench.tmpDir, progress: bench.progress })
  try {
    // The same pace as the other tiers: receipts are coalesced and sent by two members per text
    // (node/src/messenger/receipts.ts), so a text costs ~20 decryptions here, not ~400.
    const measured = await engineLatency(group, s.messages, s.intervalMs, s.drainMs)
    const engine = { ...measured, note: [members !== NODES ? `${members} members, baseline ${NODES} nodes` : undefined, `${s.messages} texts, one every ${s.intervalMs} ms`, measured.note].filter(Boolean).join('; ') || undefined }
    return [p99Figure('latency.engine-p99-vs-raw', `${label}, ${members} members, p99 ÷ raw gossipsub p99`, engine, rawLatency, '≤ 1.5× raw gossipsub p99')]
  } finally {
    await group.stop()
  }
}

async function run (bench: BenchContext): Promise<BenchResult> {
  const s = sizes(bench.quick)
  bench.progress(`Dak nodes, ${NODES} nodes`)
  const dakLatency = await dak(s, bench.progress)
  bench.progress(`raw gossipsub, ${NODES} nodes`)
  const rawLatency = await raw(s, dakLatency.envelopeBytes, bench.progress)
  const figures: Figure[] = [
    {
      key: 'latency.raw',
      label: `raw gossipsub, ${NODES} nodes, ${dakLatency.envelopeBytes} B payloads`,
      value: sig(rawLatency.p99),
      unit: 'ms p99',
      note: [`p50 ${sig(rawLatency.p50)} ms; last receiver p99 ${sig(rawLatency.fullP99)} ms`, rawLatency.note].filter(Boolean).join('; ')
    },
    p99Figure('latency.dak-net-p99-vs-raw', 'Dak network layer (gate + envelope validator, no MLS), p99', dakLatency.net, rawLatency),
    p99Figure('latency.net-mls-p99-vs-raw', 'Dak network + MLS, no storage (engine proxy), p99', dakLatency.mls, rawLatency, '≤ 1.5× raw p99 (proxy: no storage)'),
    ...await engineFigures(bench, s, rawLatency)
  ]
  return { figures, details: { nodes: NODES, sizes: s, raw: rawLatency, dakNet: dakLatency.net, dakNetMls: dakLatency.mls } }
}

export const latency: Benchmark = {
  id: 'latency',
  title: `Latency p50/p99, ${NODES} nodes`,
  budgetSeconds: { full: 90, quick: 20 },
  run
}
