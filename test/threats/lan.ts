import { cp, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ClassicLevel } from 'classic-level'
import { processMessage as tsProcessMessage, unsafeTestingAuthenticationService, type ClientState } from 'ts-mls'
import {
  DakError, EnvelopeKind, frameOf, loadSuite, openEnvelope, restoreState, sealEnvelope, signingKeyPairFromSeed, toHex,
  type ConversationState, type OpenedEnvelope, type SigningKeyPair
} from '@dak/protocol'
import { decodeFramed } from '../../protocol/src/mls/framing.js'
import { clientConfig } from '../../protocol/src/mls/suite.js'
import { openDevice, type OpenDevice } from '../../node/src/device/open-device.js'
import type { ChatMessage } from '../../node/src/messenger/api.js'
import { openDeviceStore } from '../../node/src/storage/index.js'
import { connectAll, openOnLoopback } from '../helpers/mesh.js'
import { provisionDevice, testAuthority, type ProvisionedDevice, type TestAuthority } from '../helpers/provision.js'
import { waitFor } from '../helpers/wait.js'

/**
 * Shared pieces of the client-side threat tests: LAN devices provisioned by a
 * test authority, opened on loopback, a wire tap on honest members, and the
 * attacker's tools (raw ts-mls with no credential checks, envelopes signed
 * with a device key read from a store).
 */

/** Everything a test opened or made; `stopAll` in afterEach ends it all. */
export class Lab {
  readonly authority: TestAuthority = testAuthority()
  readonly provisioned = new Map<string, ProvisionedDevice>()
  readonly opened = new Set<OpenDevice>()
  private readonly dirs: string[] = []

  async provision (...handles: string[]): Promise<void> {
    for (const handle of handles) this.provisioned.set(handle, await provisionDevice(this.authority, handle))
  }

  device (handle: string): ProvisionedDevice {
    const device = this.provisioned.get(handle)
    if (device == null) throw new Error(`no device ${handle}`)
    return device
  }

  async open (handle: string): Promise<OpenDevice> {
    const device = await openOnLoopback(this.device(handle))
    this.opened.add(device)
    return device
  }

  /** Open a device from a data directory that is not one of ours (a snapshot), with no listening address. */
  async openDir (dir: string): Promise<OpenDevice> {
    const device = await openDevice({ db: new ClassicLevel<string, Uint8Array>(join(dir, 'db'), { valueEncoding: 'view' }), listen: [] })
    this.opened.add(device)
    return device
  }

  async stop (device: OpenDevice): Promise<void> {
    this.opened.delete(device)
    await device.stop()
  }

  /** Copy a stopped device's whole classic-level directory. */
  async snapshot (handle: string): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), `dak-snapshot-${handle}-`))
    this.dirs.push(dir)
    await cp(join(this.device(handle).dir, 'db'), join(dir, 'db'), { recursive: true })
    return dir
  }

  async stopAll (): Promise<void> {
    await Promise.all([...this.opened].map(async d => { await d.stop() }))
    this.opened.clear()
    await Promise.all([...this.provisioned.values()].map(async d => { await d.cleanup() }))
    this.provisioned.clear()
    await Promise.all(this.dirs.splice(0).map(async d => { await rm(d, { recursive: true, force: true }) }))
  }
}

export { connectAll }

/** Every message event a messenger emits, from now on. */
export function inbox (device: OpenDevice): ChatMessage[] {
  const received: ChatMessage[] = []
  device.messenger.on('message', (m) => { received.push(m) })
  return received
}

/** Full history of a conversation (oldest first). */
export async function historyOf (device: OpenDevice, conversationId: string): Promise<ChatMessage[]> {
  return (await device.messenger.history(conversationId, { limit: 500 })).messages
}

export async function texts (device: OpenDevice, conversationId: string): Promise<string[]> {
  return (await historyOf(device, conversationId)).map(m => m.text)
}

/** Wait until `device` shows `text` in `conversationId`. */
export async function shows (device: OpenDevice, conversationId: string, text: string, timeoutMs = 30_000): Promise<void> {
  await waitFor(`"${text}" at ${device.messenger.whoami().handle}`, async () => (await texts(device, conversationId)).includes(text), {
    timeoutMs, subscribe: (wake) => device.messenger.on('message', wake)
  })
}

export async function memberHandles (device: OpenDevice, conversationId: string): Promise<string[]> {
  const conversation = (await device.messenger.conversations()).find(c => c.id === conversationId)
  return conversation == null ? [] : conversation.members.map(m => m.handle).sort()
}

