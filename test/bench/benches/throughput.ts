import { decode, encode, mlsMessageDecoder, mlsMessageEncoder, createApplicationMessage, processMessage as tsProcessMessage, type ClientState, type MlsFramedMessage } from 'ts-mls'
import { encryptMessage, EnvelopeKind, processMessage, restoreState, sealEnvelope, serialiseState } from '@dak/protocol'
import { DeliveryLog } from '../lib/delivery.js'
import { deliveryNote, flood, route, WARM_MESSAGES, warmUp } from '../lib/flood.js'
import { at, buildGroup, ctx, NOW, rawMlsContext, type Group } from '../lib/mls.js'
import { joinTopic, listenRaw, rawPayload, ringWithChords, startDakMesh, startRawMesh, stopAll, validateTopic } from '../lib/net.js'
import { receiveBytes, receiveOpened, sendText, textContent, topicFor } from '../lib/pipeline.js'
import { fillerBytes, perSecond, ratio, serialQueue, sig } from '../lib/stats.js'
import { engineHooks } from '../engine/hooks.js'
import { engineThroughput, pendingFigure } from '../engine/measure.js'
import type { BenchContext, BenchResult, Benchmark, Figure } from '../lib/types.js'

/**
 * Figure 1: messages per second to a 10-member group (1 sender, 9 receivers),
 * everything in this one process (one thread), so every variant has the same
 * CPU to spend:
 *
 *   raw gossipsub    plain libp2p + gossipsub, payloads of the size of a Dak envelope
 *   crypto floor     MLS encrypt once + decrypt by each of the 9 receivers, no network
 *   pipeline         + AppContent encode/decode + envelope seal/open, no network
 *   dak net          Dak nodes (gate, envelope validator), sealed envelopes, no MLS
 *   dak net + MLS    Dak nodes; receivers decrypt and decode every message (no storage):
 *                    the engine's work minus persistence, until the engine can be measured
 *   engine           the messenger end to end (hook, node/src/messenger)
 */

const MEMBERS = 10

interface Sizes {
  floorMessages: number
  rawMessages: number
  netMessages: number
  mlsMessages: number
  window: number
  timeoutMs: number
}

function sizes (quick: boolean): Sizes {
  return quick
    ? { floorMessages: 9, rawMessages: 200, netMessages: 60, mlsMessages: 10, window: 32, timeoutMs: 20_000 }
    : { floorMessages: 150, rawMessages: 2000, netMessages: 400, mlsMessages: 200, window: 32, timeoutMs: 120_000 }
}

/** The no-network variants, interleaved in rounds so drift (JIT, GC, other load) hits them alike. */
async function noNetwork (group: Group, count: number, progress: (m: string) => void): Promise<{ floor: number, pipeline: number, rawFloor: number }> {
  const states = group.states // advanced in place: the network run continues from them
  // Independent copies for raw ts-mls (Dak zeroes consumed secrets; shared arrays would break the copies).
  const raw: ClientState[] = []
  for (const s of states) raw.push((await restoreState(serialiseState(s))).mls)
  const rawContext = await rawMlsContext()
  const topic = topicFor('no network')
  const plaintext = textContent(0)
  const sender = at(group.devices, 0).device
  let index = 0
  let seq = 0

  const floor = async (m: number): Promise<number> => {
    const start = performance.now()
    for (let k = 0; k < m; k++) {
      const encrypted = await encryptMessage(at(states, 0), plaintext)
      states[0] = encrypted.state
      for (let i = 1; i < states.length; i++) states[i] = (await processMessage(at(states, i), encrypted.messageBytes, ctx)).state
    }
    return performance.now() - start
  }
  const pipeline = async (m: number): Promise<number> => {
    const start = performance.now()
    for (let k = 0; k < m; k++) {
      const sent = await sendText(at(states, 0), sender, topic, index++, seq++)
      states[0] = sent.state
      for (let i = 1; i < states.length; i++) states[i] = (await receiveBytes(at(states, i), sent.envelope.bytes)).state
    }
    return performance.now() - start
  }
  const rawFloor = async (m: number): Promise<number> => {
    const start = performance.now()
    for (let k = 0; k < m; k++) {
      const created = await createApplicationMessage({ context: rawContext, state: at(raw, 0), message: plaintext })
      raw[0] = created.newState
      const bytes = encode(mlsMessageEncoder, created.message)
      for (let i = 1; i < raw.length; i++) {
        const message = decode(mlsMessageDecoder, bytes) as MlsFramedMessage
        const result = await tsProcessMessage({ context: rawContext, state: at(raw, i), message })
        raw[i] = result.newState
      }
    }
    return performance.now() - start
  }

  await floor(2); await pipeline(2); await rawFloor(2) // warm-up
  const totals = { floor: 0, pipeline: 0, rawFloor: 0 }
  const rounds = 3
  for (let r = 0; r < rounds; r++) {
    const m = Math.ceil(count / rounds)
    totals.floor += await floor(m)
    totals.pipeline += await pipeline(m)
    totals.rawFloor += await rawFloor(m)
    progress(`  no-network round ${r + 1}/${rounds}`)
  }
  const n = Math.ceil(count / rounds) * rounds
  return { floor: perSecond(n, totals.floor), pipeline: perSecond(n, totals.pipeline), rawFloor: perSecond(n, totals.rawFloor) }
}

