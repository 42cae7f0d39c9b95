export { InviteRegistry, type InviteRecord, type InviteRegistryOptions } from './invite-registry.js'
export { DeviceRegistry, type DeviceTarget, type EnrolledDevice, type RevocationOutcome } from './device-registry.js'
export { DEFAULT_CERTIFICATE_VALIDITY_DAYS, EnrolmentService, type EnrolmentServiceOptions } from './enrolment-service.js'
export { DeviceAlreadyEnrolledError, InviteAlreadyUsedError, InviteExpiredError, UnknownDeviceError, UnknownInviteError } from './errors.js'