export async function waitMembers (device: OpenDevice, conversationId: string, handles: string[], timeoutMs = 30_000): Promise<void> {
  const want = [...handles].sort().join(',')
  await waitFor(`${device.messenger.whoami().handle} sees members ${want}`, async () => (await memberHandles(device, conversationId)).join(',') === want, {
    timeoutMs, subscribe: (wake) => device.messenger.on('conversation', wake)
  })
}

export async function joined (device: OpenDevice, conversationId: string, timeoutMs = 30_000): Promise<void> {
  await waitFor(`${device.messenger.whoami().handle} joined`, async () => (await device.messenger.conversations()).some(c => c.id === conversationId), {
    timeoutMs, subscribe: (wake) => device.messenger.on('conversation', wake)
  })
}

/** A wire tap: every envelope that reaches the tapped devices over gossip, in arrival order, once each. */
export interface Tap {
  envelopes: OpenedEnvelope[]
  /** Index into `envelopes` now: to split what was sent before and after a moment. */
  mark: () => number
  /** Tap one more device (a reopened one). */
  add: (device: OpenDevice) => void
}

export function tap (devices: OpenDevice[]): Tap {
  const envelopes: OpenedEnvelope[] = []
  const ids = new Set<string>()
  const add = (device: OpenDevice): void => {
    device.libp2p.services.pubsub.addEventListener('message', (event) => {
      if (!/^dak\/[ci]\//.test(event.detail.topic)) return // control topics carry revocation lists, not envelopes
      const envelope = openEnvelope(Uint8Array.from(event.detail.data), Date.now()) // a copy: gossipsub keeps the original
      const id = toHex(envelope.id)
      if (ids.has(id)) return
      ids.add(id)
      envelopes.push(envelope)
    })
  }
  devices.forEach(add)
  return { envelopes, mark: () => envelopes.length, add }
}

/** The sealed envelope of a message this device sent (taken from its outbox, as its owner could). */
export async function sealedEnvelopeOf (device: OpenDevice, conversationId: string, text: string): Promise<Uint8Array> {
  return await waitFor(`sealed "${text}"`, async () => {
    const message = (await historyOf(device, conversationId)).find(m => m.text === text && m.fromMe)
    if (message == null || !/^[0-9a-f]{64}$/.test(message.id)) return undefined
    return (await device.store.outbox.get(message.id))?.payload
  }, { timeoutMs: 20_000, subscribe: (wake) => device.messenger.on('message-state', wake) })
}

/** The device signing key in a device's store: what an attacker holding the device (or its disk) has. */
export async function deviceKeyOf (device: OpenDevice): Promise<SigningKeyPair> {
  const identity = await device.store.identity.get()
  if (identity.deviceSeed == null) throw new Error('no device seed')
  return signingKeyPairFromSeed(identity.deviceSeed)
}

let forgedSeq = 1_000_000
/** Seal an MLS payload in an envelope signed by `key`, as an attacker holding that key would. */
export function forge (key: SigningKeyPair, kind: EnvelopeKind, topic: string, payload: Uint8Array): OpenedEnvelope {
  return sealEnvelope(key, { kind, topic, timestamp: Date.now(), senderSeq: forgedSeq++, payload })
}

/** The group state a stopped device's store (or a copy of one) holds for `groupId`. */
export async function storedState (dir: string, groupId: string): Promise<ConversationState> {
  const store = await openDeviceStore(new ClassicLevel<string, Uint8Array>(join(dir, 'db'), { valueEncoding: 'view' }))
  try {
    const bytes = await store.groups.get(groupId)
    if (bytes == null) throw new Error(`no state for group ${groupId} in ${dir}`)
    return await restoreState(bytes)
  } finally {
    await store.close()
  }
}

/** The ids of envelopes a stopped device's store (or a copy) records as processed. */
export async function seenIn (dir: string, ids: string[]): Promise<Set<string>> {
  const store = await openDeviceStore(new ClassicLevel<string, Uint8Array>(join(dir, 'db'), { valueEncoding: 'view' }))
  try {
    const seen = new Set<string>()
    for (const id of ids) if (await store.seen.has(id)) seen.add(id)
    return seen
  } finally {
    await store.close()
  }
}

export function groupIdOfConversation (conversationId: string): string {
  return conversationId.slice('dak/c/'.length)
}

/**
 * An attacker running ts-mls by hand on a stolen state: no credential checks
 * (unsafeTestingAuthenticationService), no Dak guards (removed, sealed,
 * revoked). What is refused here is refused by the cryptography alone.
 */
export interface RawAttacker {
  /** Try to move forward with a commit; true when ts-mls applied it. */
  commit: (payload: Uint8Array) => Promise<boolean>
  /** Try every state reached so far; the plaintext if any of them decrypts `payload`. */
  read: (payload: Uint8Array) => Promise<Uint8Array | undefined>
  epochs: () => bigint[]
}

export async function rawAttacker (start: ConversationState): Promise<RawAttacker> {
  const suite = await loadSuite(start.suite)
  const context = { cipherSuite: suite.impl, authService: unsafeTestingAuthenticationService, clientConfig: clientConfig() }
  const states: ClientState[] = [start.mls]
  return {
    async commit (payload) {
      const current = states[states.length - 1]!
      // A state whose own leaf is gone cannot take a path secret from the next commit;
      // ts-mls rc.10 spins ~12 s before failing on one (docs/mls.md), so stop here.
      if (current.groupActiveState.kind !== 'active') return false
      try {
        const result = await tsProcessMessage({ context, state: current, message: decodeFramed(payload) })
        if (result.kind !== 'newState') return false
        states.push(result.newState)
        return true
      } catch {
        return false
      }
    },
    async read (payload) {
      for (const state of states) {
        try {
          const result = await tsProcessMessage({ context, state, message: decodeFramed(payload) })
          if (result.kind === 'applicationMessage') return result.message
        } catch {
          // not with this state
        }
      }
      return undefined
    },
    epochs: () => states.map(s => s.groupContext.epoch)
  }
}

/** Epoch and kind of an envelope's MLS payload. */
export function frame (envelope: OpenedEnvelope): { epoch: bigint, kind: string } {
  const f = frameOf(envelope.payload)
  return { epoch: f.epoch, kind: f.kind }
}

/** Feed envelopes through the door checks; count typed refusals, fail on anything untyped. */
export async function feed (device: OpenDevice, envelopes: Array<OpenedEnvelope | Uint8Array>): Promise<{ accepted: number, refused: Record<string, number> }> {
  let accepted = 0
  const refused: Record<string, number> = {}
  for (const envelope of envelopes) {
    try {
      await device.messenger.receiveEnvelope(envelope instanceof Uint8Array ? envelope : envelope.bytes)
      accepted++
    } catch (err) {
      if (!(err instanceof DakError)) throw err
      refused[err.name] = (refused[err.name] ?? 0) + 1
    }
  }
  return { accepted, refused }
}

export { EnvelopeKind, waitFor }

/**
 * Wait until the devices are quiet on a conversation: every outbox empty, and
 * every envelope the tap saw on the topic processed by each device it was not from.
 */
export async function settle (devices: OpenDevice[], conversationId: string, wire: Tap, timeoutMs = 30_000): Promise<void> {
  let missing = ''
  const handleOf = (key: string): string => devices.find(d => d.messenger.whoami().deviceKey === key)?.messenger.whoami().handle ?? key.slice(0, 8)
  await waitFor('devices settled', async () => {
    for (const device of devices) {
      await device.messenger.idle()
      const me = device.messenger.whoami()
      const queued = await device.store.outbox.size()
      if (queued > 0) { missing = `${me.handle} has ${queued} queued`; return false }
      for (const envelope of wire.envelopes) {
        if (envelope.topic !== conversationId || toHex(envelope.sender) === me.deviceKey) continue
        if (!(await device.store.seen.has(toHex(envelope.id)))) {
          missing = `${me.handle} never processed a ${EnvelopeKind[envelope.kind]} from ${handleOf(toHex(envelope.sender))} (seq ${envelope.senderSeq}) sent ${Date.now() - envelope.timestamp} ms ago`
          return false
        }
      }
    }
    return true
  }, { timeoutMs }).catch((err: Error) => { throw new Error(`${err.message}: ${missing}`) })
}

/**
 * Every device counts every other among a topic's gossip subscribers: after a
 * reconnect, what is published before this may reach a member only later
 * (docs/messenger.md, *Carry*, "Not done"); tests about something else wait for it.
 */
export async function gossipReady (devices: OpenDevice[], topic: string, timeoutMs = 30_000): Promise<void> {
  await waitFor('gossip ready on the topic', () => devices.every(x => devices.every(y => x === y || x.libp2p.services.pubsub.getSubscribers(topic).some(p => p.equals(y.libp2p.peerId)))), { timeoutMs })
}
