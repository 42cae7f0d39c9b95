import { DakError } from '@dak/protocol'

/** Errors of calls between devices (node/src/calls); the web client words each (web/src/error-texts.ts). */

/** A call signal came from, or was meant for, a device that is not a member of the conversation. */
export class NotACallMemberError extends DakError { override name = 'NotACallMemberError' }

/**
 * The two devices are at different points of the conversation's history (one has not yet seen
 * a change of members), so they would derive different call keys: try again in a moment.
 */
export class CallKeysOutOfStepError extends DakError { override name = 'CallKeysOutOfStepError' }

/** More people than a mesh call carries (CALL_MAX_PARTICIPANTS). */
export class CallTooLargeError extends DakError { override name = 'CallTooLargeError' }

/** No route to the other device right now (offline, or no department node to relay through). */
export class CallUnreachableError extends DakError { override name = 'CallUnreachableError' }
