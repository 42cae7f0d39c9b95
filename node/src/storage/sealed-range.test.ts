import fc from 'fast-check'
import { randomBytes } from '@noble/ciphers/utils.js'
import { MemoryLevel } from 'memory-level'
import { describe, expect, it } from 'vitest'
import { createAtRestCipher } from './at-rest.js'
import { planStoredRange, sealedEntries } from './sealed-range.js'
import { openLevelBackend, type LevelDatabase, type LevelRange } from './backend.js'
import { prefixRange } from './keys.js'
import { KEY_SHAPES } from './layout.js'

/**
 * A sealed section answers every range read exactly as a plain one does:
 * same keys, same values, same order, same limit — for the ranges the
 * repositories use (prefix ranges, a prefix up to a message, time bounds)
 * and for arbitrary bounds, where the stored range can only be a superset.
 */

const SECTIONS = ['messages', 'outbox-due', 'cursors'] as const
type Name = typeof SECTIONS[number]

const conv = fc.constantFrom('c1', 'c2', 'c10', 'zz')
const time = fc.integer({ min: 0, max: 5 }).map(n => String(1_750_000_000_000 + n).padStart(16, '0'))
const id = fc.constantFrom('a', 'b', 'm1', 'm2', 'x9', 'Z')
const keyOf: Record<Name, fc.Arbitrary<string>> = {
  messages: fc.tuple(conv, time, id).map(parts => parts.join('!')),
  'outbox-due': fc.tuple(time, id).map(parts => parts.join('!')),
  cursors: fc.tuple(conv, id).map(parts => parts.join('!'))
}

function rangeOf (name: Name): fc.Arbitrary<LevelRange> {
  const bound = fc.option(fc.oneof(keyOf[name], conv, time, conv.map(c => prefixRange(c).gte), conv.map(c => prefixRange(c).lt)), { nil: undefined })
  const shaped = name === 'outbox-due'
    ? fc.record({ lt: fc.option(time, { nil: undefined }) })
    : fc.oneof(
      conv.map(c => prefixRange(c)),
      fc.tuple(conv, keyOf[name]).map(([c, key]) => ({ gte: prefixRange(c).gte, lte: key })),
      fc.tuple(conv, time, id).map(([c, t, i]) => ({ gte: prefixRange(c).gte, lt: [c, t, i].join('!') })))
  // at most one bound per side, as every caller does (level's answer to lt and lte together is not one to imitate)
  const arbitrary = fc.tuple(fc.constantFrom('gt', 'gte'), bound, fc.constantFrom('lt', 'lte'), bound)
    .map(([lowerOp, lower, upperOp, upper]) => ({ ...(lower !== undefined ? { [lowerOp]: lower } : {}), ...(upper !== undefined ? { [upperOp]: upper } : {}) }))
  return fc.tuple(fc.oneof(shaped, arbitrary), fc.boolean(), fc.option(fc.integer({ min: 0, max: 7 }), { nil: undefined }))
    .map(([range, reverse, limit]) => ({ ...range, reverse, ...(limit !== undefined ? { limit } : {}) }))
}

describe('range reads on sealed sections', () => {
  for (const name of SECTIONS) {
    it(`${name}: the same answers as a plain section`, async () => {
      await fc.assert(fc.asyncProperty(fc.uniqueArray(keyOf[name], { maxLength: 30 }), fc.array(rangeOf(name), { minLength: 1, maxLength: 5 }), async (keys, ranges) => {
        const db = new MemoryLevel() as unknown as LevelDatabase
        const plain = await openLevelBackend(db, SECTIONS, { namespace: 'plain' })
        const sealed = await openLevelBackend(db, SECTIONS, { namespace: 'sealed', atRest: { cipher: createAtRestCipher(randomBytes(32)), shapes: KEY_SHAPES } })
        const value = (key: string): Uint8Array => new TextEncoder().encode(`v:${key}`)
        await plain.write(keys.map(key => ({ type: 'put' as const, section: plain.sections[name], key, value: value(key) })))
        await sealed.write(keys.map(key => ({ type: 'put' as const, section: sealed.sections[name], key, value: value(key) })))
        for (const range of ranges) {
          expect(await sealed.sections[name].entries(range), JSON.stringify(range)).toEqual(await plain.sections[name].entries(range))
        }
        await plain.close()
      }), { numRuns: 150 })
    })
  }
})

describe('what a limited read costs', () => {
  it('a history page (newest first, before a message) is one level read opening about one page of records', async () => {
    const db = new MemoryLevel<string, Uint8Array>({ valueEncoding: 'view' })
    const cipher = createAtRestCipher(randomBytes(32))
    const shape = KEY_SHAPES.messages
    const keys = Array.from({ length: 200 }, (_, i) => ['c1', String(1_750_000_000_000 + i * 1000).padStart(16, '0'), `m${i}`].join('!'))
    for (const key of keys) {
      const storedKey = cipher.storedKey('messages', shape, key)
      await db.put(storedKey, cipher.seal('messages', storedKey, key, new Uint8Array([1])))
    }
    let reads = 0
    let opens = 0
    const reader = {
      read: async (range: LevelRange) => { reads++; return await db.iterator(range).all() },
      plan: (range: LevelRange) => planStoredRange(shape, (part) => cipher.namePart('messages', part), range),
      open: (storedKey: string, sealed: Uint8Array) => { opens++; return cipher.open('messages', storedKey, sealed) }
    }

    // the page before message 150, as messages.history asks: 51 entries, the bound's own record just outside it
    const page = await sealedEntries({ gte: prefixRange('c1').gte, lt: keys[150], reverse: true, limit: 51 }, reader)
    expect(page.map(([key]) => key)).toEqual(keys.slice(99, 150).reverse())
    // before: 102 records opened in three reads (a second page after the bound's own record, then the last timestamp)
    expect(opens).toBeLessThanOrEqual(53)
    expect(reads).toBe(1)
  })

  it('records sharing the last timestamp past the page are still found, in plain order', async () => {
    const db = new MemoryLevel<string, Uint8Array>({ valueEncoding: 'view' })
    const cipher = createAtRestCipher(randomBytes(32))
    const shape = KEY_SHAPES.messages
    // ten messages in one millisecond: their hashes order them nowhere in particular
    const keys = Array.from({ length: 10 }, (_, i) => ['c1', String(1_750_000_000_000).padStart(16, '0'), `m${i}`].join('!'))
    for (const key of keys) {
      const storedKey = cipher.storedKey('messages', shape, key)
      await db.put(storedKey, cipher.seal('messages', storedKey, key, new Uint8Array([1])))
    }
    const reader = {
      read: async (range: LevelRange) => await db.iterator(range).all(),
      plan: (range: LevelRange) => planStoredRange(shape, (part) => cipher.namePart('messages', part), range),
      open: (storedKey: string, sealed: Uint8Array) => cipher.open('messages', storedKey, sealed)
    }
    for (const limit of [1, 3, 8, 9, 10, 11]) {
      const page = await sealedEntries({ ...prefixRange('c1'), reverse: true, limit }, reader)
      expect(page.map(([key]) => key)).toEqual([...keys].sort().reverse().slice(0, limit))
    }
  })
})
