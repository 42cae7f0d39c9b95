import { bytesEqual, decodeCertificate, fromHex, hashInviteSecret, rpc, toHex, verifyEnrolRequest } from '@dak/protocol'
import { issueCertificate, RevokedCertificateError, type Certificate, type SigningKeyPair } from '@dak/protocol'
import type { CertificateRequests } from '../authority/certificate-requests.js'
import { DAY_MS } from '../store/limits.js'
import type { DeviceRegistry } from './device-registry.js'
import { DeviceAlreadyEnrolledError, EnrolmentPendingError, InviteAlreadyUsedError } from './errors.js'
import type { InviteRegistry } from './invite-registry.js'

export const DEFAULT_CERTIFICATE_VALIDITY_DAYS = 365

export interface EnrolmentServiceOptions {
  invites: InviteRegistry
  devices: DeviceRegistry
  /** Department id the authority certifies for, e.g. "mof.budget". */
  department: string
  /** The encoded TrustBundle handed to every new device. */
  trustBundle: () => Uint8Array
  /** Other authorities' revocation lists in force here; this authority's own list is added first. */
  otherRevocationLists?: () => Uint8Array[]
  certificateValidityDays?: number
  /** The transparency log: an issued certificate is in it before the device gets it. */
  log?: { append: (kind: 'certificate', signed: Uint8Array) => Promise<number> }
  /** The node's audit log (bootstrap/src/audit): the invite's redemption and the accepted device are recorded there. */
  audit?: { append: (action: 'invite-redeemed' | 'device-accepted', details: Record<string, string | number>) => Promise<unknown> }
  /** Where requests wait for the offline authority; required when enrol() is called without a key. */
  requests?: CertificateRequests
}

/**
 * Enrolment at the department node: a new device presents an invite secret,
 * its device key, its MLS signature key and a proof that it holds the device
 * key; it gets a certificate, the trust bundle and the revocation lists.
 *
 * Order matters: everything that can be refused for the request's own sake
 * (shape, proof, revoked device, a device of another officer, a certificate
 * that cannot be issued) is refused before the invite is used, and the
 * invite's "used" mark is written in the same fsynced batch as the device's
 * record. So a bad request never burns an invite, and a crash never leaves
 * an invite used without its device, or a device without its invite used.
 */
export class EnrolmentService {
  private readonly options: EnrolmentServiceOptions
  private readonly validityMs: number

  constructor (options: EnrolmentServiceOptions) {
    this.options = options
    this.validityMs = (options.certificateValidityDays ?? DEFAULT_CERTIFICATE_VALIDITY_DAYS) * DAY_MS
  }

  /**
   * Enrol a device. With `authority` null (the authority is offline) the
   * first request redeems the invite into a certificate request and is
   * answered EnrolmentPendingError; the same device asking again with the same
   * invite gets the certificate once `dak-node authority import` brought it.
   */
  async enrol (request: rpc.EnrolRequest, authority: SigningKeyPair | null, now: number): Promise<rpc.EnrolResponse> {
    verifyEnrolRequest(request)
    const certificate = authority == null ? await this.request(request, now) : await this.issue(request, authority, now)
    const own = await this.options.devices.revocationList()
    return {
      certificate: certificate.bytes,
      trustBundle: this.options.trustBundle(),
      revocationLists: [...(own == null ? [] : [own]), ...(this.options.otherRevocationLists?.() ?? [])]
    }
  }

  /** Offline authority: record the request (redeeming the invite), or hand out what the ceremony signed for it. */
  private async request (request: rpc.EnrolRequest, now: number): Promise<Certificate> {
    const { invites, devices, requests } = this.options
    if (requests == null) throw new Error('an enrolment service without an authority key needs a request registry')
    const inviteHash = toHex(hashInviteSecret(request.inviteSecret))
    let signed: Certificate | undefined
    await devices.exclusive(async () => {
      const existing = await devices.device(request.devicePublicKey)
      if (existing?.revokedAt != null) throw new RevokedCertificateError('this device has been revoked and cannot enrol again')
      const waiting = await requests.get(request.devicePublicKey)
      if (waiting != null) {
        // the invite is redeemed into this request: only its holder, with the same keys, collects
        if (waiting.inviteHash !== inviteHash || !bytesEqual(fromHex(waiting.mlsKey), request.mlsSignatureKey)) throw new InviteAlreadyUsedError('this device already asked with another invite or key')
        if (waiting.certificate != null) signed = decodeCertificate(fromHex(waiting.certificate)).certificate
        return
      }
      const serial = await devices.nextSerial()
      await invites.redeem(request.inviteSecret, now, async (invite) => {
        if (existing != null && existing.handle !== invite.handle) {
          throw new DeviceAlreadyEnrolledError(`this device is enrolled for ${existing.handle}, not ${invite.handle}`)
        }
        return [
          ...requests.putOps({
            deviceKey: toHex(request.devicePublicKey),
            mlsKey: toHex(request.mlsSignatureKey),
            handle: invite.handle,
            displayName: invite.displayName,
            title: invite.title,
            department: this.options.department,
            serial,
            requestedAt: now,
            validityDays: this.validityMs / DAY_MS,
            inviteHash
          }),
          ...await devices.serialReservationOps(serial)
        ]
      })
    })
    if (signed == null) throw new EnrolmentPendingError('the department authority signs certificates offline: your request is recorded and waits for its signature; ask again with the same device later')
    return signed
  }

  private async issue (request: rpc.EnrolRequest, authority: SigningKeyPair, now: number): Promise<Certificate> {
    const { invites, devices } = this.options
    return await devices.exclusive(async () => {
      const existing = await devices.device(request.devicePublicKey)
      if (existing?.revokedAt != null) throw new RevokedCertificateError('this device has been revoked and cannot enrol again')
      let issued: Certificate | undefined
      await invites.redeem(request.inviteSecret, now, async (invite) => {
        if (existing != null && existing.handle !== invite.handle) {
          throw new DeviceAlreadyEnrolledError(`this device is enrolled for ${existing.handle}, not ${invite.handle}`)
        }
        issued = issueCertificate(authority, {
          handle: invite.handle,
          displayName: invite.displayName,
          title: invite.title,
          department: this.options.department,
          devicePublicKey: request.devicePublicKey,
          mlsSignatureKey: request.mlsSignatureKey,
          notBefore: now,
          notAfter: now + this.validityMs,
          serial: await devices.nextSerial()
        })
        return await devices.enrolmentOps(issued, now)
      })
      if (issued == null) throw new Error('invite redeemed without issuing a certificate')
      // a crash before this line leaves the certificate out of the log until the node's next start adds it (storage.ts)
      await this.options.log?.append('certificate', issued.bytes)
      // after the durable enrolment: a crash here loses the audit entries, never the enrolment (docs/department-node.md, Audit log)
      const deviceKey = toHex(issued.devicePublicKey)
      await this.options.audit?.append('invite-redeemed', { handle: issued.handle, deviceKey })
      await this.options.audit?.append('device-accepted', { handle: issued.handle, deviceKey, serial: issued.serial, notAfter: issued.notAfter })
      return issued
    })
  }
}
