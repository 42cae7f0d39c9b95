import { exportSecret, isRemoved, leafRoster, toHex } from '@dak/protocol'
import { CALL_EXPORTER_LABEL, CALL_ID_BYTES, CALL_SECRET_BYTES } from '@dak/protocol/sframe'
import { InvalidArgumentError } from '@dak/protocol'
import { CallKeysOutOfStepError, NotACallMemberError } from '../calls/errors.js'
import type { ChatMessage, OfficerSummary } from './api.js'
import type { EngineContext } from './context.js'
import { officerOf } from './officers.js'

/**
 * What calls need from the engine: who is in a conversation right now (by MLS
 * leaf), and a secret for one call from the conversation's MLS exporter, from
 * which every participant derives the same SFrame keys (protocol/src/sframe).
 */

export interface CallMember {
  /** Hex Ed25519 device key (the libp2p peer key). */
  deviceKey: string
  leafIndex: number
  officer: OfficerSummary
}

export interface CallRoster {
  conversationId: string
  kind: 'direct' | 'group'
  /** The MLS epoch, as a decimal string: both ends must be at the same one to share keys. */
  epoch: string
  ownLeaf: number
  members: CallMember[]
}

async function activeState (ctx: EngineContext, conversationId: string) {
  const conversation = await ctx.store.conversations.get(conversationId)
  if (conversation == null || conversation.closed != null) throw new NotACallMemberError('this device is not in that conversation')
  const state = await ctx.groups.get(conversation.groupId)
  if (state == null || isRemoved(state)) throw new NotACallMemberError('this device is not in that conversation')
  return { conversation, state }
}

export async function callRoster (ctx: EngineContext, conversationId: string): Promise<CallRoster> {
  return await ctx.serial(async () => {
    const { conversation, state } = await activeState(ctx, conversationId)
    const roster = leafRoster(state)
    return {
      conversationId,
      kind: conversation.kind,
      epoch: state.mls.groupContext.epoch.toString(),
      ownLeaf: roster.own,
      members: roster.leaves.map(l => ({ deviceKey: toHex(l.certificate.devicePublicKey), leafIndex: l.leafIndex, officer: officerOf(l.certificate) }))
    }
  })
}

/**
 * MLS-Exporter("dak call", callId, 32) at `epoch`. Runs in the engine's serial
 * queue, so no commit replaces the state while it is read. Throws
 * CallKeysOutOfStepError when this device is at another epoch than the caller.
 */
export async function callSecret (ctx: EngineContext, conversationId: string, callId: Uint8Array, epoch: string): Promise<Uint8Array> {
  if (callId.length !== CALL_ID_BYTES) throw new InvalidArgumentError(`a call id has ${CALL_ID_BYTES} bytes`)
  return await ctx.serial(async () => {
    const { state } = await activeState(ctx, conversationId)
    const current = state.mls.groupContext.epoch.toString()
    if (current !== epoch) throw new CallKeysOutOfStepError(`the call was started at epoch ${epoch}; this device is at ${current}`)
    return await exportSecret(state, CALL_EXPORTER_LABEL, callId, CALL_SECRET_BYTES)
  })
}

/**
 * A line for a call in the conversation's history, on this device only (each
 * device says what it saw: "Missed video call"). Once per call: a second line
 * for the same call id is not added.
 */
export async function recordCallLine (ctx: EngineContext, line: { conversationId: string, callId: string, text: string, at: number, missed: boolean }): Promise<ChatMessage | undefined> {
  if (!/^[0-9a-f]{32}$/.test(line.callId)) throw new InvalidArgumentError('a call id is 32 hex digits')
  const id = `call-${line.callId}`
  if (await ctx.store.messages.has(id)) return undefined
  const message: ChatMessage = {
    id,
    conversationId: line.conversationId,
    sender: officerOf(ctx.keys.certificate),
    // a missed call counts as unread, like a message the officer has not seen
    fromMe: !line.missed,
    kind: 'system',
    text: line.text,
    sentAt: line.at,
    state: line.missed ? 'received' : 'stored'
  }
  await ctx.store.commit([{ type: 'message-add', message }])
  ctx.emitter.emit('message', message)
  return message
}
