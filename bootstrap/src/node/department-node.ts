import { bytesEqual, RevocationState, toHex, TrustStore, type Authority, type Certificate } from '@dak/protocol'
import { controlTopic, isDepartmentNode, LINK_INVITE_VALIDITY_MS, officersTopic } from '@dak/protocol/department'
import { officersTopicValidator, revocationTopicValidator } from '@dak/node/department'
import { createRpc, envelopeValidator } from '@dak/node/net'
import { TypedEventEmitter, type PeerId, type TypedEventTarget } from '@libp2p/interface'
import type { DepartmentConfig } from '../config/config.js'
import type { DeviceTarget } from '../enrolment/index.js'
import { startHttpServer } from '../http/server.js'
import type { HttpLimits } from '../http/limits.js'
import { loadDepartmentKeys } from '../identity/node-keys.js'
import { serveDepartmentProtocols } from '../protocols/index.js'
import { serveFileChunks } from '../files/serve.js'
import { mayUseTopic } from '../protocols/topic-access.js'
import { advertisedAddresses, browserAddresses, proxiedWss, publicWebUrl } from './addresses.js'
import { startAdminServer, type AdminServer } from './admin.js'
import { deviceListing } from './device-list.js'
import { MAX_HTTP_BODY_BYTES, publicRoutes } from './http-api.js'
import { issueInvite, type InviteRequest, type IssuedInvite } from './invites.js'
import { KnownDevices } from './known-devices.js'
import { createDepartmentLibp2p, type DepartmentLibp2p } from './libp2p.js'
import { removeSpentInviteImages } from './invite-images.js'
import { DEFAULT_MAINTENANCE_INTERVAL_MS, startMaintenance } from './maintenance.js'
import { needsRenewal, nodeCertificate } from './node-certificate.js'
import { authorityCeremony } from '../authority/node-side.js'
import type { RequestsFile, SignedFile } from '../authority/ceremony-files.js'
import { createNodeMetrics } from './node-metrics.js'
import { RateLimiter } from './rate-limit.js'
import { AuthorityRevocations } from './revocations.js'
import { openDepartmentStorage } from './storage.js'
import { joinCluster, type ClusterNotice, type ClusterSync } from './cluster-sync.js'
import { StoreForward, type StoredFromGossip } from './store-forward.js'
import { summarizeDevices, type DeviceSummary, type RevocationSummary } from './summaries.js'
import { startNodeTls, type NodeTls } from './node-tls.js'
import { renewServerCertificate } from '../tls/department-tls.js'
import { auditActions, type AuditLog } from '../audit/index.js'
import type { WipeSummary } from '../wipe/wipe-orders.js'
import { announceTopicsPerPeer } from './topic-announcements.js'

/**
 * A department node: bootstrap and relay for its officers' devices,
 * store-and-forward, MLS commit sequencer, key-package directory, enrolment
 * authority and revocation, with health and metrics over HTTP. This file only
 * wires the parts together; each part is its own module beside it.
 */

export interface DepartmentNodeOptions {
  /** ms since epoch; injected so tests can move time (invite expiry). */
  now?: () => number
  /** Other departments' authorities to trust (cross-department conversations). */
  trustedAuthorities?: Authority[]
  /** Serve the admin API on 127.0.0.1 and write <dataDir>/admin.json (what `dak-node start` does). */
  admin?: boolean
  /** Enrolment attempts per remote address: a burst, then a steady rate. */
  enrolmentRateLimit?: { capacity: number, refillPerSecond: number }
  /** The public web server's rates and time limits (bootstrap/src/http/limits.ts); defaults where absent. */
  httpLimits?: Partial<HttpLimits>
  maintenanceIntervalMs?: number
  /** Certificate-gate timings (see node/src/net): tests shorten the deny period. */
  gate?: { certificateTimeoutMs?: number, denyMs?: number }
  /** Where failures of background chores are reported; console.error by default. */
  onError?: (err: unknown) => void
  /** How often the TLS certificate and key files are checked for a change (default a minute). */
  tlsCheckIntervalMs?: number
  /** How often disappearing messages whose expiry passed are deleted from the store (default a second). */
  expirySweepMs?: number
}

