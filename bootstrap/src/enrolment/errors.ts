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

/** The authority's private key is not on this node (it is offline): a certificate or list can only come from the signing ceremony. */
export class AuthorityOfflineError extends DakError { override name = 'AuthorityOfflineError' }
/**
 * The node recorded this device's certificate request; the offline authority
 * has not signed it yet. The device asks again with the same keys and invite.
 */
export class EnrolmentPendingError extends DakError { override name = 'EnrolmentPendingError' }
/** A signed certificate brought in by `dak-node authority import` that no pending request asked for, or that differs from it. */
export class UnrequestedCertificateError extends DakError { override name = 'UnrequestedCertificateError' }
