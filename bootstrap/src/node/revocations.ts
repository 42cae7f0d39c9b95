import { bytesEqual, type RevocationState, type SigningKeyPair, type TrustStore } from '@dak/protocol'
import type { DeviceRegistry, DeviceTarget, RevocationOutcome } from '../enrolment/index.js'
import type { KeyPackageDirectory } from '../keypackages/index.js'
import { AuthorityOfflineError } from '../enrolment/errors.js'

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
    /** null when the authority is offline: revocation lists are then signed by the ceremony (not built yet). */
    authority: SigningKeyPair | null
    authorityPublicKey: Uint8Array
    trust: () => TrustStore
    state: RevocationState
    now: () => number
    /** The transparency log: each new list goes in before it is served. */
    log?: { append: (kind: 'revocation', signed: Uint8Array) => Promise<number> }
  }) {}

  /** Adopt the list in force from the database (at start). */
  async load (): Promise<void> {
    const list = await this.init.devices.revocationList()
    if (list != null) this.init.state.accept(list, this.init.trust())
  }

  async revoke (target: DeviceTarget): Promise<RevocationOutcome> {
    if (this.init.authority == null) throw new AuthorityOfflineError('this node holds no authority key, so it cannot sign a revocation list, and the offline ceremony does not sign lists yet: to revoke, stop the node, put the authority key back as authority.key, remove authority.pub, revoke, and export the key again (docs/department-node.md, "Offline authority")')
    const outcome = await this.init.devices.revoke(target, this.init.authority, this.init.now())
    await this.init.log?.append('revocation', outcome.list)
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
