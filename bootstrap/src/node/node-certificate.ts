import { issueCertificate, type Certificate } from '@dak/protocol'
import { NODE_HANDLE, NODE_TITLE } from '@dak/node/department'
import type { DepartmentConfig } from '../config/config.js'
import type { DepartmentKeys } from '../identity/node-keys.js'
import { DAY_MS } from '../store/limits.js'

/**
 * The node's own certificate, issued by its own authority for its node key
 * under the reserved handle, so that devices' certificate gates let it in
 * and isDepartmentNode() recognises it. It is made fresh at every start (and
 * renewed while running), never stored: the authority key is at hand anyway.
 *
 * Serial 0: officers' certificates count from 1, so the node's never shares
 * a serial with one. The MLS key is the node key: a node never joins an MLS
 * group, and the field may not be empty.
 */
export function issueNodeCertificate (config: DepartmentConfig, keys: DepartmentKeys, now: number): Certificate {
  return issueCertificate(keys.authority, {
    handle: NODE_HANDLE,
    displayName: config.departmentName,
    title: NODE_TITLE,
    department: config.department,
    devicePublicKey: keys.node.publicKey,
    mlsSignatureKey: keys.node.publicKey,
    notBefore: now - CLOCK_SLACK_MS,
    notAfter: now + config.certificateValidityDays * DAY_MS,
    serial: 0
  })
}

/** Devices whose clocks run behind ours still accept the certificate at once. */
const CLOCK_SLACK_MS = 10 * 60 * 1000

/** Renew once less than half the validity is left: long before any device could refuse it. */
export function needsRenewal (certificate: Certificate, now: number): boolean {
  return certificate.notAfter - now < (certificate.notAfter - certificate.notBefore) / 2
}
