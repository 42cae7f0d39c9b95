import { InvalidArgumentError, utf8 } from '@dak/protocol'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { CorruptRecordError } from './errors.js'
import { joinKey, keyPart, parseTimeKey, prefixRange, splitKey, timeKey } from './keys.js'

const time = fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER })
const part = fc.string({ unit: fc.constantFrom(...'"#$%/-.0129:ABZ_abz~'), minLength: 1, maxLength: 12 })

function compareBytes (a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return (a[i] ?? 0) - (b[i] ?? 0)
  return a.length - b.length
}

describe('keys', () => {
  it('timestamp keys sort like the numbers, and read back', () => {
    fc.assert(fc.property(time, time, (a, b) => {
      const [x, y] = [timeKey(a), timeKey(b)]
      expect(Math.sign(x < y ? -1 : x > y ? 1 : 0)).toBe(Math.sign(a - b))
      expect(parseTimeKey(timeKey(a))).toBe(a)
    }))
  })

  it('(time, id) keys sort as tuples, as strings and as UTF-8 bytes alike', () => {
    fc.assert(fc.property(time, part, time, part, (t1, id1, t2, id2) => {
      const a = joinKey(timeKey(t1), keyPart('id', id1))
      const b = joinKey(timeKey(t2), keyPart('id', id2))
      const tuple = Math.sign(t1 - t2) || Math.sign(id1 < id2 ? -1 : id1 > id2 ? 1 : 0)
      expect(Math.sign(a < b ? -1 : a > b ? 1 : 0)).toBe(tuple)
      expect(Math.sign(compareBytes(utf8(a), utf8(b)))).toBe(tuple)
    }))
  })

  it('a prefix range holds exactly the keys of that prefix, even when another prefix extends it', () => {
    fc.assert(fc.property(part, part, part, (p, q, rest) => {
      const range = prefixRange(p)
      const key = joinKey(q, rest)
      const inside = key >= range.gte && key < range.lt
      expect(inside).toBe(p === q)
    }))
  })

  it('refuses key parts that could break the layout', () => {
    for (const bad of ['', 'a!b', 'a b', 'é', 'x'.repeat(257), '\u0000']) {
      expect(() => keyPart('id', bad)).toThrow(InvalidArgumentError)
    }
    for (const bad of [-1, 1.5, Number.MAX_SAFE_INTEGER + 1, NaN]) expect(() => timeKey(bad)).toThrow(InvalidArgumentError)
    expect(parseTimeKey('12')).toBeUndefined()
    expect(() => splitKey('a!!b', 3, 'test')).toThrow(CorruptRecordError)
    expect(splitKey('a!b', 2, 'test')).toEqual(['a', 'b'])
  })
})
