import { MAX_TRUST_BUNDLE_BYTES, ED25519_PUBLIC_KEY_BYTES } from '../constants.js'
import { decodeBounded } from '../codec.js'
import { concatBytes, toHex, utf8 } from '../bytes.js'
import { InvalidArgumentError, InvalidSignatureError, UnendorsedAuthorityError } from '../errors.js'
import { TrustBundle, type Authority } from '../wire/generated/identity.js'
import { signFor, verifyFor, type SigningKeyPair } from './keys.js'
import { checkDepartment, checkLabel } from './names.js'

/**
 * The department authorities this node accepts. Built from a TrustBundle, so
 * ministries can talk to each other while each keeps its own root.
 *
 * One department, one root: a department's first authority is the one with no
 * endorsement, and any further authority for it (a new key during a rotation)
 * must carry an endorsement signed by an authority of that department already
 * in the store, so every one traces back to the root. Anything else is an
 * UnendorsedAuthorityError: whoever can add a line to a bundle on its way to
 * a device must not thereby become a second authority for its department.
 */
export class TrustStore {
  private readonly byKey = new Map<string, Authority>()
  private readonly roots = new Map<string, Authority>()

  constructor (authorities: Authority[]) {
    for (const authority of authorities) {
      if (authority.publicKey.length !== ED25519_PUBLIC_KEY_BYTES) throw new InvalidArgumentError(`authority of ${authority.department} has no Ed25519 public key`)
      checkDepartment(authority.department)
      checkLabel(authority.name, 'authority name')
      this.byKey.set(toHex(authority.publicKey), authority)
    }
    for (const authority of this.byKey.values()) {
      if (authority.endorsedBy == null && authority.endorsement == null) this.addRoot(authority)
    }
    for (const authority of this.byKey.values()) this.checkEndorsed(authority)
  }

  private addRoot (authority: Authority): void {
    if (this.roots.has(authority.department)) {
      throw new UnendorsedAuthorityError(`the trust bundle names a second authority for ${authority.department} that the first did not sign: a department has one authority, and a new one counts only when signed by it`)
    }
    this.roots.set(authority.department, authority)
  }

  /** An endorsed authority's signature checks, and its chain of endorsers reaches its department's root. */
  private checkEndorsed (authority: Authority): void {
    let current = authority
    // every step moves to another authority of the store, so a chain longer than the store is a loop
    for (let steps = 0; steps <= this.byKey.size; steps++) {
      if (current.endorsedBy == null && current.endorsement == null) return
      const endorser = current.endorsedBy == null ? undefined : this.byKey.get(toHex(current.endorsedBy))
      if (endorser == null || endorser.department !== current.department || current.endorsement == null) {
        throw new UnendorsedAuthorityError(`an authority for ${current.department} in the trust bundle is not signed by another authority of ${current.department} in it`)
      }
      try {
        verifyFor('authorityEndorsement', endorser.publicKey, endorsedBytes(current), current.endorsement, 'authority endorsement')
      } catch (err) {
        if (err instanceof InvalidSignatureError) throw new UnendorsedAuthorityError(`the endorsement of a second authority for ${current.department} does not verify`)
        throw err
      }
      current = endorser
    }
    throw new UnendorsedAuthorityError(`the authorities for ${authority.department} in the trust bundle endorse each other in a loop, with no first authority`)
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

  /** The department's first authority: the one every other authority for it was signed by, directly or in a chain. */
  rootFor (department: string): Authority | undefined {
    return this.roots.get(department)
  }

  authorities (): Authority[] {
    return [...this.byKey.values()]
  }

  /** A new store that also trusts `authority` (the bundle is replaced, never mutated in place). */
  with (authority: Authority): TrustStore {
    return new TrustStore([...this.authorities().filter(a => toHex(a.publicKey) !== toHex(authority.publicKey)), authority])
  }
}

/** What an endorsement signs: the department and the key, NUL-separated (a department id never contains NUL). */
function endorsedBytes (authority: Authority): Uint8Array {
  return concatBytes(utf8(authority.department), new Uint8Array([0]), authority.publicKey)
}

/**
 * `authority`, signed by `endorser` (an authority of the same department) so a
 * TrustStore that already trusts the endorser accepts it as a further
 * authority for that department, e.g. the next key in a rotation.
 */
export function endorseAuthority (endorser: SigningKeyPair, authority: Authority): Authority {
  const { endorsedBy: _by, endorsement: _sig, ...plain } = authority
  return { ...plain, endorsedBy: endorser.publicKey, endorsement: signFor('authorityEndorsement', endorser.privateKey, endorsedBytes(plain)) }
}
