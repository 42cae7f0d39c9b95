import { RPC } from '@libp2p/gossipsub/message'
import { createApplicationMessage, encode, mlsMessageEncoder } from 'ts-mls'
import { encodeAppContent, encryptMessage, EnvelopeKind, restoreState, sealEnvelope, serialiseState } from '@dak/protocol'
import { clientConfig } from '../../../protocol/src/mls/suite.js'
import { at, buildGroup, NOW, rawMlsContext } from '../lib/mls.js'
import { TEXT_BYTES, textContent, topicFor } from '../lib/pipeline.js'
import { fillerBytes, ratio, sig } from '../lib/stats.js'
import type { BenchContext, BenchResult, Benchmark, Figure } from '../lib/types.js'

/**
 * Figure 7: bytes on the wire for one 100-byte text message, per copy sent to
 * one peer, from real encodings: AppContent → MLS PrivateMessage (default
 * suite, ts-mls default padding) → signed envelope → gossipsub RPC (as
 * @libp2p/gossipsub encodes it under StrictNoSign) with its length prefix →
 * one yamux data frame header → one Noise transport frame (length + tag).
 * ÷ 100. The raw library's figure is gossipsub carrying the 100 bytes as is.
 * TCP/IP headers are shown apart (they depend on segmenting, not on Dak).
 */

/** yamux frame header: version, type, flags, stream id, length. */
const YAMUX_HEADER = 12
/** Noise transport message: 2-byte length prefix + 16-byte ChaCha20-Poly1305 tag. */
const NOISE_FRAME = 2 + 16
/** IPv4 (20) + TCP (20 + 12 of timestamp option) per segment, if the message travels alone. */
const TCP_IP = 52

function varintBytes (n: number): number {
  let bytes = 1
  while (n >= 0x80) { n = Math.floor(n / 128); bytes++ }
  return bytes
}

/** A gossipsub RPC carrying one message, as sent on the wire (length-prefixed), plus the yamux and Noise framing. */
function framed (topic: string, data: Uint8Array): { rpc: number, total: number } {
  const rpc = RPC.encode({ subscriptions: [], messages: [{ topic, data }], control: undefined }).length
  return { rpc, total: varintBytes(rpc) + rpc + YAMUX_HEADER + NOISE_FRAME }
}

async function run (bench: BenchContext): Promise<BenchResult> {
  const members = 10
  const group = await buildGroup(members, 'wire')
  const topic = topicFor('wire')
  const device = at(group.devices, 0).device
  const content = textContent(0)
  // The same message without MLS padding (ts-mls pads application content to 256 bytes by default), on a copy of the state.
  const mls = await rawMlsContext()
  const copy = await restoreState(serialiseState(at(group.states, 0)))
  const unpadded = encode(mlsMessageEncoder, (await createApplicationMessage({
    context: { ...mls, clientConfig: { ...clientConfig(), paddingConfig: { kind: 'alwaysPad', paddingLength: 0 } } },
    state: copy.mls,
    message: content
  })).message).length
  const encrypted = await encryptMessage(at(group.states, 0), content)
  const envelope = sealEnvelope(device, { kind: EnvelopeKind.APPLICATION, topic, timestamp: NOW, senderSeq: 1, payload: encrypted.messageBytes })
  const dak = framed(topic, envelope.bytes)
  const raw = framed(topic, fillerBytes(TEXT_BYTES, 1))
  // Delivery receipts (node/src/messenger/receipts.ts): in a group of more than three, two members
  // acknowledge each text; texts arriving together share one receipt of up to 256 ids.
  const receiptContent = encodeAppContent({ kind: 'receipt', type: 'delivered', messageIds: [envelope.id], at: NOW, clientId: fillerBytes(16, 2) })
  const receiptMls = await encryptMessage(encrypted.state, receiptContent)
  const receipt = sealEnvelope(device, { kind: EnvelopeKind.APPLICATION, topic, timestamp: NOW, senderSeq: 2, payload: receiptMls.messageBytes })
  const receiptFramed = framed(topic, receipt.bytes)
  const fullReceiptContent = encodeAppContent({ kind: 'receipt', type: 'delivered', messageIds: Array.from({ length: 256 }, (_, i) => fillerBytes(32, i + 3)), at: NOW, clientId: fillerBytes(16, 2) })
  const fullReceipt = sealEnvelope(device, { kind: EnvelopeKind.APPLICATION, topic, timestamp: NOW, senderSeq: 3, payload: (await encryptMessage(receiptMls.state, fullReceiptContent)).messageBytes })
  const perTextInBurst = framed(topic, fullReceipt.bytes).total / 256
  const layers = {
    text: TEXT_BYTES,
    appContent: content.length,
    mlsPrivateMessage: encrypted.messageBytes.length,
    mlsWithoutPadding: unpadded,
    envelope: envelope.bytes.length,
    gossipsubRpc: dak.rpc,
    withLibp2pFraming: dak.total,
    tcpIpPerSegment: TCP_IP
  }
  bench.progress(`layers: ${JSON.stringify(layers)}`)
  const acknowledgers = Math.min(2, members - 1)
  const withReceipts = dak.total + acknowledgers * receiptFramed.total
  const withReceiptsInBurst = dak.total + acknowledgers * perTextInBurst
  const figures: Figure[] = [{
    key: 'wire.text-100',
    label: 'bytes on the wire per 100-byte text, one copy to one peer ÷ 100',
    value: sig(dak.total / TEXT_BYTES),
    unit: '× text',
    baseline: { label: 'raw gossipsub, 100 B as is', value: sig(raw.total / TEXT_BYTES), unit: '× text' },
    ratio: ratio(dak.total, raw.total),
    target: { text: '≤ 4', met: dak.total / TEXT_BYTES <= 4 },
    note: `${dak.total} B = content ${content.length} → MLS ${encrypted.messageBytes.length} → envelope ${envelope.bytes.length} → RPC ${dak.rpc} (+ length, yamux ${YAMUX_HEADER}, Noise ${NOISE_FRAME}); MLS without its padding to 256 B would be ${unpadded} B; +${TCP_IP} B TCP/IP if alone in a segment; ` +
      `with its delivery receipts (two acknowledging members of ${members}): ${withReceipts} B (${sig(withReceipts / TEXT_BYTES)}×) for a text alone, ${Math.round(withReceiptsInBurst)} B (${sig(withReceiptsInBurst / TEXT_BYTES)}×) per text in a burst (256 ids per receipt)`
  }]
  return { figures, details: { layers, receiptBytes: receiptFramed.total, rawFramed: raw.total, perMessageWithReceipts: withReceipts, perMessageWithReceiptsInBurst: withReceiptsInBurst } }
}

export const wire: Benchmark = {
  id: 'wire',
  title: 'Wire cost of a 100-byte text',
  budgetSeconds: { full: 10, quick: 10 },
  run
}
