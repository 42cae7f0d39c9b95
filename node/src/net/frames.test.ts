import { streamPair } from '@libp2p/utils'
import { Uint8ArrayList } from 'uint8arraylist'
import { describe, expect, it } from 'vitest'
import { encodeFrame, readFrame, writeFrame } from './frames.js'

/** The frame reader over an in-memory stream pair: no network, real libp2p streams. */
describe('length-prefixed frames', () => {
  it('round-trips frames of 0, 1, 127, 128 and 70,000 bytes, split into single bytes', async () => {
    for (const size of [0, 1, 127, 128, 70_000]) {
      const [out, inn] = await streamPair()
      const data = Uint8Array.from({ length: size }, (_, i) => i % 251)
      const read = readFrame(inn, 100_000, { signal: AbortSignal.timeout(5_000) })
      const frame = encodeFrame(data)
      // worst case for the reader: the prefix arrives one byte at a time
      for (let i = 0; i < Math.min(frame.length, 4); i++) out.send(frame.subarray(i, i + 1))
      out.send(frame.subarray(Math.min(frame.length, 4)))
      expect(await read).toEqual(data)
    }
  })

  it('reads a frame that arrives as a list of parts, the prefix split across them, part by part', async () => {
    const [out, inn] = await streamPair()
    const data = Uint8Array.from({ length: 70_000 }, (_, i) => i % 253)
    let lists = 0
    inn.addEventListener('message', (evt) => { if (!(evt.data instanceof Uint8Array)) lists++ })
    const read = readFrame(inn, 100_000, { signal: AbortSignal.timeout(5_000) })
    // made from parts (an rpc answer: status byte, then body) in one piece, the same bytes as the whole
    const frame = encodeFrame([data.subarray(0, 1), data.subarray(1)])
    expect(frame).toEqual(encodeFrame(data))
    out.send(new Uint8ArrayList(frame.subarray(0, 1), frame.subarray(1, 2), frame.subarray(2, 5_000), frame.subarray(5_000)))
    expect(await read).toEqual(data)
    expect(lists).toBeGreaterThan(0)
  })

  it('refuses a declared length over the limit before the body arrives', async () => {
    const [out, inn] = await streamPair()
    const read = readFrame(inn, 1_000, { signal: AbortSignal.timeout(5_000) })
    out.send(encodeFrame(new Uint8Array(1_001)).subarray(0, 2))
    await expect(read).rejects.toHaveProperty('name', 'TooLargeError')
  })

  it('refuses a length prefix longer than five bytes', async () => {
    const [out, inn] = await streamPair()
    const read = readFrame(inn, 1_000, { signal: AbortSignal.timeout(5_000) })
    out.send(Uint8Array.from([0x80, 0x80, 0x80, 0x80, 0x80, 0x01]))
    await expect(read).rejects.toHaveProperty('name', 'MalformedInputError')
  })

  it('reports a stream that ends mid-frame, and a reader that waits too long', async () => {
    const [out, inn] = await streamPair()
    const read = readFrame(inn, 1_000, { signal: AbortSignal.timeout(5_000) })
    out.send(Uint8Array.from([5, 1, 2]))
    await out.close()
    await expect(read).rejects.toHaveProperty('name', 'StreamEndedError')

    const [, silent] = await streamPair()
    await expect(readFrame(silent, 1_000, { signal: AbortSignal.timeout(50) })).rejects.toHaveProperty('name', 'RequestTimeoutError')
  })

  it('writeFrame waits for drain when the stream is full and still delivers everything', async () => {
    const [out, inn] = await streamPair({ capacity: 16 })
    const data = new Uint8Array(10_000).fill(7)
    const read = readFrame(inn, 20_000, { signal: AbortSignal.timeout(5_000) })
    await writeFrame(out, data, { signal: AbortSignal.timeout(5_000) })
    expect(await read).toEqual(data)
  })
})
