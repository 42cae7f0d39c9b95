import { DakError, decodeCertificate, toHex, verifyCertificate, type Certificate } from '@dak/protocol'
import type { OfficerSummary } from './api.js'
import type { EngineContext } from './context.js'
import { officerOf } from './officers.js'

/** No officer with that handle is known to this device (not met, not in the directory). */
export class UnknownOfficerError extends DakError { override name = 'UnknownOfficerError' }

/**
 * The officers' directory: every certificate this device has verified, from
 * connected peers, group members and the department's directory. Only
 * verified certificates are kept; a revoked or expired one is skipped on read.
 */
export class Directory {
  constructor (private readonly ctx: EngineContext) {}

  /** Remember a certificate we already verified (peer gate, MLS credential). */
  async learn (certificate: Certificate): Promise<void> {
    const deviceKey = toHex(certificate.devicePublicKey)
    if (deviceKey === toHex(this.ctx.keys.device.publicKey)) return
    const known = await this.ctx.store.peers.get(deviceKey)
    if (known != null && known.certificate.length === certificate.bytes.length && toHex(known.certificate) === toHex(certificate.bytes)) return
    await this.ctx.store.peers.put({ deviceKey, handle: certificate.handle, certificate: certificate.bytes })
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

  /** Valid certificates of an officer's devices. */
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
