import { MAX_TRUST_BUNDLE_BYTES, ED25519_PUBLIC_KEY_BYTES } from '../constants.js'
import { decodeBounded } from '../codec.js'
import { toHex } from '../bytes.js'
import { InvalidArgumentError } from '../errors.js'
import { TrustBundle, type Authority } from '../wire/identity.js'
import { checkDepartment, checkLabel } from './names.js'

/**
 * The department authorities this node accepts. Built from a TrustBundle, so
 * ministries can talk to each other while each keeps its own root.
 */
export class TrustStore {
  private readonly byKey = new Map<string, Authority>()

  constructor (authorities: Authority[]) {
    for (const authority of authorities) {
      if (authority.publicKey.length !== ED25519_PUBLIC_KEY_BYTES) throw new InvalidArgumentError(`authority of ${authority.department} has no Ed25519 public key`)
      checkDepartment(authority.department)
      checkLabel(authority.name, 'authority name')
      this.byKey.set(toHex(authority.publicKey), authority)
    }
  }

  static decode (bytes: Uint8Array): TrustStore {
    return new TrustStore(decodeBounded(TrustBundle, bytes, MAX_TRUST_BUNDLE_BYTES, 'trust bundle').authorities)
  }

  encode (): Uint8Array {
    return TrustBundle.encode({ authorities: this.authorities() })
  }

  authorityFor (publicKey: Uint8Array): Authority | undefined {
    return this.byKey.get(toHex(publicKey))
  }

  authorities (): Authority[] {
    return [...this.byKey.values()]
  }

  /** A new store that also trusts `authority` (the bundle is replaced, never mutated in place). */
  with (authority: Authority): TrustStore {
    return new TrustStore([...this.authorities().filter(a => toHex(a.publicKey) !== toHex(authority.publicKey)), authority])
  }
}
