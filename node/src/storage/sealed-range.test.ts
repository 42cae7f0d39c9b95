import fc from 'fast-check'
import { randomBytes } from '@noble/ciphers/utils.js'
import { MemoryLevel } from 'memory-level'
import { describe, expect, it } from 'vitest'
import { createAtRestCipher } from './at-rest.js'
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
