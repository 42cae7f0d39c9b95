export { InviteRegistry, type InviteRecord, type InviteRegistryOptions } from './invite-registry.js'
export { DeviceRegistry, type DeviceTarget, type EnrolledDevice, type RevocationOutcome } from './device-registry.js'
export { DEFAULT_CERTIFICATE_VALIDITY_DAYS, EnrolmentService, type EnrolmentServiceOptions } from './enrolment-service.js'
export { AuthorityOfflineError, DeviceAlreadyEnrolledError, EnrolmentPendingError, InviteAlreadyUsedError, InviteExpiredError, UnknownDeviceError, UnknownInviteError, UnrequestedCertificateError } from './errors.js'
