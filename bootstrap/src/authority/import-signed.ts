import { bytesEqual, fromHex, RevocationState, toHex, TrustStore, verifyCertificate, type Certificate } from '@dak/protocol'
import { NODE_HANDLE } from '@dak/protocol/department'
import type { DeviceRegistry } from '../enrolment/device-registry.js'
import { UnrequestedCertificateError } from '../enrolment/errors.js'
import { writeDurably, type Db } from '../store/level.js'
import { DAY_MS } from '../store/limits.js'
import type { CertificateRequests } from './certificate-requests.js'
import type { SignedFile } from './ceremony-files.js'
import { AuthorityKeyMismatchError, CLOCK_SLACK_MS } from './sign.js'

export interface ImportInit {
  db: Db
  requests: CertificateRequests
  devices: DeviceRegistry
  log: { append: (kind: 'certificate', signed: Uint8Array) => Promise<number> }
  department: string
  departmentName: string
  authorityPublicKey: Uint8Array
  nodePublicKey: Uint8Array
}

export interface Imported {
  /** Device certificates now enrolled (already-imported ones are not repeated). */
  enrolled: Certificate[]
  node?: Certificate
}

/**
 * The networked half of the ceremony's end: check every certificate the
 * offline authority signed (its signature, and that it certifies exactly
 * what a waiting request asked for) and enrol it, in the log first. A
 * certificate nobody asked for is refused: a stolen signed file cannot
 * enrol a device the node never saw, and a tampered one does not verify.
 */
export async function importSigned (init: ImportInit, signed: SignedFile, now: number): Promise<Imported> {
  if (!bytesEqual(fromHex(signed.authorityPublicKey), init.authorityPublicKey)) {
    throw new AuthorityKeyMismatchError(`these certificates are from authority ${signed.authorityPublicKey.slice(0, 16)}…, not this node's`)
  }
  const context = { trust: new TrustStore([{ department: init.department, name: init.departmentName, publicKey: init.authorityPublicKey }]), revocations: new RevocationState(), now }
  const node = signed.node == null ? undefined : verifyCertificate(fromHex(signed.node), context)
  if (node != null && (node.handle !== NODE_HANDLE || !bytesEqual(node.devicePublicKey, init.nodePublicKey))) {
    throw new UnrequestedCertificateError('the node certificate in this file is not for this node\'s key')
  }
  // all checked before anything is written: a file with one bad certificate imports none
  const certificates = signed.certificates.map(hex => verifyCertificate(fromHex(hex), context))
  const enrolled: Certificate[] = []
  await init.devices.exclusive(async () => {
    for (const certificate of certificates) {
      const request = await init.requests.get(certificate.devicePublicKey)
      if (request == null) throw new UnrequestedCertificateError(`no device asked for the certificate of ${certificate.handle} (device ${toHex(certificate.devicePublicKey).slice(0, 16)}…)`)
      const same = request.handle === certificate.handle && request.displayName === certificate.displayName && request.title === certificate.title &&
        request.department === certificate.department && request.serial === certificate.serial && bytesEqual(fromHex(request.mlsKey), certificate.mlsSignatureKey) &&
        certificate.notAfter - certificate.notBefore <= request.validityDays * DAY_MS + CLOCK_SLACK_MS
      if (!same) throw new UnrequestedCertificateError(`the certificate of ${certificate.handle} differs from what the device asked for`)
    }
    for (const certificate of certificates) {
      const request = await init.requests.get(certificate.devicePublicKey)
      if (request == null || request.certificate != null) continue
      await init.log.append('certificate', certificate.bytes)
      await writeDurably(init.db, [
        ...await init.devices.enrolmentOps(certificate, now),
        ...init.requests.putOps({ ...request, certificate: toHex(certificate.bytes) })
      ])
      enrolled.push(certificate)
    }
  })
  return { enrolled, ...(node != null ? { node } : {}) }
}
