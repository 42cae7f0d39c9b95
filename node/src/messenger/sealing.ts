import { encryptMessage, fromHex, sealEnvelope, toHex, EnvelopeKind, type OpenedEnvelope } from '@dak/protocol'
import { DakError } from '@dak/protocol'
import type { StoreOp } from '../storage/index.js'
import type { EngineContext } from './context.js'

/** A conversation whose MLS state this device does not have (left, or storage lost it). */
export class MissingGroupError extends DakError { override name = 'MissingGroupError' }

/** The topic's own counter for this device, so receivers can notice gaps in what a store serves. */
const OWN_SEQUENCE_NODE = 'self'

export interface Sealed {
  envelope: OpenedEnvelope
  /** Ops to commit together: the new group state and the advanced sequence. */
  ops: StoreOp[]
  /** Call after the ops are committed. */
  remember: () => void
}

/** Next sender sequence number on a topic (persisted by the ops of the seal that uses it). */
async function nextSequence (ctx: EngineContext, topic: string): Promise<number> {
  return (await ctx.store.cursors.get(topic, OWN_SEQUENCE_NODE) ?? 0) + 1
}

/** Seal any MLS payload (commit, welcome) in an envelope from this device; `sequencerAck` for an acknowledged commit or its Welcome. */
export async function sealPayload (ctx: EngineContext, kind: EnvelopeKind, topic: string, payload: Uint8Array, sequencerAck?: Uint8Array, expiresAt?: number): Promise<{ envelope: OpenedEnvelope, ops: StoreOp[] }> {
  const senderSeq = await nextSequence(ctx, topic)
  const envelope = sealEnvelope(ctx.keys.device, { kind, topic, timestamp: ctx.now(), senderSeq, payload, ...(sequencerAck != null ? { sequencerAck } : {}), ...(expiresAt != null ? { expiresAt } : {}) })
  return { envelope, ops: [{ type: 'cursor', topic, node: OWN_SEQUENCE_NODE, seq: senderSeq }] }
}

/** Seal several payloads for one topic, numbered one after another (one cursor op for all of them). */
export async function sealPayloads (ctx: EngineContext, kind: EnvelopeKind, topic: string, payloads: Uint8Array[]): Promise<{ envelopes: OpenedEnvelope[], ops: StoreOp[] }> {
  const first = await nextSequence(ctx, topic)
  const envelopes = payloads.map((payload, i) => sealEnvelope(ctx.keys.device, { kind, topic, timestamp: ctx.now(), senderSeq: first + i, payload }))
  return { envelopes, ops: envelopes.length === 0 ? [] : [{ type: 'cursor', topic, node: OWN_SEQUENCE_NODE, seq: first + envelopes.length - 1 }] }
}

/**
 * Encrypt encoded content for a conversation's group at its current epoch and seal it. Must run inside ctx.serial.
 * `expiresAt` (disappearing messages) is signed into the envelope: the department node deletes it then.
 */
export async function sealPlaintext (ctx: EngineContext, conversationId: string, groupId: string, plaintext: Uint8Array, expiresAt?: number): Promise<Sealed> {
  const state = await ctx.groups.get(groupId)
  if (state == null) throw new MissingGroupError(`no group state for conversation ${conversationId}`)
  const encrypted = await encryptMessage(state, plaintext, { retention: ctx.verifyContext().retention })
  const sealed = await sealPayload(ctx, EnvelopeKind.APPLICATION, conversationId, encrypted.messageBytes, undefined, expiresAt)
  return {
    envelope: sealed.envelope,
    ops: [ctx.groups.persistOp(groupId, encrypted.state), ...sealed.ops],
    remember: () => { ctx.groups.remember(groupId, encrypted.state) }
  }
}

export function newClientId (ctx: EngineContext): Uint8Array {
  return ctx.randomBytes(16)
}

export function localMessageId (ctx: EngineContext): string {
  // 'q' marks a queued message's local id: envelope ids are 64 hex digits, these never collide with them
  return 'q' + toHex(ctx.randomBytes(16))
}

export function idBytes (hexId: string): Uint8Array {
  return fromHex(hexId)
}