async function rawGossip (n: number, s: Sizes, payloadBytes: number, progress: (m: string) => void): Promise<{ rate: number, note?: string }> {
  const { nodes, edges } = await startRawMesh(n)
  try {
    const topic = topicFor('raw throughput')
    await joinTopic(nodes, edges, topic)
    const log = new DeliveryLog(s.rawMessages, n)
    const warm = new DeliveryLog(WARM_MESSAGES, n)
    listenRaw(nodes, topic, route(warm, log))
    const publisher = at(nodes, 0).services.pubsub
    const send = async (index: number, mark: () => void): Promise<void> => {
      const payload = rawPayload(index, payloadBytes)
      mark()
      await publisher.publish(topic, payload)
    }
    await warmUp(warm, async (index, k) => { await send(index, () => { warm.sent(k, 0) }) })
    progress(`  raw gossipsub: ${n} nodes meshed, publishing ${s.rawMessages}`)
    const run = await flood(log, s.rawMessages, s.window, s.timeoutMs, async (k) => { await send(k, () => { log.sent(k, 0) }) })
    return { rate: perSecond(log.completed, run.ms), note: deliveryNote(log, run.complete) }
  } finally {
    await stopAll(nodes)
  }
}

async function dakNetwork (group: Group, s: Sizes, mlsPayloadBytes: number, progress: (m: string) => void): Promise<{ net: number, netNote?: string, mls: number, mlsNote?: string }> {
  const { nodes, edges } = await startDakMesh(group.devices)
  try {
    const devices = group.devices.map(d => d.device.publicKey)
    const sender = at(group.devices, 0).device

    // Dak network layer: sealed envelopes with an opaque payload of the size of an MLS text message.
    const netTopic = topicFor('dak net throughput')
    const netLog = new DeliveryLog(s.netMessages, nodes.length)
    const netWarm = new DeliveryLog(WARM_MESSAGES, nodes.length)
    const netArrived = route(netWarm, netLog)
    validateTopic(nodes, netTopic, devices, (i, verdict) => { netArrived(verdict.envelope?.senderSeq ?? -1, i) })
    await joinTopic(nodes, edges, netTopic)
    const publisher = at(nodes, 0).services.pubsub
    const sendNet = async (index: number, mark: () => void): Promise<void> => {
      const envelope = sealEnvelope(sender, { kind: EnvelopeKind.APPLICATION, topic: netTopic, timestamp: NOW, senderSeq: index, payload: fillerBytes(mlsPayloadBytes, index + 1) })
      mark()
      await publisher.publish(netTopic, envelope.bytes)
    }
    await warmUp(netWarm, async (index, k) => { await sendNet(index, () => { netWarm.sent(k, 0) }) })
    progress(`  dak net: ${nodes.length} nodes verified and meshed, publishing ${s.netMessages}`)
    const netRun = await flood(netLog, s.netMessages, s.window, s.timeoutMs, async (k) => { await sendNet(k, () => { netLog.sent(k, 0) }) })

    // Dak network + MLS: each node holds its member's group state and works one message at a time.
    const states = [...group.states]
    const queues = nodes.map(() => serialQueue())
    const mlsTopic = topicFor('dak mls throughput')
    const mlsLog = new DeliveryLog(s.mlsMessages, nodes.length)
    const mlsWarm = new DeliveryLog(WARM_MESSAGES, nodes.length)
    const mlsArrived = route(mlsWarm, mlsLog)
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
    let seq = 0
    const sendMls = async (index: number, mark: () => void): Promise<void> => {
      // Timed from the moment the sender is asked to send: encrypting and sealing are part of the work.
      mark()
      await at(queues, 0)(async () => {
        const sent = await sendText(at(states, 0), sender, mlsTopic, index, ++seq)
        states[0] = sent.state
        await publisher.publish(mlsTopic, sent.envelope.bytes)
      })
    }
    await warmUp(mlsWarm, async (index, k) => { await sendMls(index, () => { mlsWarm.sent(k, 0) }) })
    progress(`  dak net + MLS: publishing ${s.mlsMessages}`)
    const mlsRun = await flood(mlsLog, s.mlsMessages, Math.min(s.window, 16), s.timeoutMs, async (k) => { await sendMls(k, () => { mlsLog.sent(k, 0) }) })
    return {
      net: perSecond(netLog.completed, netRun.ms),
      netNote: deliveryNote(netLog, netRun.complete),
      mls: perSecond(mlsLog.completed, mlsRun.ms),
      mlsNote: deliveryNote(mlsLog, mlsRun.complete)
    }
  } finally {
    await stopAll(nodes)
  }
}

