import { describe, expect, it } from 'vitest'
import { KeyedMutex } from './mutex.js'

/** A promise resolved from outside, to hold work open without sleeping. */
function gate (): { promise: Promise<void>, open: () => void } {
  let open: () => void = () => {}
  const promise = new Promise<void>(resolve => { open = resolve })
  return { promise, open }
}

describe('KeyedMutex', () => {
  it('runs work on one key one at a time, in arrival order', async () => {
    const mutex = new KeyedMutex()
    const log: string[] = []
    const first = gate()
    const a = mutex.run(['k'], async () => { log.push('a start'); await first.promise; log.push('a end') })
    const b = mutex.run(['k'], async () => { log.push('b start') })
    await Promise.resolve()
    first.open()
    await Promise.all([a, b])
    expect(log).toEqual(['a start', 'a end', 'b start'])
  })

  it('lets work on different keys overlap', async () => {
    const mutex = new KeyedMutex()
    const held = gate()
    const a = mutex.run(['x'], async () => { await held.promise })
    await mutex.run(['y'], async () => { held.open() })
    await a
    expect(mutex.size).toBe(0)
  })

  it('does not deadlock when two holders name the same keys in opposite orders', async () => {
    const mutex = new KeyedMutex()
    const results = await Promise.all([
      mutex.run(['x', 'y'], async () => 'xy'),
      mutex.run(['y', 'x'], async () => 'yx'),
      mutex.run(['y'], async () => 'y')
    ])
    expect(results).toEqual(['xy', 'yx', 'y'])
  })

  it('releases a key when the work throws, and forgets keys nobody holds', async () => {
    const mutex = new KeyedMutex()
    await expect(mutex.run(['k'], async () => { throw new Error('boom') })).rejects.toThrow('boom')
    expect(await mutex.run(['k'], async () => 'after')).toBe('after')
    expect(mutex.size).toBe(0)
  })
})
