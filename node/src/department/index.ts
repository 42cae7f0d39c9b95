/**
 * @dak/node/department: the client end of a department node's protocols and
 * HTTP API, and what both ends share (protocol ids, limits, wire helpers,
 * the department-node predicate, the control and officers topics' validators). The node
 * itself is bootstrap/src/node; docs/department-node.md describes both.
 */
export * from './constants.js'
export * from './errors.js'
export { createDepartmentClient, type CommitOutcome, type CommitSubmission, type DepartmentClient, type DepartmentClientInit, type QueryPage, type StoredReceipt } from './client.js'
export { createDepartments, departmentNodePeers, type Departments } from './departments.js'
export { isDepartmentNode } from './node-certificate.js'
export { revocationTopicValidator, type RevocationTopicValidatorInit } from './control-topic.js'
export { officersTopicValidator, type OfficersTopicValidatorInit } from './officers-topic.js'
export { enrolOverHttp, fetchNodeInfo, fetchRevocationLists, fetchWipeOrder, sendWipeReport, type Enrolment, type HttpOptions, type NodeInfo } from './http.js'
export { decodeRequest, decodeResponse, encodeRequest, encodeResponse, type RequestCase, type ResponseCase } from './wire.js'
export { DepartmentSettings, DirectoryPage, DirectoryQuery, HeldKeyPackages, RevocationLists } from './wire/department.js'
// the topic names live with the messenger; the node subscribes to the same ones
export { controlTopic, groupIdOfTopic, inboxTopic, isConversationTopic, isInboxTopic, officersTopic } from '../messenger/topics.js'
