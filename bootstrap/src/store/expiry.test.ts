import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { InvalidArgumentError, openEnvelope, sealEnvelope, EnvelopeKind, MAX_ENVELOPE_LIFETIME_MS } from '@dak/protocol'
import { EnvelopeStore } from './envelope-store.js'
import { ExpiredEnvelopeError } from './errors.js'
import { DAY_MS } from './limits.js'
import { envelope, NOW, openTempDb, seededKey, type TempDb } from './test-helpers.js'

/** Disappearing messages at the store: the sender-signed expiry is honoured (expiry.ts). */

const node = seededKey('store node')
const alice = seededKey('alice device')

let temp: TempDb
beforeEach(async () => { temp = await openTempDb() })
afterEach(async () => { await temp.cleanup() })

describe('disappearing envelopes at the store', () => {
  it('deletes an envelope at its expiry, leaves the others, and keeps numbering', async () => {
    const s = new EnvelopeStore({ db: temp.db, nodeKey: node })
    await s.deposit(envelope(alice, 'topic-a', 1).bytes, NOW)
    await s.deposit(envelope(alice, 'topic-a', 2, { expiresAt: NOW + 2_000 }).bytes, NOW)
    await s.deposit(envelope(alice, 'topic-a', 3, { expiresAt: NOW + 60_000 }).bytes, NOW)
    expect(await s.purgeDisappeared(NOW + 1_999)).toBe(0)
    expect((await s.query('topic-a', 0, 0, 0)).entries.map(e => e.sequence)).toEqual([1, 2, 3])

    expect(await s.purgeDisappeared(NOW + 2_000)).toBe(1)
    expect((await s.query('topic-a', 0, 0, 0)).entries.map(e => e.sequence)).toEqual([1, 3])
    expect((await s.stats()).envelopes).toBe(2)
    // a replay of the deleted envelope is not stored again
    await expect(s.deposit(envelope(alice, 'topic-a', 2, { expiresAt: NOW + 2_000 }).bytes, NOW + 2_500)).rejects.toThrow(ExpiredEnvelopeError)
    const next = await s.deposit(envelope(alice, 'topic-a', 4).bytes, NOW + 3_000)
    expect(next.sequence).toBe(4)

    expect(await s.purgeDisappeared(NOW + 60_000)).toBe(1)
    expect((await s.query('topic-a', 0, 0, 0)).entries.map(e => e.sequence)).toEqual([1, 4])
  })

  it('cleans up after retention got there first, without lowering the counters twice', async () => {
    const s = new EnvelopeStore({ db: temp.db, nodeKey: node, retentionDays: 1 })
    await s.deposit(envelope(alice, 'topic-a', 1, { expiresAt: NOW + 3 * DAY_MS }).bytes, NOW)
    await s.deposit(envelope(alice, 'topic-a', 2, { timestamp: NOW + 2 * DAY_MS - 60_000 }).bytes, NOW + 2 * DAY_MS - 60_000)
    expect(await s.purge(NOW + 2 * DAY_MS)).toBe(1)
    expect(await s.purgeDisappeared(NOW + 3 * DAY_MS)).toBe(0)
    expect((await s.stats()).envelopes).toBe(1)
  })

  it('is signed with the envelope: a sender may not set an expiry before its time or beyond a year, and nobody can strip it', () => {
    const fields = { kind: EnvelopeKind.APPLICATION, topic: 't', timestamp: NOW, senderSeq: 1, payload: new Uint8Array([1]) }
    expect(() => sealEnvelope(alice, { ...fields, expiresAt: NOW })).toThrow(InvalidArgumentError)
    expect(() => sealEnvelope(alice, { ...fields, expiresAt: NOW + MAX_ENVELOPE_LIFETIME_MS + 1 })).toThrow(InvalidArgumentError)
    const sealed = sealEnvelope(alice, { ...fields, expiresAt: NOW + 5_000 })
    expect(openEnvelope(sealed.bytes, NOW).expiresAt).toBe(NOW + 5_000)
    expect(openEnvelope(sealEnvelope(alice, fields).bytes, NOW).expiresAt).toBeUndefined()
  })
})
