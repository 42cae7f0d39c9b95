import { decodeBounded } from '../codec.js'
import { MalformedInputError } from '../errors.js'
import { CALL_ID_BYTES } from '../sframe/call-keys.js'
import { CallSignal as Wire } from '../wire/generated/call.js'

/**
 * Call signals (protocol/src/wire/call.proto): what two devices say to set up
 * a call. Decoding is bounded and checks every field, so the node's handler
 * gets a well-formed signal or a typed error.
 */

export type CallSignalType = 'ring' | 'join' | 'decline' | 'leave' | 'offer' | 'answer'

export interface CallSignal {
  type: CallSignalType
  conversationId: string
  /** 16 bytes, chosen by the caller. */
  callId: Uint8Array
  /** MLS epoch of the call's keys, decimal. */
  epoch: string
  video: boolean
  /** offer / answer only. */
  sdp?: string
  /** decline only. */
  reason?: CallDeclineReason
  /** ring only: device keys already in the call. */
  joined?: Uint8Array[]
}

export type CallDeclineReason = 'declined' | 'busy' | 'keys'

/** A session description with every candidate of a few network interfaces is 2-6 KB; 32 KiB bounds a hostile one. */
export const MAX_CALL_SDP_CHARS = 32 * 1024
export const MAX_CALL_SIGNAL_BYTES = MAX_CALL_SDP_CHARS + 1024
/** A mesh call: every participant sends to every other one, so four is where a laptop's uplink ends. */
export const CALL_MAX_PARTICIPANTS = 4
const MAX_CONVERSATION_ID_CHARS = 128
const MAX_EPOCH_DIGITS = 20

const TYPES: Record<Wire.Type, CallSignalType> = {
  [Wire.Type.RING]: 'ring',
  [Wire.Type.JOIN]: 'join',
  [Wire.Type.DECLINE]: 'decline',
  [Wire.Type.LEAVE]: 'leave',
  [Wire.Type.OFFER]: 'offer',
  [Wire.Type.ANSWER]: 'answer'
}
const WIRE_TYPES = Object.fromEntries(Object.entries(TYPES).map(([wire, type]) => [type, wire])) as Record<CallSignalType, Wire.Type>
const REASONS: readonly CallDeclineReason[] = ['declined', 'busy', 'keys']

export function encodeCallSignal (signal: CallSignal): Uint8Array {
  check(signal)
  return Wire.encode({
    type: WIRE_TYPES[signal.type],
    conversationId: signal.conversationId,
    callId: signal.callId,
    epoch: signal.epoch,
    video: signal.video,
    sdp: signal.sdp ?? '',
    reason: signal.reason ?? '',
    joined: signal.joined ?? []
  })
}

export function decodeCallSignal (bytes: Uint8Array): CallSignal {
  const wire = decodeBounded(Wire, bytes, MAX_CALL_SIGNAL_BYTES, 'call signal', { limits: { joined: CALL_MAX_PARTICIPANTS } })
  const type = TYPES[wire.type]
  if (type === undefined) throw new MalformedInputError('call signal: unknown type')
  const signal: CallSignal = {
    type,
    conversationId: wire.conversationId,
    callId: wire.callId,
    epoch: wire.epoch,
    video: wire.video,
    ...(type === 'offer' || type === 'answer' ? { sdp: wire.sdp } : {}),
    ...(type === 'decline' ? { reason: wire.reason as CallDeclineReason } : {}),
    ...(type === 'ring' ? { joined: wire.joined } : {})
  }
  check(signal)
  return signal
}

function check (signal: CallSignal): void {
  if (signal.conversationId.length === 0 || signal.conversationId.length > MAX_CONVERSATION_ID_CHARS) throw new MalformedInputError('call signal: bad conversation id')
  if (signal.callId.length !== CALL_ID_BYTES) throw new MalformedInputError(`call signal: a call id has ${CALL_ID_BYTES} bytes`)
  if (!new RegExp(`^(0|[1-9][0-9]{0,${MAX_EPOCH_DIGITS - 1}})$`).test(signal.epoch)) throw new MalformedInputError('call signal: bad epoch')
  if ((signal.type === 'offer' || signal.type === 'answer') && (signal.sdp === undefined || signal.sdp.length === 0 || signal.sdp.length > MAX_CALL_SDP_CHARS)) {
    throw new MalformedInputError('call signal: an offer or answer needs a session description of bounded size')
  }
  if (signal.type === 'decline' && (signal.reason === undefined || !REASONS.includes(signal.reason))) throw new MalformedInputError('call signal: unknown decline reason')
  if (signal.joined !== undefined) {
    if (signal.joined.length > CALL_MAX_PARTICIPANTS) throw new MalformedInputError('call signal: too many participants')
    if (signal.joined.some(key => key.length !== 32)) throw new MalformedInputError('call signal: a device key has 32 bytes')
  }
}
