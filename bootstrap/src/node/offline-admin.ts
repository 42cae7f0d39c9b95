import { RevocationState, toHex, TrustStore } from '@dak/protocol'
import { devicePrivateKey } from '@dak/node/net'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import type { DepartmentConfig } from '../config/config.js'
import type { DeviceTarget } from '../enrolment/index.js'
import { loadDepartmentKeys } from '../identity/node-keys.js'
import { deviceListing } from './device-list.js'
import { issueInvite, type InviteRequest, type IssuedInvite } from './invites.js'
import { AuthorityRevocations } from './revocations.js'
import { openDepartmentStorage } from './storage.js'
import { summarizeDevices, type DeviceSummary, type RevocationSummary } from './summaries.js'
import { servesHttps } from '../tls/department-tls.js'
import { publicWebUrl } from './addresses.js'
import { auditActions, type AuditActions } from '../audit/index.js'
import type { WipeSummary } from '../wipe/wipe-orders.js'
import { authorityCeremony, type AuthorityCeremony } from '../authority/node-side.js'

/**
 * Administration with the node stopped: `dak-node invite|revoke|devices|status`
 * open the database themselves (a running node holds its lock; the CLI then
 * uses the node's admin API instead). Invites name the addresses the config
 * gives (no WebRTC-Direct: its certificate hash is only known while running);
 * a revocation is published on the control topic at the node's next start,
 * and served by '/dak/revocations/1.0.0' from then on.
 */

export interface OfflineAdmin {
  createInvite: (request: InviteRequest) => Promise<IssuedInvite>
  revoke: (target: DeviceTarget) => Promise<RevocationSummary>
  wipe: (target: { handle: string, deviceKey?: Uint8Array }) => Promise<WipeSummary[]>
  devices: () => Promise<DeviceSummary[]>
  status: () => Promise<Record<string, unknown>>
  audit: AuditActions
  /** Record a `dak-node tls renew` done on the files while the node was stopped. */
  recordTlsRenew: () => Promise<void>
  /** The offline authority's ceremony, on the stopped node's database. */
  ceremony: AuthorityCeremony
  close: () => Promise<void>
}

export async function openOfflineAdmin (config: DepartmentConfig, now: () => number = Date.now): Promise<OfflineAdmin> {
  const keys = await loadDepartmentKeys(config.dataDir)
  const trust = new TrustStore([{ department: config.department, name: config.departmentName, publicKey: keys.authorityPublicKey }])
  const storage = await openDepartmentStorage(config, keys, () => trust.encode())
  const peerId = peerIdFromPrivateKey(await devicePrivateKey(keys.node.privateKey)).toString()
  const host = /^\d{1,3}(\.\d{1,3}){3}$/.test(config.publicHost) ? `/ip4/${config.publicHost}` : config.publicHost.includes(':') ? `/ip6/${config.publicHost}` : `/dns/${config.publicHost}`
  const https = servesHttps(config)
  const nodeAddrs = [
    ...(config.tcpPort > 0 ? [`${host}/tcp/${config.tcpPort}/p2p/${peerId}`] : []),
    ...(config.wsPort > 0 ? [`${host}/tcp/${config.wsPort}${https ? '/tls/ws' : '/ws'}/p2p/${peerId}`] : [])
  ]
  const webUrl = publicWebUrl(config, `${https ? 'https' : 'http'}://127.0.0.1:${config.httpPort}/`).href
  const revocations = new AuthorityRevocations({ devices: storage.devices, keyPackages: storage.keyPackages, authority: keys.authority, authorityPublicKey: keys.authorityPublicKey, trust: () => trust, state: new RevocationState(), now, log: storage.log, requests: storage.requests, db: storage.db, audit: storage.audit })
  await revocations.load()
  return {
    createInvite: async (request) => await issueInvite({
      invites: storage.invites,
      department: config.department,
      authorityPublicKey: keys.authorityPublicKey,
      defaultValidityHours: config.inviteValidityHours,
      nodeAddrs: () => nodeAddrs,
      webUrl: () => webUrl,
      now,
      audit: storage.audit
    }, request),
    revoke: async (target) => {
      if (keys.authority == null) return { serial: 0, revoked: (await revocations.request(target)).map(toHex), disconnected: 0, pending: true }
      const outcome = await revocations.revoke(target)
      return { serial: outcome.serial, revoked: outcome.revoked.map(toHex), disconnected: 0 }
    },
    wipe: async (target) => await storage.wipes.order(target),
    devices: async () => await summarizeDevices(deviceListing(storage.db), now()),
    status: async () => ({
      running: false,
      department: config.department,
      departmentName: config.departmentName,
      peerId,
      authorityPublicKey: toHex(keys.authorityPublicKey),
      authority: keys.authority == null ? 'offline' : 'online',
      webUrl,
      store: await storage.store.stats()
    }),
    audit: auditActions(storage.audit),
    recordTlsRenew: async () => { await storage.audit.append('tls-renew', { by: 'admin' }) },
    ceremony: authorityCeremony(config, keys, storage, revocations, now),
    close: storage.close
  }
}
