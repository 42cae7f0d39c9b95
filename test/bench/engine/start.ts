import { mkdtemp, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { ClassicLevel } from 'classic-level'
import { multiaddr } from '@multiformats/multiaddr'
import { randomBytes } from '@noble/ciphers/utils.js'
import { loadConfig } from '../../../bootstrap/src/config/config.js'
import { createDepartmentNode } from '../../../bootstrap/src/node/department-node.js'
import { enrolDevice } from '../../../node/src/device/enrol-device.js'
import { openDevice, type OpenDevice } from '../../../node/src/device/open-device.js'
import { openDeviceStore } from '../../../node/src/storage/index.js'
import {
  generateMlsSignatureKeyPair, generateSigningKeyPair, issueCertificate, loadSuite, TrustStore
} from '@dak/protocol'
import type { CatchUpScenario, EngineGroup, StartCatchUpOptions, StartGroupOptions } from './hooks.js'

/**
 * The engine hooks: real devices opened with the production assembly
 * (openDevice: classic-level store, createDakLibp2p behind the certificate
 * gate, createMessenger), all in this process on 127.0.0.1 TCP.
 */

const YEAR = 365 * 86_400_000
type Db = ClassicLevel<string, Uint8Array>

/** Wait until `check` holds (polled; setup only, never inside a measurement). */
async function until (what: string, check: () => boolean | Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`engine setup: timed out waiting for ${what}`)
    await new Promise(resolve => setTimeout(resolve, 50))
  }
}

async function stopAll (devices: OpenDevice[]): Promise<void> {
  await Promise.all(devices.splice(0).map(async d => { await d.stop().catch(() => {}) }))
}

/** A LAN device enrolled directly with a test authority (as test/helpers/provision.ts does), its database under `dir`. */
async function provision (authority: { key: ReturnType<typeof generateSigningKeyPair>, department: string, trust: TrustStore }, handle: string, dir: string): Promise<() => Db> {
  const device = generateSigningKeyPair()
  const mls = await generateMlsSignatureKeyPair(await loadSuite())
  const now = Date.now()
  const certificate = issueCertificate(authority.key, {
    handle,
    displayName: handle,
    title: 'Section Officer',
    department: authority.department,
    devicePublicKey: device.publicKey,
    mlsSignatureKey: mls.publicKey,
    notBefore: now - 60_000,
    notAfter: now + YEAR,
    serial: 1
  })
  const db = (): Db => new ClassicLevel<string, Uint8Array>(join(dir, handle), { valueEncoding: 'view' })
  const store = await openDeviceStore(db())
  await store.identity.put({ deviceSeed: device.privateKey, mlsSignatureKey: mls, certificate: certificate.bytes, trustBundle: authority.trust.encode() })
  await store.close()
  return db
}

async function hasConversation (device: OpenDevice, id: string): Promise<boolean> {
  return (await device.messenger.conversations()).some(c => c.id === id)
}

/** Wait until every member but the sender received `text` (a warm-up message). */
async function delivered (devices: OpenDevice[], from: number, conversationId: string, text: string): Promise<void> {
  const got = new Set<number>()
  const offs = devices.map((d, i) => d.messenger.on('message', (m) => { if (m.conversationId === conversationId && m.text === text) got.add(i) }))
  try {
    await devices[from]!.messenger.send(conversationId, text)
    await until(`warm-up message from member ${from}`, () => got.size >= devices.length - 1)
  } finally {
    offs.forEach(off => { off() })
  }
}

/**
 * `members` LAN devices (no department node), dialled along `edges`. Member 0
 * is dialled to everyone while it creates the group (it fetches each member's
 * key package over a direct stream); those extra connections are hung up
 * before measuring, so messages travel the same topology as the raw baseline.
 */
export async function startGroup (options: StartGroupOptions): Promise<EngineGroup> {
  const { members, edges, progress } = options
  const dir = await mkdtemp(join(options.tmpDir, 'engine-group-'))
  const devices: OpenDevice[] = []
  const stop = async (): Promise<void> => {
    await stopAll(devices)
    await rm(dir, { recursive: true, force: true })
  }
  try {
    const key = generateSigningKeyPair()
    const department = 'bench.department'
    const authority = { key, department, trust: new TrustStore([{ department, name: 'Bench Department', publicKey: key.publicKey }]) }
    progress(`  engine: provisioning and opening ${members} devices`)
    const handles = Array.from({ length: members }, (_, i) => `m${String(i).padStart(2, '0')}`)
    for (const handle of handles) {
      const db = await provision(authority, handle, dir)
      devices.push(await openDevice({ db: db(), listen: ['/ip4/127.0.0.1/tcp/0'], bootstrap: [] }))
    }
    const linked = new Set(edges.map(([a, b]) => `${Math.min(a, b)}-${Math.max(a, b)}`))
    const pairs = [...linked].map(s => s.split('-').map(Number) as [number, number])
    for (let j = 1; j < members; j++) if (!linked.has(`0-${j}`)) pairs.push([0, j])
    for (const [a, b] of pairs) await devices[a]!.libp2p.dial(devices[b]!.libp2p.getMultiaddrs())
    const degree = (i: number): number => pairs.filter(([a, b]) => a === i || b === i).length
    await until('edges verified', () => devices.every((d, i) => d.libp2p.services.directory.peers().length >= degree(i)))
    await until('member 0 knows every member', async () => (await devices[0]!.messenger.contacts()).length >= members - 1)

    progress(`  engine: creating the ${members}-member group`)
    const group = await devices[0]!.messenger.createGroup('Bench group', handles.slice(1))
    await until('every member joined', async () => (await Promise.all(devices.map(async d => await hasConversation(d, group.id)))).every(Boolean), 120_000)
    await Promise.all(devices.map(async d => { await d.messenger.idle() }))

    // Back to the baseline's topology: drop member 0's setup-only connections.
    for (let j = 1; j < members; j++) {
      if (!linked.has(`0-${j}`)) await devices[0]!.libp2p.hangUp(devices[j]!.libp2p.peerId)
    }
    const neighbours = (i: number): number => [...linked].filter(s => s.split('-').map(Number).includes(i)).length
    await until('group topic subscribed along the edges', () => devices.every((d, i) => d.libp2p.services.pubsub.getSubscribers(group.id).length >= neighbours(i)))
    progress('  engine: warm-up message')
    await delivered(devices, 0, group.id, 'warm-up')
    await Promise.all(devices.map(async d => { await d.messenger.idle() }))
    return { messengers: devices.map(d => d.messenger), conversationId: group.id, stop }
  } catch (err) {
    await stop()
    throw err
  }
}

