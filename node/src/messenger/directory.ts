import { DakError, decodeCertificate, toHex, verifyCertificate, type Certificate } from '@dak/protocol'
import type { DeviceSummary, OfficerSummary } from './api.js'
import type { EngineContext } from './context.js'
import { newDeviceLines, sharedWith } from './new-devices.js'
import { officerOf } from './officers.js'

/** No officer with that handle is known to this device (not met, not in the directory). */
export class UnknownOfficerError extends DakError { override name = 'UnknownOfficerError' }
/** No valid device with that key is known to this device. */
export class UnknownDeviceError extends DakError { override name = 'UnknownDeviceError' }

/**
 * The officers' directory: every certificate this device has verified, from
 * connected peers, group members and the department's directory. Only
 * verified certificates are kept; a revoked or expired one is skipped on read.
 */
export class Directory {
  constructor (private readonly ctx: EngineContext) {}

  /**
   * Remember a certificate we already verified (peer gate, MLS credential, the
   * officers topic, a key package). A device first seen under a handle this
   * device already shares a conversation with is stored as new and announced
   * in each of those conversations in the same write (new-devices.ts).
   */
  async learn (certificate: Certificate): Promise<void> {
    const deviceKey = toHex(certificate.devicePublicKey)
    if (deviceKey === toHex(this.ctx.keys.device.publicKey)) return
    const known = await this.ctx.store.peers.get(deviceKey)
    if (known != null && known.certificate.length === certificate.bytes.length && toHex(known.certificate) === toHex(certificate.bytes)) return
    const peer = { deviceKey, handle: certificate.handle, certificate: certificate.bytes }
    if (known != null) {
      // a renewed certificate of a device already seen keeps its state
      await this.ctx.store.peers.put({ ...peer, ...(known.state != null ? { state: known.state } : {}) })
      return
    }
    const shared = await sharedWith(this.ctx, certificate.handle)
    if (shared.length === 0) {
      await this.ctx.store.peers.put(peer)
      return
    }
    const lines = newDeviceLines(this.ctx, certificate, shared)
    // a device forgotten and met again was announced already: announce it once
    const fresh = []
    for (const message of lines.messages) if (!(await this.ctx.store.messages.has(message.id))) fresh.push(message)
    await this.ctx.store.commit([{ type: 'peer-put', peer: { ...peer, state: 'new' } }, ...fresh.map(message => ({ type: 'message-add' as const, message }))])
    for (const message of fresh) this.ctx.emitter.emit('message', message)
  }

  /** Accept an officer's new device: from now on this device adds it where it adds the officer. */
  async accept (deviceKey: string): Promise<DeviceSummary> {
    const peer = await this.ctx.store.peers.get(deviceKey)
    const certificate = peer == null ? undefined : this.validOrUndefined(peer.certificate)
    if (peer == null || certificate == null) throw new UnknownDeviceError(`no valid device ${deviceKey} is known to this device`)
    if (peer.state != null) await this.ctx.store.peers.put({ deviceKey, handle: peer.handle, certificate: peer.certificate })
    return { ...officerOf(certificate), state: 'accepted', thisDevice: false }
  }

  /** Whether this device adds the device to conversations (known, not held as new, not removed by its officer). */
  async isAccepted (deviceKey: string): Promise<boolean> {
    const peer = await this.ctx.store.peers.get(deviceKey)
    return peer != null && peer.state == null
  }

  /** This officer removed one of its own other devices: added nowhere from here on (until vouched for again). */
  async markRemovedByItsOfficer (deviceKey: string): Promise<void> {
    const peer = await this.ctx.store.peers.get(deviceKey)
    if (peer != null) await this.ctx.store.peers.put({ ...peer, state: 'removed' })
  }

  /** Whether another device of its own officer removed it (inbox-effects.ts): left out of every add, without a line. */
  async isRemovedByItsOfficer (deviceKey: string): Promise<boolean> {
    return (await this.ctx.store.peers.get(deviceKey))?.state === 'removed'
  }

  /** Every current device of an officer, this one included when it is ours, each with its state. */
  async devices (handle: string): Promise<DeviceSummary[]> {
    const found: DeviceSummary[] = []
    if (handle === this.ctx.keys.certificate.handle) found.push({ ...officerOf(this.ctx.keys.certificate), state: 'accepted', thisDevice: true })
    for (const peer of await this.ctx.store.peers.byHandle(handle)) {
      const certificate = this.validOrUndefined(peer.certificate)
      if (certificate != null) found.push({ ...officerOf(certificate), state: peer.state ?? 'accepted', thisDevice: false })
    }
    return found
  }

  private validOrUndefined (bytes: Uint8Array): Certificate | undefined {
    try {
      return verifyCertificate(bytes, this.ctx.verifyContext())
    } catch {
      return undefined // expired or revoked: not a current device
    }
  }

  /** Verify and remember certificates from an untrusted list (the department's directory); bad ones are skipped. */
  async learnUnverified (encoded: Uint8Array[]): Promise<number> {
    let learned = 0
    for (const bytes of encoded) {
      try {
        await this.learn(verifyCertificate(bytes, this.ctx.verifyContext()))
        learned++
      } catch {
        // one bad entry must not hide the rest of the directory
      }
    }
    return learned
  }

  /** Valid certificates of an officer's devices, new ones included. */
  async devicesOf (handle: string): Promise<Certificate[]> {
    const found: Certificate[] = []
    for (const peer of await this.ctx.store.peers.byHandle(handle)) {
      try {
        found.push(verifyCertificate(peer.certificate, this.ctx.verifyContext()))
      } catch {
        // expired or revoked since we met: not a device to talk to
      }
    }
    return found
  }

  /** Valid certificates of every known device (for the certificate-log audit). */
  async certificates (): Promise<Certificate[]> {
    const found: Certificate[] = []
    for (const peer of await this.ctx.store.peers.list()) {
      const certificate = this.validOrUndefined(peer.certificate)
      if (certificate != null) found.push(certificate)
    }
    return found
  }

  async require (handle: string): Promise<Certificate[]> {
    const devices = await this.devicesOf(handle)
    if (devices.length === 0) throw new UnknownOfficerError(`no officer "${handle}" is known to this device yet`)
    return devices
  }

  async contacts (): Promise<OfficerSummary[]> {
    const byHandle = new Map<string, OfficerSummary>()
    for (const peer of await this.ctx.store.peers.list()) {
      try {
        const certificate = verifyCertificate(peer.certificate, this.ctx.verifyContext())
        if (certificate.handle === 'node') continue
        byHandle.set(certificate.handle, officerOf(certificate))
      } catch {
        // skip expired and revoked
      }
    }
    return [...byHandle.values()].sort((a, b) => a.displayName.localeCompare(b.displayName))
  }

  /** Who a device is, for showing a sender even if its certificate has since expired. */
  async describe (deviceKey: string): Promise<OfficerSummary | undefined> {
    const peer = await this.ctx.store.peers.get(deviceKey)
    if (peer == null) return undefined
    return officerOf(decodeCertificate(peer.certificate).certificate)
  }
}