export interface NodeStatus {
  department: string
  departmentName: string
  peerId: string
  authorityPublicKey: string
  /** 'offline' when this node holds no authority private key. */
  authority: 'online' | 'offline'
  webUrl: string
  multiaddrs: string[]
  peers: number
  verifiedPeers: number
  relayReservations: number
  subscribedTopics: number
  store: { envelopes: number, bytes: number, topics: number }
  uptimeSeconds: number
}

export interface DepartmentNodeEvents {
  /** An envelope that arrived by gossip is durable in the store. */
  'gossip:stored': CustomEvent<StoredFromGossip>
}

export interface DepartmentNode {
  libp2p: DepartmentLibp2p
  events: TypedEventTarget<DepartmentNodeEvents>
  peerId: PeerId
  department: string
  authorityPublicKey: Uint8Array
  trust: TrustStore
  /** The node's own certificate (renewed while it runs). */
  certificate: () => Certificate
  /** Addresses devices dial, public host first, each ending in /p2p/<peer id>. */
  multiaddrs: () => string[]
  browserMultiaddrs: () => string[]
  /** The HTTP server as bound (enrolment, info, health, metrics, web client). */
  httpUrl: string
  /** The same server by the public host: what invite links and people use. */
  webUrl: string
  adminUrl?: string
  /** HTTPS and wss: what is served, and the department CA this start made (if it did). */
  tls?: NodeTls
  createInvite: (request: InviteRequest) => Promise<IssuedInvite>
  revoke: (target: DeviceTarget) => Promise<RevocationSummary>
  /** Order the officer's devices (or one of them) to erase themselves (bootstrap/src/wipe). */
  wipe: (target: { handle: string, deviceKey?: Uint8Array }) => Promise<WipeSummary[]>
  devices: () => Promise<DeviceSummary[]>
  status: () => Promise<NodeStatus>
  /** A new HTTPS certificate now from the department CA (`dak-node tls renew` while running); recorded in the audit log. */
  renewTls: () => Promise<void>
  /** The audit log of admin actions (bootstrap/src/audit). */
  audit: AuditLog
  /** Offline authority: what waits to be signed (the node's own certificate included). */
  certificateRequests: () => Promise<RequestsFile>
  /** Offline authority: enrol what the ceremony signed; devices collect their certificates when they ask again. */
  importSigned: (signed: SignedFile) => Promise<{ enrolled: number, nodeCertificate: boolean, revoked: number }>
  /** Run the periodic chores now (retention purge, invite purge, certificate renewal). */
  maintain: () => Promise<void>
  stop: () => Promise<void>
}

/** Disappearing messages outlive their expiry at the node by at most this (plus one purge). */
const DEFAULT_EXPIRY_SWEEP_MS = 1_000
/** Enrolment attempts per address: ten at once (typos), then one every six seconds. */
const DEFAULT_ENROLMENT_RATE = { capacity: 10, refillPerSecond: 1 / 6 }
/** Addresses the enrolment rate limiter remembers at most. */
const MAX_RATE_LIMITED_ADDRESSES = 10_000

