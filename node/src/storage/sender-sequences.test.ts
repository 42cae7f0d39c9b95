import { MemoryLevel } from 'memory-level'
import { describe, expect, it } from 'vitest'
import { openDeviceStore } from './device-store.js'
import { MAX_ABOVE, MAX_AHEAD, missingCount, withReceived } from './sender-sequences.js'

const sender = 'ab'.repeat(32)
const topic = 'dak/c/0011'

describe('sender sequence records', () => {
  it('take the first number as the baseline, then count the holes up to the highest', () => {
    let record = withReceived(undefined, 7)!
    expect(record).toEqual({ contiguous: 7, above: [] })
    record = withReceived(record, 10)!
    expect(missingCount({ sender, ...record })).toBe(2)
    record = withReceived(record, 9)!
    record = withReceived(record, 8)!
    expect(record).toEqual({ contiguous: 10, above: [] })
    expect(missingCount({ sender, ...record })).toBe(0)
  })

  it('change nothing for a number had already (a replay) or below the baseline', () => {
    const record = withReceived(withReceived(undefined, 3)!, 5)!
    expect(withReceived(record, 5)).toBeUndefined()
    expect(withReceived(record, 2)).toBeUndefined()
  })

  it('stay bounded: a number absurdly far ahead is not believed, and old holes are given up past MAX_ABOVE', () => {
    expect(withReceived({ contiguous: 1, above: [] }, 1 + MAX_AHEAD + 1)).toBeUndefined()
    let record = { contiguous: 0, above: [] as number[] }
    for (let seq = 2; seq <= MAX_ABOVE + 3; seq++) record = withReceived(record, seq)!
    expect(record.above.length).toBeLessThanOrEqual(MAX_ABOVE)
  })

  it('are stored with the commit that records them, per topic and sender', async () => {
    const store = await openDeviceStore(new MemoryLevel())
    await store.commit([{ type: 'sender-seq', topic, sender, seq: 4 }, { type: 'sender-seq', topic, sender, seq: 7 }, { type: 'sender-seq', topic, sender, seq: 7 }])
    expect(await store.senderSequences.get(topic, sender)).toEqual({ sender, contiguous: 4, above: [7] })
    expect((await store.senderSequences.forTopic(topic)).map(r => missingCount(r))).toEqual([2])
    await expect(store.commit([{ type: 'sender-seq', topic, sender, seq: -1 }])).rejects.toMatchObject({ name: 'InvalidArgumentError' })
    await store.close()
  })

  it('disappearing messages: a hole after a message older than the timer is accounted for, a recent one is still missing', async () => {
    const store = await openDeviceStore(new MemoryLevel())
    const timer = { timerMs: 2000 }
    await store.commit([{ type: 'sender-seq', topic, sender, seq: 3, at: 10_000 }])
    // seq 4 was sent at or after 10 000 and expired by 12 000: at 12 000 it may have been deleted before reaching us
    await store.commit([{ type: 'sender-seq', topic, sender, seq: 5, at: 13_000, expired: { ...timer, now: 13_100 } }])
    expect(await store.senderSequences.get(topic, sender)).toEqual({ sender, contiguous: 5, above: [], lastAt: 13_000 })
    // seq 6 was sent after 13 000; at 14 000 it cannot have expired yet: it is missing
    await store.commit([{ type: 'sender-seq', topic, sender, seq: 7, at: 14_000, expired: { ...timer, now: 14_000 } }])
    expect(missingCount((await store.senderSequences.get(topic, sender))!)).toBe(1)
    // without a timer the same late hole is missing too
    const other = 'ab'.repeat(32)
    await store.commit([{ type: 'sender-seq', topic, sender: other, seq: 3, at: 10_000 }, { type: 'sender-seq', topic, sender: other, seq: 5, at: 13_000 }])
    expect(missingCount((await store.senderSequences.get(topic, other))!)).toBe(1)
    await store.close()
  })
})
