/**
 * For the engine's unit tests only: the messenger's two ports (ports.ts) over
 * an in-process "network", and officers whose devices run the real engine on
 * real memory-level stores. The mesh hands every envelope to the subscribed
 * devices (after the same signature check as the gossip door); the department
 * stores deposits like a department node and answers catch-up queries. No
 * libp2p, so the tests are fast and depend only on the engine.
 */
import {
  generateMlsSignatureKeyPair, generateSigningKeyPair, issueCertificate, issueStoreReceipt, loadSuite, openEnvelope, RevocationState, toHex, TrustStore,
  type Certificate, type ConversationContext, type OpenedEnvelope, type SigningKeyPair
} from '@dak/protocol'
import { sha256 } from '@noble/hashes/sha2.js'
import { publicKeyFromRaw } from '@libp2p/crypto/keys'
import { peerIdFromPublicKey } from '@libp2p/peer-id'
import { MemoryLevel } from 'memory-level'
import { openDeviceStore, type DeviceStore } from '../../storage/index.js'
import type { Schedule } from '../context.js'
import { createMessenger, type DakMessenger } from '../messenger.js'
import type { DepartmentPort, DepartmentsPort, MeshPort, QueryPage } from '../ports.js'

const YEAR = 365 * 86_400_000

interface MeshNode {
  certificate: Certificate
  online: boolean
  topics: Set<string>
  handlers: Set<(envelope: OpenedEnvelope) => void>
  peerHandlers: Set<() => void>
  makeKeyPackage?: () => Promise<Uint8Array>
  carryAnswer?: (request: Uint8Array, from: Certificate) => Promise<Uint8Array>
}

/** What one device published: every attempt, retries included. */
export interface Published {
  from: string
  envelope: OpenedEnvelope
  reached: number
}

export class MemoryMesh {
  readonly published: Published[] = []
  private readonly nodes = new Set<MeshNode>()
  /** Lose a published envelope on its way to one device when this says so (a gossip message lost). */
  lose?: (to: Certificate, envelope: OpenedEnvelope) => boolean

  /** A device's MeshPort; `setOnline(false)` takes it off the network (no envelopes either way). */
  join (certificate: Certificate): MeshPort & { setOnline: (online: boolean) => void } {
    const node: MeshNode = { certificate, online: true, topics: new Set(), handlers: new Set(), peerHandlers: new Set() }
    this.nodes.add(node)
    this.peersChanged()
    const others = (): MeshNode[] => [...this.nodes].filter(n => n !== node && n.online && node.online)
    return {
      setOnline: (online) => {
        node.online = online
        this.peersChanged()
      },
      publish: async (topic, bytes) => {
        const envelope = openEnvelope(bytes, Date.now())
        const to = others().filter(n => n.topics.has(topic))
        this.published.push({ from: toHex(certificate.devicePublicKey), envelope, reached: to.length })
        for (const peer of to) {
          if (this.lose?.(peer.certificate, envelope) === true) continue
          setImmediate(() => {
            const opened = openEnvelope(bytes, Date.now())
            for (const handler of peer.handlers) handler(opened)
          })
        }
        // no department node is a gossip peer here: receipts are deposited as other envelopes are
        return { reached: to.length, gossipedTo: [] }
      },
      subscribe: (topic) => { node.topics.add(topic) },
      unsubscribe: (topic) => { node.topics.delete(topic) },
      onEnvelope: (handler) => {
        node.handlers.add(handler)
        return () => { node.handlers.delete(handler) }
      },
      verifiedPeers: () => others().map(n => n.certificate),
      onPeersChanged: (handler) => {
        node.peerHandlers.add(handler)
        return () => { node.peerHandlers.delete(handler) }
      },
      requestKeyPackage: async (deviceKey) => {
        const peer = others().find(n => toHex(n.certificate.devicePublicKey) === toHex(deviceKey))
        if (peer?.makeKeyPackage == null) throw new Error('that device is not connected')
        return await peer.makeKeyPackage()
      },
      serveEnvelopes: async () => {},
      serveKeyPackages: async (make) => { node.makeKeyPackage = make },
      requestCarry: async (deviceKey, request) => {
        const peer = others().find(n => toHex(n.certificate.devicePublicKey) === toHex(deviceKey))
        if (peer?.carryAnswer == null) throw new Error('that device is not connected')
        return await peer.carryAnswer(request, certificate)
      },
      serveCarry: async (answer) => { node.carryAnswer = answer }
    }
  }

  /** Distinct envelopes `device` published on `topic` (a retry of the same bytes counts once). */
  distinctFrom (device: Certificate, topic: string): number {
    const from = toHex(device.devicePublicKey)
    return new Set(this.published.filter(p => p.from === from && p.envelope.topic === topic).map(p => toHex(p.envelope.id))).size
  }

  private peersChanged (): void {
    for (const node of this.nodes) for (const handler of node.peerHandlers) setImmediate(handler)
  }
}

/** A department node's store in memory: deposits numbered per topic, served in pages. */
export class MemoryDepartment implements DepartmentPort {
  readonly id = 'memory-department'
  private readonly key: SigningKeyPair = generateSigningKeyPair()
  private readonly topics = new Map<string, OpenedEnvelope[]>()
  private readonly ids = new Set<string>()

  async registerTopics (topics: string[]): Promise<number> { return topics.length }