export async function createDepartmentNode (config: DepartmentConfig, options: DepartmentNodeOptions = {}): Promise<DepartmentNode> {
  const now = options.now ?? Date.now
  const onError = options.onError ?? ((err: unknown) => { console.error('dak-node:', err) })
  const startedAt = now()
  const keys = await loadDepartmentKeys(config.dataDir)
  const trust = new TrustStore([{ department: config.department, name: config.departmentName, publicKey: keys.authorityPublicKey }, ...(options.trustedAuthorities ?? [])])
  const revocationState = new RevocationState()
  let ownList: Uint8Array | undefined
  let cluster: ClusterSync | undefined
  const storage = await openDepartmentStorage(config, keys, () => trust.encode(), () => revocationState.encodedLists().filter(l => ownList == null || !bytesEqual(l, ownList)), {
    onEnvelopeStored: (topic, sequence) => { cluster?.announce({ kind: 'envelope', topic, sequence }) }
  })
  const cleanup: Array<() => Promise<void>> = [storage.close]
  const stopAll = async (): Promise<void> => {
    for (const step of cleanup.splice(0).reverse()) await step().catch(onError)
  }
  try {
    const revocations = new AuthorityRevocations({ devices: storage.devices, keyPackages: storage.keyPackages, authority: keys.authority, authorityPublicKey: keys.authorityPublicKey, trust: () => trust, state: revocationState, now, log: storage.log, audit: storage.audit, requests: storage.requests, db: storage.db })
    await revocations.load()
    ownList = await storage.devices.revocationList()
    const listing = deviceListing(storage.db)
    const known = new KnownDevices(revocationState, now)
    for await (const row of listing.all()) if (row.revokedAt == null) known.enrol(row.certificate)

    const tls = await startNodeTls(config, { now, onError, checkIntervalMs: options.tlsCheckIntervalMs })
    if (tls != null) cleanup.push(tls.stop)
    let certificate = await nodeCertificate(config, keys, now())
    let node: DepartmentLibp2p | undefined
    const isVerifiedPeer = (peer: PeerId): boolean => node?.services.directory.isVerified(peer) ?? false
    const libp2p = node = await createDepartmentLibp2p({
      config,
      nodeSeed: keys.node.privateKey,
      certificate: certificate.bytes,
      verifyContext: () => ({ trust, revocations: revocationState, now: now() }),
      envelopeValidator: envelopeValidator({ now, isKnownDevice: (key) => known.has(key), isVerifiedPeer }),
      gate: options.gate,
      tls: tls?.served.current
    })
    cleanup.push(async () => { await libp2p.stop() })
    tls?.served.onChange((pem) => { libp2p.services.tlsCertificate.renew(pem) })
    const { directory, pubsub } = libp2p.services
    directory.addEventListener('peer:verified', (evt) => { known.saw(evt.detail.certificate) })
    // conversation and inbox topics are announced to their members and owner only, never to every device
    const announcements = announceTopicsPerPeer(pubsub, {
      certificateOf: (peer) => directory.getById(peer),
      isDepartmentNode: (certificate) => isDepartmentNode(certificate, trust),
      registeredTopics: async (device) => await storage.topics.topicsOf(device),
      onError
    })
    directory.addEventListener('peer:verified', (evt) => { announcements.verified(evt.detail.peer.toString()) })
    const control = controlTopic(config.department)
    pubsub.topicValidators.set(control, revocationTopicValidator({ trust: () => trust, revocations: revocationState, isVerifiedPeer, onAdopted: () => { directory.recheck() } }))
    // Certificates it issues go out on the officers topic: devices online now learn their new colleagues at once.
    const officers = officersTopic(config.department)
    pubsub.topicValidators.set(officers, officersTopicValidator({ department: config.department, verifyContext: () => ({ trust, revocations: revocationState, now: now() }), isVerifiedPeer }))
    pubsub.subscribe(officers)
    const publish = (topic: string, bytes: Uint8Array): void => { pubsub.publish(topic, bytes).catch(() => { /* nobody online, or gossiped already: the store has it */ }) }

    const metrics = createNodeMetrics({
      peers: () => libp2p.getPeers().length,
      verifiedPeers: () => directory.peers().length,
      relayReservations: () => libp2p.services.relay.reservations.size,
      subscribedTopics: () => pubsub.getTopics().length,
      storeStats: async () => await storage.store.stats(),
      uptimeSeconds: () => Math.floor((now() - startedAt) / 1000)
    })
    const events = new TypedEventEmitter<DepartmentNodeEvents>()
    const storeForward = new StoreForward({
      pubsub,
      store: storage.store,
      topics: storage.topics,
      controlTopic: control,
      now,
      mayStore: async (topic, sender) => await mayUseTopic(storage.sequencer, topic, sender, 'write'),
      count: metrics.count,
      onStored: (detail) => { events.safeDispatchEvent('gossip:stored', { detail }) }
    })
    await storeForward.start(known.enrolledDevices())
    cleanup.push(async () => { await storeForward.stop() })

    const stopProtocols = await serveDepartmentProtocols(createRpc(libp2p, directory), {
      store: storage.store,
      topics: storage.topics,
      sequencer: storage.sequencer,
      keyPackages: storage.keyPackages,
      listing,
      log: storage.log,
      department: config.department,
      authorityPublicKey: keys.authorityPublicKey,
      certificateOf: (peer) => directory.get(peer),
      isKnownDevice: (key) => known.has(key),
      revocationLists: async () => await revocations.lists(),
      settings: () => ({ editWindowMs: Math.round(config.editWindowMinutes * 60_000), lockAfterMs: Math.round(config.lockAfterMinutes * 60_000), autoDownloadBytes: Math.round(config.autoDownloadMB * 1_000_000), requirePin: config.requirePin }),
      now,
      // issue 16: the asking device's own officer, minutes of validity (LINK_INVITE_VALIDITY_MS), recorded in the audit log like any invite
      linkInvite: async (officer) => (await self.createInvite({ handle: officer.handle, displayName: officer.displayName, title: officer.title, validityHours: LINK_INVITE_VALIDITY_MS / 3_600_000 })).url,
      officerDevices: async (officer) => officer.department !== config.department || !bytesEqual(officer.authorityPublicKey, keys.authorityPublicKey)
        ? []
        : (await storage.devices.devicesOf(officer.handle)).map(d => toHex(d.deviceKey)),
      onRegistered: async (previous, current, device) => {
        await storeForward.registered(previous, current)
        cluster?.announce({ kind: 'registered' })
        announcements.registered(device, current, directory.peers().map(p => ({ peer: p.peer.toString(), certificate: p.certificate })))
      },
      publish,
      count: metrics.count
    })
    cleanup.push(stopProtocols)
    // attachments (docs/files.md): encrypted chunks, uploaded by own devices, fetched by any verified peer
    cleanup.push(await serveFileChunks(createRpc(libp2p, directory), { chunks: storage.chunks, department: config.department, authorityPublicKey: keys.authorityPublicKey, certificateOf: (peer) => directory.get(peer), now }))

    const ownMultiaddrs = (): string[] => advertisedAddresses(libp2p.getMultiaddrs(), config.publicHost)
    if (storage.engine != null) {
      // A scaled department: the other processes' changes reach this one's memory and devices (cluster-sync.ts).
      const onNotice = (notice: ClusterNotice): void => {
        void followCluster(notice).catch(onError)
      }
      const followCluster = async (notice: ClusterNotice): Promise<void> => {
        if (notice.kind === 'envelope') {
          const page = await storage.store.query(notice.topic, notice.sequence - 1, 1, 0)
          const stored = page.entries[0]
          if (stored?.sequence === notice.sequence) publish(notice.topic, stored.envelope)
        } else if (notice.kind === 'enrolled') {
          for await (const row of listing.all()) if (row.revokedAt == null) storeForward.keepInbox(known.enrol(row.certificate))
          await storage.log.refresh()
        } else if (notice.kind === 'revoked') {
          await revocations.load()
          ownList = await storage.devices.revocationList()
          directory.recheck()
          await storage.log.refresh()
        } else if (notice.kind === 'registered') {
          for await (const topic of storage.topics.topics()) pubsub.subscribe(topic)
        }
      }
      const joined = cluster = await joinCluster(storage.engine, keys, onNotice, onError)
      cleanup.push(joined.stop)
      await joined.recordAddresses(ownMultiaddrs())
    }
    /** This process's addresses first, then (a scaled department) its sibling processes': devices fail over between them. */
    const multiaddrs = (): string[] => cluster == null ? ownMultiaddrs() : [...new Set([...ownMultiaddrs(), ...cluster.addresses()])]
    const browserMultiaddrs = (): string[] => [...proxiedWss(config, libp2p.peerId.toString()), ...browserAddresses(multiaddrs())]
    let webUrl: URL | undefined
    const info = (): Record<string, unknown> => ({
      department: config.department,
      departmentName: config.departmentName,
      authorityPublicKey: toHex(keys.authorityPublicKey),
      peerId: libp2p.peerId.toString(),
      webUrl: webUrl?.href,
      multiaddrs: multiaddrs(),
      browserMultiaddrs: browserMultiaddrs(),
      // disappearing messages: the longest a device keeps a message (absent: no maximum)
      ...(config.maxMessageDays > 0 ? { maxMessageMs: Math.round(config.maxMessageDays * 86_400_000) } : {})
    })
    const removeSpentImages = async (): Promise<string[]> => await removeSpentInviteImages(config.dataDir, await storage.invites.redeemableHandles(now()))
    const http = await startHttpServer({
      host: config.host,
      port: config.httpPort,
      webRoot: config.webRoot,
      maxBodyBytes: MAX_HTTP_BODY_BYTES,
      // rates run on the real clock, not the injected one (tests move that one to expire invites)
      ...(options.httpLimits != null ? { limits: options.httpLimits } : {}),
      ...(tls != null ? { tls: { ...tls.served.current, publicHost: config.publicHost } } : {}),
      ...(config.publicUrl != null ? { proxiedHttpsUrl: config.publicUrl } : {}),
      onError,
      routes: publicRoutes({
        enrolment: storage.enrolment,
        authority: keys.authority,
        limiter: new RateLimiter({ ...(options.enrolmentRateLimit ?? DEFAULT_ENROLMENT_RATE), maxKeys: MAX_RATE_LIMITED_ADDRESSES, now }),
        now,
        info,
        health: () => ({ ok: true, peers: libp2p.getPeers().length, verifiedPeers: directory.peers().length, uptime: Math.floor((now() - startedAt) / 1000) }),
        metrics: async () => await metrics.registry.render(),
        revocationLists: async () => await revocations.lists(),
        wipes: storage.wipes,
        onEnrolled: (bytes) => {
          enrolled(bytes)
          // the invite just used may have a QR image on disk: it holds the spent secret
          void removeSpentImages().catch(onError)
        },
        count: metrics.count
      })
    })
    cleanup.push(http.close)
    tls?.served.onChange((pem) => { http.setCertificate(pem) })
    webUrl = publicWebUrl(config, http.url)
    const publicUrl = webUrl.href

    const maintenance = startMaintenance([
      async () => await storage.store.purge(now()),
      async () => await storage.chunks.purge(now()),
      async () => await storage.invites.purgeExpired(now()),
      removeSpentImages,
      async () => {
        if (!needsRenewal(certificate, now())) return
        // offline: node.cert may have been renewed by a ceremony imported while the node was stopped, or not at all
        const renewed = await nodeCertificate(config, keys, now())
        if (renewed.notAfter <= certificate.notAfter) return
        certificate = renewed
        directory.setCertificate(certificate.bytes)
      },
      async () => { if (await tls?.renewIfDue() === true) await storage.audit.append('tls-renew', { by: 'maintenance' }) }
    ], options.maintenanceIntervalMs ?? DEFAULT_MAINTENANCE_INTERVAL_MS, onError)
    cleanup.push(maintenance.stop)
    // Disappearing messages go at their expiry, not at the next hourly chore: one short index read a second.
    const sweep = startMaintenance([async () => { await storage.store.purgeDisappeared(now()) }, async () => { await storage.chunks.purgeDisappeared(now()) }], options.expirySweepMs ?? DEFAULT_EXPIRY_SWEEP_MS, onError)
    cleanup.push(sweep.stop)

    /** A new list of this authority's is in force: hang up its devices now (not at the next recheck) and tell everyone. */
    const listAdopted = (list: Uint8Array, revoked: number): number => {
      ownList = list
      if (revoked > 0) metrics.count('revocation')
      const disconnected = directory.recheck().length
      publish(control, list)
      cluster?.announce({ kind: 'revoked' })
      return disconnected
    }
    const ceremony = authorityCeremony(config, keys, storage, revocations, now)
    const enrolled = (bytes: Uint8Array): void => {
      storeForward.keepInbox(known.enrol(bytes))
      cluster?.announce({ kind: 'enrolled' })
      publish(officers, bytes)
    }
    const connectedDevices = (): Set<string> => new Set(directory.peers().map(p => toHex(p.certificate.devicePublicKey)))
    const self: DepartmentNode = {
      libp2p,
      events,
      peerId: libp2p.peerId,
      department: config.department,
      authorityPublicKey: keys.authorityPublicKey,
      trust,
      certificate: () => certificate,
      multiaddrs,
      browserMultiaddrs,
      httpUrl: http.url,
      webUrl: publicUrl,
      ...(tls != null ? { tls } : {}),
      createInvite: async (request) => await issueInvite({
        invites: storage.invites,
        department: config.department,
        authorityPublicKey: keys.authorityPublicKey,
        defaultValidityHours: config.inviteValidityHours,
        nodeAddrs: multiaddrs,
        webUrl: () => publicUrl,
        now,
        audit: storage.audit
      }, request),
      revoke: async (target) => {
        if (keys.authority == null) {
          // the list is signed at the next ceremony; until then the devices keep their certificates, but nobody can add them anywhere
          const pending = await revocations.request(target)
          return { serial: revocationState.serialOf(keys.authorityPublicKey), revoked: pending.map(toHex), disconnected: 0, pending: true }
        }
        const outcome = await revocations.revoke(target)
        return { serial: outcome.serial, revoked: outcome.revoked.map(toHex), disconnected: listAdopted(outcome.list, outcome.revoked.length) }
      },
      certificateRequests: ceremony.requests,
      importSigned: async (signed) => {
        const imported = await ceremony.import(signed)
        for (const c of imported.enrolled) enrolled(c.bytes)
        if (imported.node != null && imported.node.notAfter > certificate.notAfter) {
          certificate = imported.node
          directory.setCertificate(certificate.bytes)
        }
        if (imported.revocation != null) listAdopted(imported.revocation.list, imported.revocation.revoked.length)
        return { enrolled: imported.enrolled.length, nodeCertificate: imported.node != null, revoked: imported.revocation?.revoked.length ?? 0 }
      },
      wipe: async (target) => await storage.wipes.order(target),
      devices: async () => await summarizeDevices(listing, now(), connectedDevices()),
      status: async () => ({
        ...(info() as { department: string, departmentName: string, peerId: string, authorityPublicKey: string, multiaddrs: string[] }),
        webUrl: publicUrl,
        authority: keys.authority == null ? 'offline' : 'online',
        peers: libp2p.getPeers().length,
        verifiedPeers: directory.peers().length,
        relayReservations: libp2p.services.relay.reservations.size,
        subscribedTopics: pubsub.getTopics().length,
        store: await storage.store.stats(),
        uptimeSeconds: Math.floor((now() - startedAt) / 1000)
      }),
      renewTls: async () => {
        await renewServerCertificate(config.dataDir, now(), true)
        await tls?.check()
        await storage.audit.append('tls-renew', { by: 'admin' })
      },
      audit: storage.audit,
      maintain: maintenance.run,
      stop: stopAll
    }
    if (options.admin === true) {
      const admin: AdminServer = await startAdminServer(config.dataDir, {
        invite: self.createInvite,
        revoke: self.revoke,
        wipe: self.wipe,
        devices: self.devices,
        status: self.status,
        renewTls: self.renewTls,
        audit: auditActions(storage.audit),
        authorityRequests: self.certificateRequests,
        authorityImport: self.importSigned
      })
      cleanup.push(admin.close)
      self.adminUrl = admin.url
    }
    return self
  } catch (err) {
    await stopAll()
    throw err
  }
}
