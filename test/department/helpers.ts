import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { generateSigningKeyPair, parseInviteCode, RevocationState, TrustStore, type SigningKeyPair } from '@dak/protocol'
import { createDakLibp2p, type DakLibp2p } from '../../node/src/net/index.js'
import { createDepartmentClient, enrolOverHttp, type DepartmentClient, type Enrolment } from '../../node/src/department/index.js'
import { loadConfig, type DepartmentConfig } from '../../bootstrap/src/config/config.js'
import { createDepartmentNode, type DepartmentNode, type DepartmentNodeOptions } from '../../bootstrap/src/node/department-node.js'
import { nextEvent, samePeer } from '../net/helpers.js'

/**
 * Department-node tests: real nodes (classic-level in a temp dir, libp2p on
 * 127.0.0.1 with every port 0) and real devices (the production libp2p
 * factory, enrolled over HTTP). Everything started is stopped by cleanup().
 */

const started: Array<() => Promise<void>> = []

export async function cleanup (): Promise<void> {
  for (const stop of started.splice(0).reverse()) await stop()
}

/** A department on loopback with every port chosen by the OS. */
export async function testConfig (overrides: Partial<DepartmentConfig> = {}): Promise<DepartmentConfig> {
  const dataDir = overrides.dataDir ?? await mkdtemp(join(tmpdir(), 'dak-department-'))
  if (overrides.dataDir == null) started.push(async () => { await rm(dataDir, { recursive: true, force: true }) })
  return await loadConfig({
    overrides: { host: '127.0.0.1', publicHost: '127.0.0.1', tcpPort: 0, wsPort: 0, webrtcDirectPort: 0, httpPort: 0, department: 'mof.budget', departmentName: 'Budget Division', ...overrides, dataDir }
  })
}

export async function startDepartment (overrides: Partial<DepartmentConfig> = {}, options: DepartmentNodeOptions = {}): Promise<DepartmentNode> {
  const node = await createDepartmentNode(await testConfig(overrides), { onError: () => {}, ...options })
  started.push(node.stop)
  return node
}

export interface EnrolledDevice {
  handle: string
  keys: SigningKeyPair
  mlsKey: Uint8Array
  enrolment: Enrolment
}

/** Invite `handle` and enrol a fresh device with it over HTTP, as the web client does. */
export async function enrolDevice (node: DepartmentNode, handle: string, keys = generateSigningKeyPair()): Promise<EnrolledDevice> {
  const invite = await node.createInvite({ handle, displayName: `Officer ${handle}`, title: 'Section Officer' })
  const mlsKey = generateSigningKeyPair().publicKey
  const enrolment = await enrolOverHttp(node.httpUrl, parseInviteCode(invite.code), keys, mlsKey)
  return { handle, keys, mlsKey, enrolment }
}

export interface Device {
  enrolled: EnrolledDevice
  libp2p: DakLibp2p
  revocations: RevocationState
  /** A client of `node`, connected and verified both ways. */
  client: (node: DepartmentNode) => DepartmentClient
}

/** Start an enrolled device's libp2p node (no listeners) trusting what its enrolment handed it. */
export async function startDevice (enrolled: EnrolledDevice, listen: string[] = []): Promise<Device> {
  const trust = TrustStore.decode(enrolled.enrolment.trustBundle)
  const revocations = new RevocationState()
  for (const list of enrolled.enrolment.revocationLists) revocations.accept(list, trust)
  const libp2p = await createDakLibp2p({
    deviceSeed: enrolled.keys.privateKey,
    certificate: enrolled.enrolment.certificate.bytes,
    verifyContext: () => ({ trust, revocations, now: Date.now() }),
    listen
  })
  started.push(async () => { await libp2p.stop() })
  return {
    enrolled,
    libp2p,
    revocations,
    client: (node) => createDepartmentClient({ libp2p, node: node.peerId, deviceKeys: enrolled.keys })
  }
}

/** Dial the node over TCP and wait until both gates verified each other. */
export async function connect (device: Device, node: DepartmentNode): Promise<DepartmentClient> {
  const nodeSees = nextEvent(node.libp2p.services.directory, 'peer:verified', samePeer(device.libp2p.peerId))
  const deviceSees = nextEvent(device.libp2p.services.directory, 'peer:verified', samePeer(node.peerId))
  await device.libp2p.dial(tcpAddress(node))
  await Promise.all([nodeSees, deviceSees])
  return device.client(node)
}

export function tcpAddress (node: DepartmentNode): ReturnType<DakLibp2p['getMultiaddrs']>[number] {
  const address = node.libp2p.getMultiaddrs().find(ma => /\/tcp\/\d+\/p2p\//.test(ma.toString()) && !ma.toString().includes('/ws'))
  if (address == null) throw new Error('the node has no TCP address')
  return address
}
