import { DakError, InvalidInviteError } from '../errors.js'

/**
 * Errors a department node answers with. The node (bootstrap/) raises them and
 * a device's client (node/src/department/errors.ts) turns a remote error of one
 * of these names back into its class, so the UI can switch on `.name` (and an
 * invite error is an InvalidInviteError). Part of the department contract: both
 * ends name them from this one list.
 */

/** No invite has this secret: never issued, mistyped past the check symbol, or forged. */
export class UnknownInviteError extends InvalidInviteError { override name = 'UnknownInviteError' }
/** The invite was used already: invites are single use. */
export class InviteAlreadyUsedError extends InvalidInviteError { override name = 'InviteAlreadyUsedError' }
/** The invite's expiry has passed. */
export class InviteExpiredError extends InvalidInviteError { override name = 'InviteExpiredError' }
/** A device key already certified for another officer. */
export class DeviceAlreadyEnrolledError extends DakError { override name = 'DeviceAlreadyEnrolledError' }
/** An envelope whose sender is not a certified, unrevoked device the node knows. */
export class UnknownSenderError extends DakError { override name = 'UnknownSenderError' }
/** A request only the node's own department's devices may make (store, key-package upload). */
export class NotThisDepartmentError extends DakError { override name = 'NotThisDepartmentError' }
/** A request about another device than the one on the connection. */
export class NotYourDeviceError extends DakError { override name = 'NotYourDeviceError' }
/** Catch-up for a topic the device has not registered at this node. */
export class TopicNotRegisteredError extends DakError { override name = 'TopicNotRegisteredError' }
/** The device went over its daily store allowance, or a registry's per-device cap. */
export class QuotaExceededError extends DakError { override name = 'QuotaExceededError' }
/** An envelope older than the node's retention. */
export class ExpiredEnvelopeError extends DakError { override name = 'ExpiredEnvelopeError' }
/** A topic registration not newer than the one in force. */
export class StaleRegistrationError extends DakError { override name = 'StaleRegistrationError' }
/** No key package left for the device or officer asked for. */
export class NoKeyPackageError extends DakError { override name = 'NoKeyPackageError' }
/** A commit for a group the sequencer has no registration of (its creator registers it with the first commit). */
export class GroupNotRegisteredError extends DakError { override name = 'GroupNotRegisteredError' }
/** A commit the connected device may not submit: not its own, or for a group it is not a member of. */
export class NotYourCommitError extends DakError { override name = 'NotYourCommitError' }
/** A request about a conversation topic from a device that is not a member of it. */
export class NotAMemberOfTopicError extends DakError { override name = 'NotAMemberOfTopicError' }
/** The node recorded this device's certificate request; the department's offline authority has not signed it yet. */
export class EnrolmentPendingError extends DakError { override name = 'EnrolmentPendingError' }
/** The node holds no authority key (it is offline) and cannot sign what was asked. */
export class AuthorityOfflineError extends DakError { override name = 'AuthorityOfflineError' }

/** Every class above, for the client's name → class map. */
export const DEPARTMENT_ERRORS: ReadonlyArray<new (message: string) => DakError> = [
  UnknownInviteError, InviteAlreadyUsedError, InviteExpiredError, DeviceAlreadyEnrolledError, UnknownSenderError,
  NotThisDepartmentError, NotYourDeviceError, TopicNotRegisteredError, QuotaExceededError, ExpiredEnvelopeError, StaleRegistrationError,
  NoKeyPackageError, GroupNotRegisteredError, NotYourCommitError, NotAMemberOfTopicError, EnrolmentPendingError, AuthorityOfflineError
]
