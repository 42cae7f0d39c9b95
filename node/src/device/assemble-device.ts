import { RevocationState, signingKeyPairFromSeed, TrustStore, verifyCertificate, type ConversationContext, type TrustStore as Trust } from '@dak/protocol'
import { TopicValidatorResult } from '@libp2p/gossipsub'
import { createDepartments } from '../department/departments.js'
import { createMessenger, type DakMessenger } from '../messenger/messenger.js'
import { watchRetentionPolicy } from './retention-policy.js'
import { envelopeValidator } from '../net/envelope-validator.js'
import { NotEnrolledError } from '../net/errors.js'
import type { DakLibp2p, DakLibp2pOptions } from '../net/libp2p-common.js'
import { openDeviceStore, type DeviceStore, type LevelDatabase } from '../storage/index.js'
import { libp2pMesh, type AcceptedEnvelopes } from './mesh-adapter.js'
import { keepDepartmentLink } from './department-link.js'
import { libp2pChunkNetwork } from './chunk-network.js'
import type { AttachmentOptions } from '../messenger/files/attachments.js'
import { followOfficers } from './officers.js'
import { storedNotice, watchOwnRevocation, type OwnRevocationWatch } from './own-revocation.js'
import { followRevocations } from './revocations.js'
import { watchWipeOrder, type WipeNotice } from './wipe-order.js'
import { componentLogger } from '../log.js'

const log = componentLogger('device')

export interface OpenDeviceOptions {
  db: LevelDatabase
  /** The device's storage key: the store is sealed under it (docs/storage.md, "At rest"). */
  storageKey?: Uint8Array
  listen?: string[]
  /** Department nodes to dial: multiaddrs ending in /p2p/<peer id>. */
  bootstrap?: string[]
  /**
   * The department nodes' web addresses (DIR/config.json's nodeUrl; the page's
   * origin in a browser): where a device its node refuses fetches the signed
   * revocation lists, to learn whether it was revoked.
   */
  nodeUrls?: string[]
  /** Find officers on the LAN (no department node needed). Node.js only: browsers have no mDNS. */
  mdns?: boolean | { serviceTag?: string, intervalMs?: number }
  /**
   * Browser only (open-device.browser.ts): allow dialling private addresses and
   * plain ws://, which libp2p refuses in browsers by default. Node.js dials any address.
   */
  dialPrivateAddresses?: boolean
  now?: () => number
  /** Attachments (docs/files.md): size limit, auto-download limit. */
  attachments?: AttachmentOptions
  /**
   * Remote wipe (wipe-order.ts): how this platform erases the device's store
   * and keys once the store is closed. Without it the device does not look
   * for wipe orders (tests' in-memory devices); both real platforms give it.
   */
  wipe?: {
    /** Erase everything the device keeps (Node.js: DIR/db and the key file; browser: IndexedDB and the wrapped key). `unsentReport`: keep it (no secret) to send later. */
    erase: (notice: WipeNotice, unsentReport?: Uint8Array) => Promise<void>
    /** After the erase: tell the officer. */
    onWiped?: (notice: WipeNotice) => void
    /** A fetch that failed, or an order refused (not this device's authority, not this device): nothing was erased. */
    onError?: (err: unknown) => void
  }
}

export interface OpenDevice {
  messenger: DakMessenger
  libp2p: DakLibp2p
  store: DeviceStore
  /**
   * Fetch the department's signed revocation lists now (from connected nodes and
   * over HTTP from `nodeUrls`) and see whether this device is on them; resolves
   * when done. Call it when a department node cannot be reached: a revoked device
   * is refused, and only a signed list says whether that is why.
   */
  checkRevocation: () => Promise<void>
  /** Ask the department nodes for a wipe order now (and obey it); resolves when done. */
  checkWipe: () => Promise<void>
  /** Resolves when no wipe check is running (a command waits for this before it stops the device). */
  wipeIdle: () => Promise<void>
  /** Set once the device has obeyed a wipe order: it is stopped and erased. */
  wiped: () => WipeNotice | undefined
  stop: () => Promise<void>
}

export interface Platform {
  /** The platform's libp2p factory, given what every platform shares. */
  createLibp2p: (shared: DakLibp2pOptions) => Promise<DakLibp2p>
  /** What only this platform runs beside the messenger; returns its stop function. */
  extras?: (parts: { libp2p: DakLibp2p, messenger: DakMessenger, trust: () => Trust }) => () => void
  /** Where the platform announces `online`/`offline` (a browser's window), if it does. */
  network?: EventTarget
}

/**
 * Open an enrolled device: its store, its libp2p node behind the certificate
 * gate, and the messenger over both — the same on every platform; only the
 * libp2p factory and the platform's extras differ (open-device.ts,
 * open-device.browser.ts). Throws NotEnrolledError when the store holds no
 * certificate yet (enrol first: enrol-device.ts).
 */
