import { signRegisterTopics, verifyRegisterTopics, rpc, signFor } from '@dak/protocol'
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DakError, FutureTimestampError, InvalidSignatureError, MAX_CLOCK_SKEW_MS, MalformedInputError } from '@dak/protocol'
import fc from 'fast-check'
import { QuotaExceededError, StaleRegistrationError } from './errors.js'
import { NOW, openTempDb, STORE_BACKENDS, stopTestEngine, seededKey, type TempDb } from './test-helpers.js'
import type { Db } from './level.js'
import { TopicRegistry } from './topic-registry.js'

/** The registry's contract, on the embedded engine and on the shared one (docs/scaled.md). */
describe.each(STORE_BACKENDS)('on %s', (backend) => {
  afterAll(stopTestEngine)


  const alice = seededKey('alice device')
  const bob = seededKey('bob device')

  let temp: TempDb<Db>
  beforeEach(async () => { temp = await openTempDb(backend) })
  afterEach(async () => { await temp.cleanup() })

  async function collect (registry: TopicRegistry): Promise<string[]> {
    const topics: string[] = []
    for await (const topic of registry.topics()) topics.push(topic)
    return topics
  }

  describe('signed topic registrations', () => {
    it('verify to the device and its distinct topics', () => {
      expect(verifyRegisterTopics(signRegisterTopics(alice, ['a', 'b', 'a'], NOW), NOW)).toEqual({ device: alice.publicKey, topics: ['a', 'b'], timestamp: NOW })
    })

    it('refuse another key, a signature for another purpose, a future date and bad topics', () => {
      const body = rpc.RegisterTopicsBody.encode({ version: 1, devicePublicKey: alice.publicKey, topics: ['a'], timestamp: NOW })
      const byBob = rpc.RegisterTopics.encode({ body, signature: signFor('registerTopics', bob.privateKey, body) })
      const otherDomain = rpc.RegisterTopics.encode({ body, signature: signFor('enrol', alice.privateKey, body) })
      expect(() => verifyRegisterTopics(byBob, NOW)).toThrow(InvalidSignatureError)
      expect(() => verifyRegisterTopics(otherDomain, NOW)).toThrow(InvalidSignatureError)
      expect(() => verifyRegisterTopics(signRegisterTopics(alice, ['a'], NOW + MAX_CLOCK_SKEW_MS + 1), NOW)).toThrow(FutureTimestampError)
      const emptyTopic = rpc.RegisterTopicsBody.encode({ version: 1, devicePublicKey: alice.publicKey, topics: [''], timestamp: NOW })
      expect(() => verifyRegisterTopics(rpc.RegisterTopics.encode({ body: emptyTopic, signature: signFor('registerTopics', alice.privateKey, emptyTopic) }), NOW)).toThrow(MalformedInputError)
    })

    it('turn random bytes into typed errors only', () => {
      fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        try {
          verifyRegisterTopics(bytes, NOW)
          return false
        } catch (err) {
          return err instanceof DakError
        }
      }), { numRuns: 1000 })
    })
  })

  describe('TopicRegistry', () => {
    it('replaces a device registration with a newer one and keeps the union of all devices', async () => {
      const registry = new TopicRegistry({ db: temp.db })
      await registry.register(signRegisterTopics(alice, ['a', 'b'], NOW), NOW)
      await registry.register(signRegisterTopics(bob, ['b', 'c'], NOW), NOW)
      await registry.register(signRegisterTopics(alice, ['a', 'd'], NOW + 1), NOW + 1)
      expect(await registry.topicsOf(alice.publicKey)).toEqual(['a', 'd'])
      expect((await collect(registry)).sort()).toEqual(['a', 'b', 'c', 'd'])
      expect(await registry.devicesOf('b')).toEqual([bob.publicKey])
      expect(await registry.devicesOf('a')).toEqual([alice.publicKey])
    })

    it('refuses a replayed or older registration and keeps the newer one', async () => {
      const registry = new TopicRegistry({ db: temp.db })
      const older = signRegisterTopics(alice, ['old'], NOW)
      await registry.register(older, NOW)
      await registry.register(signRegisterTopics(alice, ['new'], NOW + 10), NOW + 10)
      await expect(registry.register(older, NOW + 20)).rejects.toThrow(StaleRegistrationError)
      await expect(registry.register(signRegisterTopics(alice, ['new', 'x'], NOW + 10), NOW + 20)).rejects.toThrow(StaleRegistrationError)
      await temp.reopen()
      expect(await new TopicRegistry({ db: temp.db }).topicsOf(alice.publicKey)).toEqual(['new'])
    })

    it('bounds the topics of one device', async () => {
      const registry = new TopicRegistry({ db: temp.db, maxTopicsPerDevice: 2 })
      await expect(registry.register(signRegisterTopics(alice, ['a', 'b', 'c'], NOW), NOW)).rejects.toThrow(QuotaExceededError)
      expect(await registry.topicsOf(alice.publicKey)).toEqual([])
    })
  })
})
