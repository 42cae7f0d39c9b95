import { bytesEqual, toHex, verifyRevocationList, type RevocationState, type SigningKeyPair, type TrustStore } from '@dak/protocol'
import type { DeviceRegistry, DeviceTarget, RevocationOutcome } from '../enrolment/index.js'
import type { KeyPackageDirectory } from '../keypackages/index.js'
import type { CertificateRequests } from '../authority/certificate-requests.js'
import { AuthorityOfflineError, UnrequestedCertificateError } from '../enrolment/errors.js'
import { writeDurably, type Db } from '../store/level.js'

/**
 * The department authority's revocations as the node applies them: sign the
 * next list (DeviceRegistry), adopt it into the revocation state the node's
 * certificate gate and validators read, and forget the revoked devices' key
 * packages so nobody can add them to a conversation any more. Hanging up
 * their connections and publishing the list are the caller's (it has libp2p).
 *
 * With the authority offline, `request` records the target and forgets the
 * devices' key packages at once; the list is signed at the next ceremony and
 * brought in by `importList`, which applies it exactly as `revoke` would.
 */
export class AuthorityRevocations {
  constructor (private readonly init: {
    devices: DeviceRegistry
    keyPackages: KeyPackageDirectory
    /** null when the authority is offline: lists are then signed by the ceremony. */
    authority: SigningKeyPair | null
    authorityPublicKey: Uint8Array
    trust: () => TrustStore
    state: RevocationState
    now: () => number
    /** The transparency log: each new list goes in before it is served. */
    log?: { append: (kind: 'revocation', signed: Uint8Array) => Promise<number> }
    /** The node's audit log: every revocation order is recorded, with what it revoked. */
    audit?: { append: (action: 'revocation', details: Record<string, string | number | string[]>) => Promise<unknown> }
    /** Where revocations wait for the offline authority (with `db` to write them). */
    requests?: CertificateRequests
    db?: Db
  }) {}

  /** Adopt the list in force from the database (at start). */
  async load (): Promise<void> {
    const list = await this.init.devices.revocationList()
    if (list != null) this.init.state.accept(list, this.init.trust())
  }

  async revoke (target: DeviceTarget): Promise<RevocationOutcome> {
    if (this.init.authority == null) throw new AuthorityOfflineError('this node holds no authority key, so it cannot sign a revocation list: record the revocation (the node does when it is asked to revoke) and sign it at the next ceremony')
    return await this.applied(await this.init.devices.revoke(target, this.init.authority, this.init.now()), 'handle' in target ? target.handle : toHex(target.deviceKey))
  }

  /** Offline authority: record the revocation for the next ceremony; the devices' key packages go at once. Returns their keys. */
  async request (target: DeviceTarget): Promise<Uint8Array[]> {
    const { requests, db, devices } = this.init
    if (requests == null || db == null) throw new AuthorityOfflineError('this node cannot record revocations for the offline authority')
    const planned = await devices.plannedRevocation([target], this.init.now())
    const affected = 'handle' in target ? await devices.devicesOf(target.handle) : [await devices.device(target.deviceKey)].filter(d => d != null)
    const fresh = affected.filter(d => d.revokedAt == null).map(d => d.deviceKey)
    if (planned.fresh > 0) await writeDurably(db, requests.revocationOps(target))
    for (const device of fresh) await this.init.keyPackages.removeDevice(device)
    return fresh
  }

  /** Offline authority: apply the list the ceremony signed for the recorded revocations. */
  async importList (list: Uint8Array): Promise<RevocationOutcome> {
    const { requests, db } = this.init
    if (requests == null || db == null) throw new AuthorityOfflineError('this node cannot take revocation lists from the offline authority')
    const targets = await requests.revocationTargets()
    if (targets.length === 0) throw new UnrequestedCertificateError('no revocation waits for a list here')
    const signed = verifyRevocationList(list, this.init.trust())
    if (!bytesEqual(signed.authorityPublicKey, this.init.authorityPublicKey)) throw new UnrequestedCertificateError('the revocation list is not this authority\'s')
    const outcome = await this.init.devices.revoke(targets, (serial, keys) => {
      const named = new Set(signed.revokedDeviceKeys.map(toHex))
      if (signed.serial !== serial || keys.some(k => !named.has(toHex(k)))) {
        throw new UnrequestedCertificateError(`the revocation list (#${signed.serial}, ${named.size} devices) is not the one waiting (#${serial}, ${keys.length} devices): write the requests again and sign them`)
      }
      return list
    }, this.init.now())
    await writeDurably(db, await requests.clearRevocationsOps())
    return await this.applied(outcome, 'offline authority list')
  }

  /** `what`: whom the order named (a handle, a device key), for the audit log. */
  private async applied (outcome: RevocationOutcome, what: string): Promise<RevocationOutcome> {
    await this.init.log?.append('revocation', outcome.list)
    await this.init.audit?.append('revocation', { target: what, serial: outcome.serial, revoked: outcome.revoked.map(toHex) })
    // revoking nothing new returns the list in force, which the state already holds
    if (outcome.serial > this.init.state.serialOf(this.init.authorityPublicKey)) this.init.state.accept(outcome.list, this.init.trust())
    for (const device of outcome.revoked) await this.init.keyPackages.removeDevice(device)
    return outcome
  }

  /** The signed lists in force here, this authority's first: what '/dak/revocations/1.0.0' serves. */
  async lists (): Promise<Uint8Array[]> {
    const own = await this.init.devices.revocationList()
    const others = this.init.state.encodedLists().filter(list => own == null || !bytesEqual(list, own))
    return own == null ? others : [own, ...others]
  }
}
