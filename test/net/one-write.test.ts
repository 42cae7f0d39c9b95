import { Socket } from 'node:net'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { department, officer } from '../../protocol/src/identity/test-fixtures.js'
import { pingConnection } from '../../node/src/net/liveness.js'
import { connectVerified, startNode, stopAll } from './helpers.js'

/**
 * Each Noise message goes to the socket in one write (node/src/net/one-write-encrypter.ts):
 * written as its 2-byte length and its ciphertext apart, it left as two TCP segments under
 * TCP_NODELAY, doubling the packets of every small frame on a 2G link (docs/field.md, section 6).
 * Real libp2p over loopback TCP; the socket's writes are watched, not replaced.
 */

const mof = department('mof.budget')
const asha = officer(mof, 'asha.rao')
const ravi = officer(mof, 'ravi.kumar')

afterEach(async () => {
  vi.restoreAllMocks()
  await stopAll()
})

describe('Noise messages on TCP', () => {
  it('are written whole: no write is a lone 2-byte length prefix, through the handshake, the certificate exchange and pings', async () => {
    const writes = vi.spyOn(Socket.prototype, 'write')
    const a = await startNode({ device: asha.device, certificate: asha.certificate.bytes }, { trust: [mof.entry] })
    const r = await startNode({ device: ravi.device, certificate: ravi.certificate.bytes }, { trust: [mof.entry] })
    await connectVerified(a, r)
    const [connection] = a.getConnections(r.peerId)
    expect(connection).toBeDefined()
    for (let i = 0; i < 3; i++) await pingConnection(connection!, AbortSignal.timeout(5_000))

    const sizes = writes.mock.calls.map(([chunk]) => typeof chunk === 'string' ? Buffer.byteLength(chunk) : (chunk as Uint8Array).byteLength)
    expect(sizes.length).toBeGreaterThan(10)
    expect(sizes.filter(size => size === 2)).toEqual([])
  }, 30_000)
})
