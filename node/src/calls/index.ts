export { startCallSignals, type CallSignals, type CallSignalsInit, type ReceivedCallSignal } from './call-signals.js'
export { CALL_SIGNAL_PROTOCOL } from './constants.js'
export { CallKeysOutOfStepError, CallTooLargeError, CallUnreachableError, NotACallMemberError } from './errors.js'
export type { CallMember, CallRoster } from '../messenger/call-secret.js'
