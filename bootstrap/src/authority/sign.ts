import { bytesEqual, DakError, fromHex, issueCertificate, issueRevocationList, toHex, type Certificate, type SigningKeyPair } from '@dak/protocol'
import { NODE_HANDLE, NODE_TITLE } from '@dak/protocol/department'
import { DAY_MS } from '../store/limits.js'
import { SIGNED_FORMAT, type RequestsFile, type SignedFile } from './ceremony-files.js'

/** The key given to `dak-node authority sign` is not the authority the requests are for. */
export class AuthorityKeyMismatchError extends DakError { override name = 'AuthorityKeyMismatchError' }

/** Devices whose clocks run behind the signer's still accept a certificate at once. */
export const CLOCK_SLACK_MS = 10 * 60 * 1000

/**
 * The offline half of the ceremony: sign every request in the file and the
 * node's own certificate. Runs where the authority key is, with no network;
 * it trusts the requests file as much as the administrator who read it (the
 * CLI prints each request before signing).
 */
export function signRequests (requests: RequestsFile, authority: SigningKeyPair, now: number): SignedFile {
  if (!bytesEqual(fromHex(requests.authorityPublicKey), authority.publicKey)) {
    throw new AuthorityKeyMismatchError(`these requests are for authority ${requests.authorityPublicKey.slice(0, 16)}…, the key given is ${toHex(authority.publicKey).slice(0, 16)}…`)
  }
  const certificates = requests.requests.map(r => issueCertificate(authority, {
    handle: r.handle,
    displayName: r.displayName,
    title: r.title,
    department: requests.department,
    devicePublicKey: fromHex(r.deviceKey),
    mlsSignatureKey: fromHex(r.mlsKey),
    notBefore: now - CLOCK_SLACK_MS,
    notAfter: now + r.validityDays * DAY_MS,
    serial: r.serial
  }))
  const node = signNodeCertificate(authority, requests.department, requests.node.departmentName, fromHex(requests.node.nodePublicKey), requests.node.validityDays, now)
  const revocation = requests.revocation == null ? undefined : issueRevocationList(authority, requests.revocation.serial, now, requests.revocation.devices.map(fromHex))
  return {
    format: SIGNED_FORMAT,
    authorityPublicKey: toHex(authority.publicKey),
    certificates: certificates.map(c => toHex(c.bytes)),
    node: toHex(node.bytes),
    ...(revocation != null ? { revocationList: toHex(revocation) } : {})
  }
}

/**
 * The node's certificate: its node key under the reserved handle, serial 0
 * (officers count from 1), the node key standing in for the MLS key (a node
 * never joins a group, and the field may not be empty).
 */
export function signNodeCertificate (authority: SigningKeyPair, department: string, departmentName: string, nodePublicKey: Uint8Array, validityDays: number, now: number): Certificate {
  return issueCertificate(authority, {
    handle: NODE_HANDLE,
    displayName: departmentName,
    title: NODE_TITLE,
    department,
    devicePublicKey: nodePublicKey,
    mlsSignatureKey: nodePublicKey,
    notBefore: now - CLOCK_SLACK_MS,
    notAfter: now + validityDays * DAY_MS,
    serial: 0
  })
}