/** Dak end to end through the messenger engine, once engine/hooks.ts can start a group. */
async function engineFigures (bench: BenchContext, s: Sizes, floor: number, raw: number): Promise<Figure[]> {
  const label = 'Dak end to end (messenger engine)'
  const start = engineHooks.startGroup
  if (start == null) {
    return [
      pendingFigure('throughput.engine-vs-floor', `${label} ÷ crypto floor`, 'msg/s', 'startGroup', '≥ 0.8 of crypto floor'),
      pendingFigure('throughput.engine-vs-raw', `${label} ÷ raw gossipsub`, 'msg/s', 'startGroup')
    ]
  }
  // --quick: a 3-member group (setup of 10 full devices would not fit a smoke run); the note says so.
  const members = bench.quick ? 3 : MEMBERS
  bench.progress(`messenger engine, ${members} members`)
  const group = await start({ members, edges: ringWithChords(members), tmpDir: bench.tmpDir, progress: bench.progress })
  try {
    // As many texts as the proxy tier, with its window halved: the engine also persists and acknowledges each one.
    const measured = await engineThroughput(group, s.mlsMessages, 16, s.timeoutMs)
    const engine = { ...measured, note: [members !== MEMBERS ? `${members} members (quick), baselines ${MEMBERS}` : undefined, measured.note].filter(Boolean).join('; ') || undefined }
    return [
      {
        key: 'throughput.engine-vs-floor',
        label: `${label} ÷ crypto floor`,
        value: sig(engine.rate),
        unit: 'msg/s',
        baseline: { label: 'crypto floor', value: sig(floor), unit: 'msg/s' },
        ratio: ratio(engine.rate, floor),
        target: { text: '≥ 0.8 of crypto floor', met: ratio(engine.rate, floor) >= 0.8 },
        note: engine.note
      },
      {
        key: 'throughput.engine-vs-raw',
        label: `${label} ÷ raw gossipsub`,
        value: sig(engine.rate),
        unit: 'msg/s',
        baseline: { label: 'raw gossipsub', value: sig(raw), unit: 'msg/s' },
        ratio: ratio(engine.rate, raw)
      }
    ]
  } finally {
    await group.stop()
  }
}

