/**
 * @dak/bootstrap: the department node. `createDepartmentNode` runs one
 * (bootstrap, relay, store-and-forward, commit sequencer, key-package
 * directory, enrolment and revocation, health and metrics);
 * `dak-node` (src/bin) is its command line; docs/department-node.md is the
 * guide for department IT.
 */
export { createDepartmentNode, type DepartmentNode, type DepartmentNodeEvents, type DepartmentNodeOptions, type NodeStatus } from './node/department-node.js'
export { openOfflineAdmin, type OfflineAdmin } from './node/offline-admin.js'
export { DataDirInUseError } from './node/storage.js'
export type { InviteRequest, IssuedInvite } from './node/invites.js'
export type { DeviceSummary, RevocationSummary } from './node/summaries.js'
export { DEFAULT_CONFIG, loadConfig, type DepartmentConfig } from './config/config.js'
export { serveDepartmentProtocols, DEPARTMENT_PROTOCOLS, type ProtocolDeps } from './protocols/index.js'
