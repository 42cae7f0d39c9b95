import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { LevelRange, Section, WriteOp } from './backend.js'
import { TransactionQueue, WriteTransaction } from './transaction.js'

/** A section over a plain Map, answering ranges the way level does. */
function mapSection (name: string, data: Map<string, Uint8Array>): Section {
  const select = (range: LevelRange): Array<[string, Uint8Array]> => {
    const keys = [...data.keys()].filter(k => (range.gt === undefined || k > range.gt) && (range.gte === undefined || k >= range.gte) && (range.lt === undefined || k < range.lt) && (range.lte === undefined || k <= range.lte)).sort()
    if (range.reverse === true) keys.reverse()
    return keys.slice(0, range.limit ?? Infinity).map(k => [k, data.get(k) as Uint8Array])
  }
  return { name, get: async (k) => data.get(k), getMany: async (ks) => ks.map(k => data.get(k)), hasMany: async (ks) => ks.map(k => data.has(k)), entries: async (range) => select(range) }
}

function applyOps (data: Map<string, Uint8Array>, ops: WriteOp[]): void {
  for (const op of ops) {
    if (op.type === 'put') data.set(op.key, op.value)
    else data.delete(op.key)
  }
}

// A small key space, so writes often hit stored keys and range bounds.
const key = fc.constantFrom('a', 'a!b', 'a!c', 'ab', 'b', 'b!a', 'c', 'c!!')
const write = fc.oneof(fc.tuple(fc.constant('put' as const), key, fc.nat(255)), fc.tuple(fc.constant('del' as const), key, fc.constant(0)))
const range = fc.record({ gte: fc.option(key, { nil: undefined }), lt: fc.option(key, { nil: undefined }), reverse: fc.boolean(), limit: fc.option(fc.nat(6), { nil: undefined }) })

describe('write transaction', () => {
  it('reads its own writes, in ranges exactly as the database would after commit', async () => {
    await fc.assert(fc.asyncProperty(fc.dictionary(key, fc.nat(255)), fc.array(write, { maxLength: 12 }), range, async (initial, writes, r) => {
      const stored = new Map(Object.entries(initial).map(([k, v]) => [k, new Uint8Array([v])]))
      const section = mapSection('s', stored)
      const tx = new WriteTransaction()
      for (const [type, k, v] of writes) {
        if (type === 'put') tx.put(section, k, new Uint8Array([v]))
        else tx.del(section, k)
      }
      const expected = new Map(stored)
      applyOps(expected, tx.ops())
      expect(await tx.entries(section, r)).toEqual(await mapSection('after', expected).entries(r))
      for (const [, k] of writes) expect(await tx.get(section, k)).toEqual(expected.get(k))
    }))
  })

  it('writes nothing for a failed transaction, and the queue keeps going', async () => {
    const data = new Map<string, Uint8Array>()
    const section = mapSection('s', data)
    const queue = new TransactionQueue({ write: async (ops) => { applyOps(data, ops) } })
    const failed = queue.run(async (tx) => {
      tx.put(section, 'a', new Uint8Array([1]))
      throw new Error('refused')
    })
    const next = queue.run(async (tx) => {
      tx.put(section, 'b', new Uint8Array([2]))
      return await tx.get(section, 'a')
    })
    await expect(failed).rejects.toThrow('refused')
    expect(await next).toBeUndefined()
    expect([...data.keys()]).toEqual(['b'])
  })

  it('runs transactions one at a time, each seeing the last one committed', async () => {
    const data = new Map<string, Uint8Array>([['n', new Uint8Array([0])]])
    const section = mapSection('s', data)
    const queue = new TransactionQueue({ write: async (ops) => { applyOps(data, ops) } })
    await Promise.all(Array.from({ length: 50 }, async () => await queue.run(async (tx) => {
      const n = (await tx.get(section, 'n'))?.[0] ?? 0
      await Promise.resolve()
      tx.put(section, 'n', new Uint8Array([n + 1]))
    })))
    expect(data.get('n')).toEqual(new Uint8Array([50]))
  })
})
