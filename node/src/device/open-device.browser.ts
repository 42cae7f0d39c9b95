import { InvalidArgumentError, RevocationState, signingKeyPairFromSeed, toHex, TrustStore, verifyCertificate, type ConversationContext } from '@dak/protocol'
import { createDepartments } from '../department/departments.js'
import { createMessenger, type DakMessenger } from '../messenger/messenger.js'
import { createDakLibp2p, envelopeValidator, NotEnrolledError, type DakLibp2p } from '../net/index.browser.js'
import { openDeviceStore } from '../storage/index.js'
import { keepDepartmentLink } from './department-link.browser.js'
import { dialOfficersDirectly } from './direct-peers.browser.js'
import { libp2pMesh } from './mesh-adapter.js'
import type { OpenDevice, OpenDeviceOptions } from './open-device.js'
import { followRevocations } from './revocations.js'

export type { OpenDevice, OpenDeviceOptions } from './open-device.js'

/**
 * openDevice for the browser, chosen by the `browser` condition of
 * `@dak/node/device/open-device`. The same assembly as open-device.ts (keep
 * the two in step) with the browser's libp2p: WebSockets and WebRTC-Direct to
 * department nodes, WebRTC to other browsers, no TCP and no mDNS; plus the
 * department link (redial after an outage) and direct dialling of officers
 * over WebRTC (direct-peers.browser.ts). It exists
 * because open-device.ts imports the Node.js transports by a relative path,
 * which no export condition can redirect.
 */
export async function openDevice (options: OpenDeviceOptions): Promise<OpenDevice> {
  if (options.mdns != null && options.mdns !== false) throw new InvalidArgumentError('browsers cannot use mDNS: give the department node as bootstrap')
  const now = options.now ?? Date.now
  const store = await openDeviceStore(options.db)
  try {
    const identity = await store.identity.get()
    if (identity.deviceSeed == null || identity.certificate == null || identity.mlsSignatureKey == null || identity.trustBundle == null) {
      throw new NotEnrolledError('this device is not enrolled yet: enrol with an invite from your department first')
    }
    const trust = TrustStore.decode(identity.trustBundle)
    const revocations = new RevocationState()
    for (const list of await store.identity.revocationLists()) {
      try {
        revocations.accept(list.list, trust)
      } catch {
        // a stored list that no longer verifies (authority dropped from the bundle) is simply not in force
      }
    }
    const verifyContext = (): ConversationContext => ({ trust, revocations, now: now() })
    const device = signingKeyPairFromSeed(identity.deviceSeed)
    const certificate = verifyCertificate(identity.certificate, verifyContext())

    let messenger: DakMessenger | undefined
    const libp2p: DakLibp2p = await createDakLibp2p({
      deviceSeed: identity.deviceSeed,
      certificate: identity.certificate,
      verifyContext,
      listen: options.listen ?? [],
      bootstrap: options.bootstrap ?? [],
      dialPrivateAddresses: options.dialPrivateAddresses ?? false,
      gossip: {
        fallbackValidator: envelopeValidator({
          now,
          isKnownDevice: (key) => messenger?.isKnownDevice(key) ?? false,
          isVerifiedPeer: (peer) => libp2p.services.directory.isVerified(peer)
        })
      }
    })
    const departments = createDepartments({ libp2p, deviceKeys: device, trust: () => trust })
    messenger = await createMessenger({
      store,
      mesh: libp2pMesh(libp2p, now),
      departments,
      keys: { device, mls: identity.mlsSignatureKey, certificate, peerId: libp2p.peerId.toString() },
      verifyContext,
      now
    })
    const removeRevoked = (): void => { void messenger?.removeRevokedMembers().catch(() => {}) }
    const stopRevocations = followRevocations({ store, departments, trust, revocations, libp2p, departmentIds: trust.authorities().map(a => a.department), onRevoked: removeRevoked })
    removeRevoked()
    const opened = messenger
    // what only a browser needs: redial its node after an outage, and dial officers over WebRTC
    const stopLink = keepDepartmentLink({ libp2p, bootstrap: options.bootstrap ?? [] })
    const stopDirect = dialOfficersDirectly({ libp2p, messenger: opened, trust: () => trust })
    return {
      messenger: opened,
      libp2p,
      store,
      async stop () {
        stopDirect()
        stopLink()
        stopRevocations()
        await opened.stop()
        await libp2p.stop()
        await store.close()
      }
    }
  } catch (err) {
    await store.close()
    throw err
  }
}