/**
 * A department node (the world of test/messenger/department.ts: enrolled over
 * HTTP with real invites) and a conversation of `members` officers. The reader
 * joins and goes offline; one member sends `envelopes` texts, deposited at the
 * node (each confirmed 'stored'); the reader is reopened offline, and begin()
 * dials the node: catch-up pages the store, decrypts, persists.
 */
export async function startCatchUp (options: StartCatchUpOptions): Promise<CatchUpScenario> {
  const { envelopes, progress } = options
  const members = options.members ?? 10
  const dir = await mkdtemp(join(options.tmpDir, 'engine-catchup-'))
  const devices: OpenDevice[] = []
  let node: Awaited<ReturnType<typeof createDepartmentNode>> | undefined
  const stop = async (): Promise<void> => {
    await stopAll(devices)
    await node?.stop().catch(() => {})
    await rm(dir, { recursive: true, force: true })
  }
  try {
    const config = await loadConfig({ overrides: { dataDir: join(dir, 'node'), department: 'mof.budget', departmentName: 'Budget Division', host: '127.0.0.1', publicHost: '127.0.0.1', tcpPort: 0, wsPort: 0, webrtcDirectPort: 0, httpPort: 0 } })
    const dept = node = await createDepartmentNode(config, { onError: () => {} })
    progress(`  engine: enrolling ${members} devices at a department node`)
    const handles = Array.from({ length: members }, (_, i) => `o${String(i).padStart(2, '0')}`)
    const dbs: Array<() => Db> = []
    // a sealed store stays sealed under the key it was first opened with: one key per device for the run
    const storageKeys = handles.map(() => options.sealed === true ? randomBytes(32) : undefined)
    for (const handle of handles) {
      const db = (): Db => new ClassicLevel<string, Uint8Array>(join(dir, handle), { valueEncoding: 'view' })
      const invite = await dept.createInvite({ handle, displayName: handle, title: 'Section Officer' })
      await enrolDevice({ db: db(), invite: invite.code, nodeUrl: dept.httpUrl })
      dbs.push(db)
    }
    const open = async (i: number, online: boolean): Promise<OpenDevice> => {
      const device = await openDevice({ db: dbs[i]!(), listen: ['/ip4/127.0.0.1/tcp/0'], bootstrap: online ? dept.multiaddrs() : [], ...(storageKeys[i] !== undefined ? { storageKey: storageKeys[i] } : {}) })
      devices.push(device)
      return device
    }
    const close = async (device: OpenDevice): Promise<void> => {
      devices.splice(devices.indexOf(device), 1)
      await device.stop()
    }
    const opened: OpenDevice[] = []
    for (let i = 0; i < members; i++) opened.push(await open(i, true))
    await until('department reached', () => opened.every(d => d.messenger.status().mode === 'department'))
    // o01 creates the group; o00 is the reader who will be offline.
    const creator = opened[1]!
    await until('directory loaded', async () => (await creator.messenger.contacts()).length >= members - 1)
    progress(`  engine: creating the ${members}-member conversation`)
    const group = await creator.messenger.createGroup('Bench catch-up', handles.filter((_, i) => i !== 1))
    await until('every member joined', async () => (await Promise.all(opened.map(async d => await hasConversation(d, group.id)))).every(Boolean), 120_000)
    await Promise.all(opened.map(async d => { await d.messenger.idle() }))
    // Only the sender stays online: the others would decrypt every text and answer with receipts.
    for (const d of opened) if (d !== creator) await close(d)

    progress(`  engine: ${envelopes} texts sent and stored at the node`)
    const stored = new Set<string>()
    const offState = creator.messenger.on('message-state', (s) => { if (s.conversationId === group.id && s.state === 'stored') stored.add(s.id) })
    try {
      for (let k = 0; k < envelopes; k++) await creator.messenger.send(group.id, `catch-up text ${String(k).padStart(6, '0')} `.padEnd(100, '.'))
      await until(`all ${envelopes} texts stored`, () => stored.size >= envelopes, 600_000)
    } finally {
      offState()
    }
    await creator.messenger.idle()
    await close(creator)

    const reader = await open(0, false)
    return {
      messenger: reader.messenger,
      envelopes,
      begin: async () => { await reader.libp2p.dial(dept.multiaddrs().map(a => multiaddr(a))) },
      stop
    }
  } catch (err) {
    await stop()
    throw err
  }
}
