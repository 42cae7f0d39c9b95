/**
 * Protocol ids and limits of the department node. They live in the department
 * contract (protocol/src/department/constants.ts), because the devices' client
 * uses the same values; this re-export is where the node's code takes them from.
 */
export { DEPARTMENT_PROTOCOLS, NODE_HANDLE, NODE_TITLE, PROTOCOL_LIMITS, MAX_DIRECTORY_PAGE, HTTP_ROUTES, type DepartmentProtocol } from '@dak/protocol/department'
