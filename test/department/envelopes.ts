import { EnvelopeKind, sealEnvelope, toHex, utf8, type SigningKeyPair } from '@dak/protocol'
import { randomBytes } from 'node:crypto'

/** A conversation topic as the messenger makes them (opaque hex of a group id). */
export function conversationTopic (): string {
  return `dak/c/${toHex(randomBytes(16))}`
}

/** A signed application envelope from `device` on `topic`, timestamped now. */
export function seal (device: SigningKeyPair, topic: string, n: number, options: { kind?: EnvelopeKind, payloadBytes?: number, payload?: Uint8Array } = {}): Uint8Array {
  const payload = options.payload ?? (options.payloadBytes == null ? utf8(`message ${n}`) : new Uint8Array(options.payloadBytes).fill(n % 251))
  return sealEnvelope(device, { kind: options.kind ?? EnvelopeKind.APPLICATION, topic, timestamp: Date.now(), senderSeq: n, payload }).bytes
}
