import { decodeCertificate, fromHex, toHex, type Certificate, type RevocationState } from '@dak/protocol'

/**
 * Which devices' envelopes this node accepts, answered synchronously (gossip
 * validators cannot wait): this department's enrolled devices, and devices
 * of trusted departments whose certificates the gate verified on a
 * connection. Revocation and expiry are judged at every question, so a list
 * adopted a moment ago applies at once.
 */

/** Certificates remembered from connections: enough for the members of every conversation a node stores. */
const MAX_SEEN_DEVICES = 16_384

interface Known {
  authority: Uint8Array
  notAfter: number
}

export class KnownDevices {
  private readonly enrolled = new Map<string, Known>()
  /** Insertion order = age: the oldest goes first when full. */
  private readonly seen = new Map<string, Known>()

  constructor (private readonly revocations: RevocationState, private readonly now: () => number, private readonly maxSeen = MAX_SEEN_DEVICES) {}

  /** A device enrolled here (its certificate as issued); returns its key. */
  enrol (certificate: Certificate | Uint8Array): Uint8Array {
    const c = certificate instanceof Uint8Array ? decodeCertificate(certificate).certificate : certificate
    this.enrolled.set(toHex(c.devicePublicKey), { authority: c.authorityPublicKey, notAfter: c.notAfter })
    return c.devicePublicKey
  }

  /** A device whose certificate the gate verified on a connection. */
  saw (certificate: Certificate): void {
    const key = toHex(certificate.devicePublicKey)
    this.seen.delete(key)
    this.seen.set(key, { authority: certificate.authorityPublicKey, notAfter: certificate.notAfter })
    while (this.seen.size > this.maxSeen) {
      const oldest = this.seen.keys().next().value
      if (oldest === undefined) break
      this.seen.delete(oldest)
    }
  }

  has (deviceKey: Uint8Array): boolean {
    const key = toHex(deviceKey)
    const known = this.enrolled.get(key) ?? this.seen.get(key)
    if (known == null || this.now() >= known.notAfter) return false
    return !this.revocations.isRevoked(known.authority, deviceKey)
  }

  /** Enrolled devices that are neither expired nor revoked. */
  enrolledDevices (): Uint8Array[] {
    return [...this.enrolled.keys()].map(fromHex).filter(key => this.has(key))
  }
}
