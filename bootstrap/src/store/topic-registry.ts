import { verifyRegisterTopics, type TopicRegistration } from '@dak/protocol'
import { InvalidArgumentError, toHex, utf8, fromHex, fromUtf8 } from '@dak/protocol'
import { QuotaExceededError, StaleRegistrationError } from './errors.js'
import { groupRange, writeDurably, type BatchOp, locksFor, type Db, type Locks } from './level.js'
import { MAX_TOPICS_PER_DEVICE } from './limits.js'
import type { Table } from './tables.js'

interface StoredRegistration {
  timestamp: number
  topics: string[]
}

export interface TopicRegistryOptions {
  db: Db
  /** At most MAX_TOPICS_PER_DEVICE (the wire limit); lower it to keep small nodes small. */
  maxTopicsPerDevice?: number
}

/**
 * Which topics each enrolled device asked this node to keep: the node
 * subscribes to the union and serves catch-up for them. A registration
 * replaces the device's previous one and must be newer than it, so a replayed
 * old registration cannot drop topics. Layout:
 *
 *   reg-device  <device>           → { timestamp, topics }
 *   reg-topic   <topic>:<device>   → ''   (who wants a topic; the union of topics)
 */
export class TopicRegistry {
  private readonly db: Db
  private readonly devices: Table<StoredRegistration>
  private readonly byTopic: Table<string>
  private readonly mutex: Locks
  private readonly maxTopicsPerDevice: number

  constructor (options: TopicRegistryOptions) {
    this.mutex = locksFor(options.db, 'topic-registry')
    this.db = options.db
    this.devices = options.db.sublevel<StoredRegistration>('reg-device', { valueEncoding: 'json' })
    this.byTopic = options.db.sublevel<string>('reg-topic', { valueEncoding: 'utf8' })
    this.maxTopicsPerDevice = options.maxTopicsPerDevice ?? MAX_TOPICS_PER_DEVICE
    if (!(this.maxTopicsPerDevice > 0 && this.maxTopicsPerDevice <= MAX_TOPICS_PER_DEVICE)) throw new InvalidArgumentError(`max topics per device must be 1-${MAX_TOPICS_PER_DEVICE}`)
  }

  /** Verify a signed RegisterTopics and make it the device's registration, durably. */
  async register (bytes: Uint8Array, now: number): Promise<TopicRegistration> {
    const registration = verifyRegisterTopics(bytes, now)
    if (registration.topics.length > this.maxTopicsPerDevice) {
      throw new QuotaExceededError(`a device may register at most ${this.maxTopicsPerDevice} topics on this node`)
    }
    const device = toHex(registration.device)
    await this.mutex.run([device], async () => {
      const previous = await this.devices.get(device)
      if (previous != null && registration.timestamp <= previous.timestamp) {
        throw new StaleRegistrationError('a newer topic registration of this device is in force')
      }
      const next = new Set(registration.topics)
      const ops: BatchOp[] = [{ type: 'put', sublevel: this.devices, key: device, value: { timestamp: registration.timestamp, topics: registration.topics } }]
      for (const topic of previous?.topics ?? []) {
        if (!next.has(topic)) ops.push({ type: 'del', sublevel: this.byTopic, key: `${toHex(utf8(topic))}:${device}` })
      }
      for (const topic of next) ops.push({ type: 'put', sublevel: this.byTopic, key: `${toHex(utf8(topic))}:${device}`, value: '' })
      await writeDurably(this.db, ops)
    })
    return registration
  }

  async topicsOf (deviceKey: Uint8Array): Promise<string[]> {
    return (await this.devices.get(toHex(deviceKey)))?.topics ?? []
  }

  async devicesOf (topic: string): Promise<Uint8Array[]> {
    const hexTopic = toHex(utf8(topic))
    const keys = await this.byTopic.keys(groupRange(hexTopic)).all()
    return keys.map(key => fromHex(key.slice(hexTopic.length + 1)))
  }

  /** Every topic some device registered, each once: what the node subscribes to. */
  async * topics (): AsyncGenerator<string> {
    let last = ''
    for await (const key of this.byTopic.keys()) {
      const hexTopic = key.slice(0, key.indexOf(':'))
      if (hexTopic !== last) yield fromUtf8(fromHex(hexTopic))
      last = hexTopic
    }
  }
}
