import { bytesEqual, toHex, type RevocationState, type SigningKeyPair, type TrustStore } from '@dak/protocol'
import type { DeviceRegistry, DeviceTarget, RevocationOutcome } from '../enrolment/index.js'
import type { KeyPackageDirectory } from '../keypackages/index.js'

/**
 * The department authority's revocations as the node applies them: sign the
 * next list (DeviceRegistry), adopt it into the revocation state the node's
 * certificate gate and validators read, and forget the revoked devices' key
 * packages so nobody can add them to a conversation any more. Hanging up
 * their connections and publishing the list are the caller's (it has libp2p).
 */
export class AuthorityRevocations {
  constructor (private readonly init: {
    devices: DeviceRegistry
    keyPackages: KeyPackageDirectory
    authority: SigningKeyPair
    trust: () => TrustStore
    state: RevocationState
    now: () => number
    /** The transparency log: each new list goes in before it is served. */
    log?: { append: (kind: 'revocation', signed: Uint8Array) => Promise<number> }
    /** The node's audit log: every revocation order is recorded, with what it revoked. */
    audit?: { append: (action: 'revocation', details: Record<string, string | number | string[]>) => Promise<unknown> }
  }) {}

  /** Adopt the list in force from the database (at start). */
  async load (): Promise<void> {
    const list = await this.init.devices.revocationList()
    if (list != null) this.init.state.accept(list, this.init.trust())
  }

  async revoke (target: DeviceTarget): Promise<RevocationOutcome> {
    const outcome = await this.init.devices.revoke(target, this.init.authority, this.init.now())
    await this.init.log?.append('revocation', outcome.list)
    await this.init.audit?.append('revocation', { target: 'handle' in target ? target.handle : toHex(target.deviceKey), serial: outcome.serial, revoked: outcome.revoked.map(toHex) })
    // revoking nothing new returns the list in force, which the state already holds
    if (outcome.serial > this.init.state.serialOf(this.init.authority.publicKey)) this.init.state.accept(outcome.list, this.init.trust())
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
