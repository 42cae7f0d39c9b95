/**
 * Refusals of the department node's protocols. They are defined with the
 * devices' client (node/src/department/errors.ts), so both ends share one
 * class per name; the node raises them, the client gets them back by name.
 */
export { GroupNotRegisteredError, NotAMemberOfTopicError, NotThisDepartmentError, NotYourCommitError, NotYourDeviceError, TopicNotRegisteredError, UnknownSenderError } from '@dak/protocol/department'
export { RateLimitedError } from '@dak/node/department'
