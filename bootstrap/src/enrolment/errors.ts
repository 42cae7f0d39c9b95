import { DakError, InvalidInviteError } from '@dak/protocol'

/**
 * Enrolment errors. The invite ones extend InvalidInviteError, so a UI that
 * only knows "bad invite" still says the right thing; the name tells which.
 */

/** No invite has this secret: never issued, mistyped past the check symbol, or forged. */
export class UnknownInviteError extends InvalidInviteError { override name = 'UnknownInviteError' }
/** The invite was redeemed already: invites are single use. */
export class InviteAlreadyUsedError extends InvalidInviteError { override name = 'InviteAlreadyUsedError' }
/** The invite's expiry has passed. */
export class InviteExpiredError extends InvalidInviteError { override name = 'InviteExpiredError' }

/** Revocation of a handle or device this authority never enrolled. */
export class UnknownDeviceError extends DakError { override name = 'UnknownDeviceError' }
/** A device key already certified for another officer: one device, one officer. */
export class DeviceAlreadyEnrolledError extends DakError { override name = 'DeviceAlreadyEnrolledError' }
