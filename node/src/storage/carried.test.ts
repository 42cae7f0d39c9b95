import { randomBytes } from 'node:crypto'
import { MemoryLevel } from 'memory-level'
import { describe, expect, it } from 'vitest'
import { openDeviceStore } from './device-store.js'

const topic = 'dak/c/0011'
const id = (n: number): string => n.toString(16).padStart(64, '0')

describe('the carry keep', () => {
  it('keeps envelopes sealed at rest, lists a topic oldest first, and marks only those to deposit', async () => {
    const db = new MemoryLevel<string, Uint8Array>({ valueEncoding: 'view' })
    const store = await openDeviceStore(db as never, { storageKey: randomBytes(32) })
    const canary = new TextEncoder().encode('canary-envelope-bytes')
    await store.commit([
      { type: 'carry-keep', topic, id: id(2), at: 2_000, bytes: canary, deposit: true },
      { type: 'carry-keep', topic, id: id(1), at: 1_000, bytes: new Uint8Array([1]), deposit: false },
      { type: 'carry-keep', topic: 'dak/c/0022', id: id(3), at: 1_500, bytes: new Uint8Array([3]), deposit: false }
    ])
    expect((await store.carried.list(topic)).map(e => e.id)).toEqual([id(1), id(2)])
    expect((await store.carried.toDeposit(10)).map(e => e.id)).toEqual([id(2)])
    // nothing of the envelope, the topic or the id is readable on disk
    const raw = Buffer.concat((await db.iterator().all()).flatMap(([k, v]) => [Buffer.from(k), Buffer.from(v)])).toString('latin1')
    for (const secret of ['canary-envelope-bytes', topic, id(2)]) expect(raw.includes(secret)).toBe(false)
    await store.commit([{ type: 'carry-deposited', topic, id: id(2), at: 2_000 }])
    expect(await store.carried.toDeposit(10)).toEqual([])
    await store.close()
  })

  it('stays bounded: the oldest beyond the count and anything older than the age go, marks with them', async () => {
    const store = await openDeviceStore(new MemoryLevel<string, Uint8Array>({ valueEncoding: 'view' }) as never)
    await store.commit(Array.from({ length: 10 }, (_, i) => ({ type: 'carry-keep' as const, topic, id: id(i + 1), at: (i + 1) * 1_000, bytes: new Uint8Array([i + 1]), deposit: true })))
    expect(await store.carried.prune(topic, { maxCount: 6, maxBytes: 1_000, olderThan: 2_500 })).toBe(4) // 1-4: beyond the count (1-4), older than 2.5 s (1-2)
    expect((await store.carried.list(topic)).map(e => e.at)).toEqual([5_000, 6_000, 7_000, 8_000, 9_000, 10_000])
    expect(await store.carried.prune(topic, { maxCount: 6, maxBytes: 4, olderThan: 0 })).toBe(2) // one byte each: the newest 4 stay
    expect((await store.carried.list(topic)).map(e => e.at)).toEqual([7_000, 8_000, 9_000, 10_000])
    expect((await store.carried.toDeposit(100)).length).toBe(4)
    await store.carried.forget(topic)
    expect(await store.carried.list(topic)).toEqual([])
    expect(await store.carried.toDeposit(100)).toEqual([])
    await store.close()
  })
})
