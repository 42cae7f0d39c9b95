/**
 * @dak/node/department: the client end of a department node's protocols and
 * HTTP API, and the gossip validators of its control and officers topics. What
 * both ends share (protocol ids, limits, wire messages, topic names, errors) is
 * the contract in @dak/protocol/department. The node itself is
 * bootstrap/src/node; docs/department-node.md describes both.
 */
export * from './errors.js'
export { createDepartmentClient, type CommitOutcome, type CommitSubmission, type DepartmentClient, type DepartmentClientInit, type QueryPage, type StoredReceipt } from './client.js'
export { createDepartments, departmentNodePeers, type Departments } from './departments.js'
export { revocationTopicValidator, type RevocationTopicValidatorInit } from './control-topic.js'
export { officersTopicValidator, type OfficersTopicValidatorInit } from './officers-topic.js'
export { enrolOverHttp, fetchNodeInfo, fetchRevocationLists, fetchWipeOrder, sendWipeReport, type Enrolment, type HttpOptions, type NodeInfo } from './http.js'
export { decodeResponse } from './wire.js'