async function run (bench: BenchContext): Promise<BenchResult> {
  const s = sizes(bench.quick)
  bench.progress(`building a ${MEMBERS}-member MLS group`)
  const group = await buildGroup(MEMBERS, 'tput')
  // The size of a real envelope for a 100-byte text: raw gossipsub publishes payloads this big.
  const probe = await sendText(at(group.states, 0), at(group.devices, 0).device, topicFor('probe'), 0, 0)
  group.states[0] = probe.state
  const envelopeBytes = probe.envelope.bytes.length
  const mlsPayloadBytes = probe.envelope.payload.length

  bench.progress(`no network: crypto floor, pipeline, raw ts-mls (${s.floorMessages} messages each)`)
  const offline = await noNetwork(group, s.floorMessages, bench.progress)
  bench.progress(`raw gossipsub, ${MEMBERS} nodes`)
  const raw = await rawGossip(MEMBERS, s, envelopeBytes, bench.progress)
  bench.progress(`Dak nodes, ${MEMBERS} nodes`)
  // The group states moved on in noNetwork; the network run continues from them.
  const dak = await dakNetwork(group, s, mlsPayloadBytes, bench.progress)

  const figures: Figure[] = [
    { key: 'throughput.raw-gossipsub', label: `raw gossipsub, ${MEMBERS} nodes, ${envelopeBytes} B payloads`, value: sig(raw.rate), unit: 'msg/s', note: raw.note },
    {
      key: 'throughput.floor',
      label: `crypto floor: MLS encrypt ×1 + decrypt ×${MEMBERS - 1} (Dak MLS layer)`,
      value: sig(offline.floor),
      unit: 'msg/s',
      baseline: { label: 'raw ts-mls, same work', value: sig(offline.rawFloor), unit: 'msg/s' },
      ratio: ratio(offline.floor, offline.rawFloor)
    },
    {
      key: 'throughput.pipeline-vs-floor',
      label: 'protocol pipeline, no network (content + MLS + envelope)',
      value: sig(offline.pipeline),
      unit: 'msg/s',
      baseline: { label: 'crypto floor', value: sig(offline.floor), unit: 'msg/s' },
      ratio: ratio(offline.pipeline, offline.floor)
    },
    {
      key: 'throughput.dak-net-vs-raw',
      label: 'Dak network layer (gate + envelope validator, sealed envelopes, no MLS)',
      value: sig(dak.net),
      unit: 'msg/s',
      baseline: { label: 'raw gossipsub', value: sig(raw.rate), unit: 'msg/s' },
      ratio: ratio(dak.net, raw.rate),
      note: dak.netNote
    },
    {
      key: 'throughput.net-mls-vs-floor',
      label: 'Dak network + MLS pipeline, no storage (engine proxy)',
      value: sig(dak.mls),
      unit: 'msg/s',
      baseline: { label: 'crypto floor', value: sig(offline.floor), unit: 'msg/s' },
      ratio: ratio(dak.mls, offline.floor),
      target: { text: '≥ 0.8 of crypto floor (proxy: no storage)', met: ratio(dak.mls, offline.floor) >= 0.8 },
      note: [`${sig(ratio(dak.mls, raw.rate), 2)} of raw gossipsub`, dak.mlsNote].filter(Boolean).join('; ')
    },
    ...await engineFigures(bench, s, offline.floor, raw.rate)
  ]
  return {
    figures,
    details: {
      members: MEMBERS,
      envelopeBytes,
      mlsPayloadBytes,
      messages: s,
      msgPerSecond: { raw: raw.rate, floor: offline.floor, rawMlsFloor: offline.rawFloor, pipeline: offline.pipeline, dakNet: dak.net, dakNetMls: dak.mls }
    }
  }
}

export const throughput: Benchmark = {
  id: 'throughput',
  title: `Group throughput, ${MEMBERS} members`,
  budgetSeconds: { full: 60, quick: 15 },
  run
}
