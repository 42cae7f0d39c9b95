import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { formatSize, parseSize } from './media-type.js'

describe('sizes on the command line (dak auto-download)', () => {
  it('reads decimal units as formatSize writes them, and off as nothing', () => {
    expect(parseSize('2MB')).toBe(2_000_000)
    expect(parseSize('500 kB')).toBe(500_000)
    expect(parseSize('1.5mb')).toBe(1_500_000)
    expect(parseSize('1500000')).toBe(1_500_000)
    expect(parseSize('0')).toBe(0)
    expect(parseSize('off')).toBe(0)
    for (const bad of ['', 'MB', '-1MB', '2 TB', 'two', '1e9']) expect(parseSize(bad), bad).toBeUndefined()
  })

  it('reads back what formatSize printed within its rounding', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 10 ** 12 }), (bytes) => {
      const read = parseSize(formatSize(bytes))
      expect(read).toBeDefined()
      // two significant digits below 10, whole units above: at most 5% off
      expect(Math.abs(read! - bytes)).toBeLessThanOrEqual(Math.max(1, bytes * 0.05))
    }))
  })
})