export async function assembleDevice (options: OpenDeviceOptions, platform: Platform): Promise<OpenDevice> {
  const now = options.now ?? Date.now
  const store = await openDeviceStore(options.db, options.storageKey !== undefined ? { storageKey: options.storageKey } : {})
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
    // checked without the revocation lists: a revoked device still opens, read-only, and says why
    const certificate = verifyCertificate(identity.certificate, { trust, revocations: new RevocationState(), now: now() })
    const revokedNotice = storedNotice(identity.revoked, (await store.identity.revocationLists()).map(l => l.list), certificate, trust)

    let messenger: DakMessenger | undefined
    const accepted: AcceptedEnvelopes = new WeakMap()
    const libp2p: DakLibp2p = await platform.createLibp2p({
      deviceSeed: identity.deviceSeed,
      certificate: identity.certificate,
      verifyContext,
      listen: options.listen ?? [],
      bootstrap: options.bootstrap ?? [],
      gossip: {
        fallbackValidator: envelopeValidator({
          now,
          isKnownDevice: (key) => messenger?.isKnownDevice(key) ?? false,
          isVerifiedPeer: (peer) => libp2p.services.directory.isVerified(peer),
          onVerdict: (verdict) => { if (verdict.result === TopicValidatorResult.Accept && verdict.envelope != null) accepted.set(verdict.envelope.bytes, verdict.envelope) }
        })
      }
    })
    const departments = createDepartments({ libp2p, deviceKeys: device, trust: () => trust })
    // disappearing messages: the department's maximum retention, asked in the background (never holds up the open)
    const retention = watchRetentionPolicy({ nodeUrls: options.nodeUrls ?? [] })
    void retention.refresh()
    messenger = await createMessenger({
      maxRetentionMs: retention.maxMessageMs,
      store,
      mesh: libp2pMesh(libp2p, now, accepted),
      departments,
      keys: { device, mls: identity.mlsSignatureKey, certificate, peerId: libp2p.peerId.toString() },
      verifyContext,
      now,
      chunks: libp2pChunkNetwork(libp2p, () => trust),
      ...(options.attachments != null ? { attachments: options.attachments } : {}),
      ...(revokedNotice != null ? { revoked: revokedNotice } : {})
    })
    const opened = messenger
    const removeRevoked = (): void => { void opened.removeRevokedMembers().catch((err) => { log.error('removing revoked members failed: %e', err) }) }
    const departmentIds = trust.authorities().map(a => a.department)
    let ownRevocation: OwnRevocationWatch | undefined
    const followed = followRevocations({ store, departments, trust, revocations, libp2p, departmentIds, onRevoked: (list) => { ownRevocation?.consider(list); removeRevoked() } })
    ownRevocation = watchOwnRevocation({ store, trust, certificate, messenger: opened, departments, libp2p, nodeUrls: options.nodeUrls ?? [], adopt: followed.adopt })
    if (revokedNotice != null && identity.revoked == null) await store.identity.put({ revoked: revokedNotice })
    removeRevoked()
    const stopOfficers = followOfficers({
      libp2p,
      departmentIds,
      verifyContext,
      onOfficer: (certificate) => { void opened.learnOfficer(certificate).catch((err) => { log.error('learning an officer failed: %e', err) }) }
    })
    const stopLink = keepDepartmentLink({ libp2p, bootstrap: options.bootstrap ?? [], revoked: () => opened.revocation() != null, ...(platform.network != null ? { network: platform.network } : {}) })
    const stopExtras = platform.extras?.({ libp2p, messenger: opened, trust: () => trust }) ?? (() => {})
    let wiped: WipeNotice | undefined
    let stopping: Promise<void> | undefined
    const wipe = options.wipe
    const wipeWatch = wipe == null
      ? undefined
      : watchWipeOrder({
        certificate,
        trust,
        deviceKeys: device,
        departments,
        libp2p,
        nodeUrls: options.nodeUrls ?? [],
        now,
        ...(wipe.onError != null ? { onError: wipe.onError } : {}),
        obey: async (_order, notice, unsentReport) => {
          await self.stop()
          await wipe.erase(notice, unsentReport)
          wiped = notice
          wipe.onWiped?.(notice)
        }
      })
    const self: OpenDevice = {
      messenger: opened,
      libp2p,
      store,
      checkRevocation: async () => { await Promise.all([ownRevocation?.check(), wipeWatch?.check()]) },
      checkWipe: async () => { await wipeWatch?.check() },
      wipeIdle: async () => { await wipeWatch?.idle() },
      wiped: () => wiped,
      async stop () {
        stopping ??= stopParts()
        await stopping
      }
    }
    const stopParts = async (): Promise<void> => {
      wipeWatch?.stop()
      stopExtras()
      retention.stop()
      stopLink()
      stopOfficers()
      ownRevocation?.stop()
      followed.stop()
      await opened.stop()
      await libp2p.stop()
      await store.close()
    }
    void wipeWatch?.check()
    return self
  } catch (err) {
    await store.close()
    throw err
  }
}