  async deposit (bytes: Uint8Array) {
    const envelope = openEnvelope(bytes, Date.now())
    const stored = this.topics.get(envelope.topic) ?? []
    this.topics.set(envelope.topic, stored)
    if (!this.ids.has(toHex(envelope.id))) {
      this.ids.add(toHex(envelope.id))
      stored.push(envelope)
    }
    const sequence = stored.findIndex(e => toHex(e.id) === toHex(envelope.id)) + 1
    return issueStoreReceipt(this.key, { topic: envelope.topic, messageId: envelope.id, sequence, storedAt: Date.now() })
  }

  async query (topic: string, afterSequence: number, limit: number): Promise<QueryPage> {
    const stored = this.topics.get(topic) ?? []
    const entries = stored.slice(afterSequence, afterSequence + limit).map((e, i) => ({ sequence: afterSequence + i + 1, envelope: e.bytes }))
    return { entries, nextAfterSequence: entries.at(-1)?.sequence ?? afterSequence, hasMore: afterSequence + entries.length < stored.length }
  }

  stored (topic: string): number {
    return this.topics.get(topic)?.length ?? 0
  }

  private readonly held = new Set<string>()
  async uploadKeyPackages (packages: Uint8Array[]): Promise<number> {
    for (const p of packages) this.held.add(toHex(sha256(p)))
    return this.held.size
  }

  async heldKeyPackages (): Promise<{ refs: string[], complete: boolean }> { return { refs: [...this.held], complete: true } }
  async fetchKeyPackages (): Promise<Uint8Array[]> { return [] }
  async submitCommit (): Promise<never> { throw new Error('the memory department sequences nothing') }
  async revocations (): Promise<Uint8Array[]> { return [] }
  async directory (): Promise<Uint8Array[]> { return [] }
}

/** The department nodes a device reaches: none until `reach()`; no change event, so nothing runs by itself. */
export class MemoryDepartments implements DepartmentsPort {
  private readonly reached: DepartmentPort[] = []
  connected (): DepartmentPort[] { return [...this.reached] }
  onChange (): () => void { return () => {} }
  reach (department: DepartmentPort): void { this.reached.push(department) }
  /** Out of reach again (the memory department sequences nothing: a group made after this is sequenced by its maker). */
  leave (department: DepartmentPort): void { this.reached.splice(this.reached.indexOf(department), 1) }
}

export interface TestOfficer {
  handle: string
  certificate: Certificate
  /** The device's signing keys: for tests that play a forger holding them (linked-devices.test.ts). */
  device: SigningKeyPair
  store: DeviceStore
  mesh: ReturnType<MemoryMesh['join']>
  departments: MemoryDepartments
  messenger: DakMessenger
  /** Open the engine again over the same store (after `messenger.stop()`). */
  reopen: () => Promise<DakMessenger>
}

/** One department authority, and officers it certifies on a shared memory mesh. */
export class TestWorld {
  readonly mesh = new MemoryMesh()
  private readonly authority = generateSigningKeyPair()
  private readonly trust = new TrustStore([{ department: 'test.department', name: 'Test Department', publicKey: this.authority.publicKey }])
  private readonly officers: TestOfficer[] = []

  async officer (handle: string, options: { schedule?: Schedule, store?: (store: DeviceStore) => DeviceStore } = {}): Promise<TestOfficer> {
    const device = generateSigningKeyPair()
    const mls = await generateMlsSignatureKeyPair(await loadSuite())
    const now = Date.now()
    const certificate = issueCertificate(this.authority, {
      handle, displayName: handle, title: 'Section Officer', department: 'test.department',
      devicePublicKey: device.publicKey, mlsSignatureKey: mls.publicKey, notBefore: now - 60_000, notAfter: now + YEAR, serial: 1
    })
    const revocations = new RevocationState()
    const verifyContext = (): ConversationContext => ({ trust: this.trust, revocations, now: Date.now() })
    const real = await openDeviceStore(new MemoryLevel())
    const store = options.store?.(real) ?? real
    const mesh = this.mesh.join(certificate)
    const departments = new MemoryDepartments()
    const open = async (): Promise<DakMessenger> => await createMessenger({
      store, mesh, departments, verifyContext, keys: { device, mls, certificate, peerId: peerIdFromPublicKey(publicKeyFromRaw(device.publicKey)).toString() }, ...(options.schedule != null ? { schedule: options.schedule } : {})
    })
    const officer: TestOfficer = {
      handle, certificate, device, store, mesh, departments,
      messenger: await open(),
      reopen: async () => { officer.messenger = await open(); return officer.messenger }
    }
    this.officers.push(officer)
    return officer
  }

  async stop (): Promise<void> {
    for (const officer of this.officers.splice(0)) {
      await officer.messenger.stop()
      await officer.store.close()
    }
  }
}

/** Timers that run only when the test says so: "the receipt is not sent yet" becomes a fact, not a race. */
export class ManualSchedule {
  private readonly tasks = new Set<() => void>()
  readonly schedule: Schedule = (_ms, task) => {
    this.tasks.add(task)
    return () => { this.tasks.delete(task) }
  }

  get pending (): number {
    return this.tasks.size
  }

  /** Run every timer armed so far. */
  fire (): void {
    const due = [...this.tasks]
    this.tasks.clear()
    for (const task of due) task()
  }
}
