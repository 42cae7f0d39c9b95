/**
 * @dak/protocol/department: the contract between a department node
 * (bootstrap/) and its devices' client (node/src/department/) — protocol ids,
 * HTTP routes, limits, topic names, the wire messages of department.proto, the
 * request/response wrappers, the errors a node answers with and the checks a
 * client makes on its answers. Both ends import it from here, so they cannot
 * drift apart (docs/department-node.md, *Protocols*).
 */

export * from './constants.js'
export * from './errors.js'
export { checkQueryPage, decodeDirectoryPage, decodeHeldKeyPackages, decodeRevocationLists, decodeSettings, nextDirectoryCursor } from './answers.js'
export { isDepartmentNode } from './node-certificate.js'
export { controlTopic, conversationTopic, groupIdOfTopic, inboxTopic, isConversationTopic, isInboxTopic, officersTopic } from './topics.js'
export { decodeRequest, decodeResponse, encodeRequest, encodeResponse, type RequestCase, type ResponseCase } from './wire.js'
export { DepartmentSettings, DirectoryPage, DirectoryQuery, HeldKeyPackages, RevocationLists } from '../wire/generated/department.js'
