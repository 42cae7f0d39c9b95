import { Socket } from 'node:net'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { department, officer } from '../../protocol/src/identity/test-fixtures.js'
import { waitFor } from '../helpers/wait.js'
import { WINDOW_UPDATE_BYTES } from '../../node/src/net/yamux-window.js'
import { connectVerified, startNode, stopAll } from './helpers.js'

/**
 * Window updates held back until a few KiB are read (node/src/net/yamux-window.ts).
 * yamux used to answer every data frame with a 12-byte window update, each in a
 * Noise message and TCP segment of its own: a small message cost two writes at
 * the reader's end. Real libp2p over loopback TCP; the sockets' writes are
 * counted, not replaced.
 */

const mof = department('mof.budget')
const asha = officer(mof, 'asha.rao')
const ravi = officer(mof, 'ravi.kumar')
const ECHO = '/dak-test/echo/1.0.0'

afterEach(async () => {
  vi.restoreAllMocks()
  await stopAll()
})

describe('yamux window updates', () => {
  it('small messages each way cost one socket write per message, not two; a bulk read still gets its window back', async () => {
    const a = await startNode({ device: asha.device, certificate: asha.certificate.bytes }, { trust: [mof.entry] })
    const r = await startNode({ device: ravi.device, certificate: ravi.certificate.bytes }, { trust: [mof.entry] })
    await r.handle(ECHO, (stream) => {
      stream.addEventListener('message', (evt) => { stream.send(evt.data.subarray()) })
    })
    await connectVerified(a, r)
    const stream = await a.getConnections(r.peerId)[0]!.newStream(ECHO)
    const received: number[] = []
    stream.addEventListener('message', (evt) => { received.push(evt.data.byteLength) })
    // the stream's first frame each way carries its SYN or ACK: open it before counting
    stream.send(new Uint8Array([0]))
    await waitFor('the first echo', () => received.length === 1)

    const writes = vi.spyOn(Socket.prototype, 'write')
    const messages = 20
    for (let i = 1; i <= messages; i++) {
      stream.send(new Uint8Array([i]))
      await waitFor(`echo ${i}`, () => received.length === i + 1)
    }
    // one write for each message and one for each echo; before, a window update after each as well (about 4 × 20)
    console.log(`${messages} one-byte messages echoed: ${writes.mock.calls.length} socket writes`)
    expect(writes.mock.calls.length).toBeLessThanOrEqual(2 * messages + 4)
    writes.mockRestore()

    // more than the threshold, many times over: the reader keeps granting window, so 1 MiB gets through and back
    const big = new Uint8Array(1024 * 1024).fill(7)
    const before = received.reduce((sum, n) => sum + n, 0)
    for (let offset = 0; offset < big.length; offset += 16 * 1024) stream.send(big.subarray(offset, offset + 16 * 1024))
    await waitFor('1 MiB echoed', () => received.reduce((sum, n) => sum + n, 0) - before === big.length, { timeoutMs: 20_000 })
    expect(big.length).toBeGreaterThan(64 * WINDOW_UPDATE_BYTES)
  }, 60_000)
})
