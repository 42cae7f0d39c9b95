import { sha256 } from '@noble/hashes/sha2.js'
import {
  decodeAppContent, encodeAppContent, encryptMessage, EnvelopeKind, openEnvelope, processMessage, sealEnvelope, toHex, utf8,
  type ConversationState, type OpenedEnvelope, type SigningKeyPair
} from '@dak/protocol'
import { ctx, NOW } from './mls.js'
import { fillerBytes } from './stats.js'

/**
 * Dak's per-message protocol work, as the messenger engine does it
 * (node/src/messenger/outgoing.ts, sealing.ts, incoming.ts), minus storage:
 *
 *   send:    AppContent encode → MLS encrypt → envelope seal (Ed25519 sign)
 *   receive: envelope open (Ed25519 verify) → MLS process (decrypt, verify the
 *            sender's signature and certificate) → AppContent decode
 *
 * Over the network the envelope is opened once at the door (gossipsub topic
 * validator), so receivers there skip `openEnvelope`.
 */

/** Size of the text the issue's figures are about. */
export const TEXT_BYTES = 100

/** A 100-byte ASCII text that carries its message index (so receivers can tell which arrived). */
export function textOf (index: number): string {
  const head = `#${String(index).padStart(8, '0')} `
  const body = 'Meeting moved to 14:00 in room 3; bring the revised budget tables and the field reports. '
  return (head + body.repeat(2)).slice(0, TEXT_BYTES)
}

export function indexOfText (text: string): number {
  return Number.parseInt(text.slice(1, 9), 10)
}

/** A conversation topic in the engine's format (`dak/c/` + 32 hex digits, protocol/src/department/topics.ts). */
export function topicFor (label: string): string {
  return `dak/c/${toHex(sha256(utf8(`bench topic ${label}`)).subarray(0, 16))}`
}

function clientIdOf (index: number): Uint8Array {
  return fillerBytes(16, index + 1)
}

export function textContent (index: number): Uint8Array {
  return encodeAppContent({ kind: 'text', text: textOf(index), clientId: clientIdOf(index) })
}

export interface Sent {
  state: ConversationState
  envelope: OpenedEnvelope
}

/** Encode, encrypt and seal text message `index` from `device` (whose group state is `state`). */
export async function sendText (state: ConversationState, device: SigningKeyPair, topic: string, index: number, senderSeq: number, timestamp = NOW): Promise<Sent> {
  const encrypted = await encryptMessage(state, textContent(index))
  const envelope = sealEnvelope(device, { kind: EnvelopeKind.APPLICATION, topic, timestamp, senderSeq, payload: encrypted.messageBytes })
  return { state: encrypted.state, envelope }
}

export interface Received {
  state: ConversationState
  index: number
}

/** Decrypt and decode an envelope that was already opened (at the door). */
export async function receiveOpened (state: ConversationState, envelope: OpenedEnvelope): Promise<Received> {
  const processed = await processMessage(state, envelope.payload, ctx)
  if (processed.kind !== 'application') throw new Error(`expected an application message, got a ${processed.kind}`)
  const content = decodeAppContent(processed.plaintext)
  if (content.kind !== 'text') throw new Error(`expected text, got ${content.kind}`)
  return { state: processed.state, index: indexOfText(content.text) }
}

/** The whole receive side from envelope bytes. */
export async function receiveBytes (state: ConversationState, bytes: Uint8Array, now = NOW): Promise<Received> {
  return await receiveOpened(state, openEnvelope(bytes, now))
}
