export { InvalidProofError, NotInLogError, SplitViewError } from './errors.js'
export { LOG_ENTRY_KINDS, logLeaf, logLeafHash, type LogEntryKind } from './entries.js'
export { consistencyProof, HASH_BYTES, inclusionProof, leafHash, MAX_PROOF_HASHES, nodeHash, treeRoot, verifyConsistency, verifyInclusion } from './merkle.js'
export { checkHeadsAgree, openTreeHead, signTreeHead, TREE_HEAD_BYTES, type SignedTreeHead, type TreeHead } from './tree-head.js'
export {
  decodeConsistencyAnswer, decodeInclusionAnswer, decodeLogRequest, encodeConsistencyAnswer, encodeInclusionAnswer, encodeLogRequest,
  MAX_LOG_REQUEST_BYTES, MAX_LOG_RESPONSE_BYTES, type InclusionAnswer, type LogRequest
} from './wire.js'
export { LogAuditor, type LogSource } from './auditor.js'
