import { InvalidInviteError, utf8 } from '@dak/protocol'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { department, officer, seededKey } from '../../protocol/src/identity/test-fixtures.js'
import { createRpc, requestOnStream, type Rpc } from '../../node/src/net/index.js'
import { readFrame } from '../../node/src/net/frames.js'
import { ErrorResponse } from '../../protocol/src/wire/generated/rpc.js'
import { plainNode } from './attacker.js'
import { connectVerified, nextEvent, startNode, stopAll } from './helpers.js'
import type { DakLibp2p } from '../../node/src/net/index.js'
import type { Stream } from '@libp2p/interface'
import { multiaddr } from '@multiformats/multiaddr'
import { createServer, type Server } from 'node:net'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'

const mof = department('mof.budget')
const asha = officer(mof, 'asha.rao')
const ravi = officer(mof, 'ravi.kumar')
const ECHO = '/dak/test/reverse/1.0.0'
const FAILING = '/dak/test/failing/1.0.0'

let client: DakLibp2p
let server: DakLibp2p
let rpc: Rpc

beforeEach(async () => {
  client = await startNode({ device: asha.device, certificate: asha.certificate.bytes }, { trust: [mof.entry] })
  server = await startNode({ device: ravi.device, certificate: ravi.certificate.bytes }, { trust: [mof.entry] })
  const serverRpc = createRpc(server, server.services.directory)
  await serverRpc.handle(ECHO, (request) => request.slice().reverse(), { maxRequestBytes: 1024, timeoutMs: 1_000 })
  await serverRpc.handle(FAILING, (request) => {
    if (request[0] === 1) throw new InvalidInviteError('invite already used')
    throw new Error('database path /var/lib/dak is not writable')
  })
  rpc = createRpc(client, client.services.directory)
  await connectVerified(client, server)
})

afterEach(stopAll)

/** A stream on which the test writes raw bytes, as a broken or hostile client would. */
async function rawStream (): Promise<Stream> {
  return client.dialProtocol(server.peerId, ECHO, { signal: AbortSignal.timeout(5_000) })
}

/** Resolves when the server has closed its end (we receive the end of its data). */
async function serverClosed (stream: Stream): Promise<void> {
  if (stream.readableEnded) return
  await nextEvent(stream, 'end')
}

/** The error name in a raw response frame (status byte 1, then an ErrorResponse). */
function errorIn (frame: Uint8Array): string {
  expect(frame[0]).toBe(1)
  return ErrorResponse.decode(frame.subarray(1)).name
}

describe('request/response for Dak protocols', () => {
  it('a dial the transport fails with something other than an Error (a WebSocket error event) rejects with a typed error', async () => {
    // a WebSocket address whose server hangs up on every connection, as a node refusing a revoked device does
    const refusing: Server = createServer((socket) => { socket.destroy() })
    await new Promise<void>(resolve => refusing.listen(0, '127.0.0.1', resolve))
    try {
      const port = (refusing.address() as { port: number }).port
      const nobody = peerIdFromPrivateKey(await generateKeyPair('Ed25519'))
      const failure = await rpc.request(multiaddr(`/ip4/127.0.0.1/tcp/${port}/ws/p2p/${nobody.toString()}`), ECHO, utf8('abc'), { timeoutMs: 5_000 }).then(() => undefined, (err: unknown) => err)
      expect(failure).toBeInstanceOf(Error)
      expect((failure as Error).name).toBe('ConnectionLostError')
      expect((failure as Error).message).toMatch(/^could not open a connection to the peer: /)
      expect((failure as Error).message).not.toContain('[object')
    } finally {
      refusing.close()
    }
  })

  it('answers a good request', async () => {
    const answer = await rpc.request(server.peerId, ECHO, utf8('abc'))
    expect(answer).toEqual(utf8('cba'))
  })

  it('answers an oversized request with TooLargeError, closes the stream, and keeps serving', async () => {
    await expect(rpc.request(server.peerId, ECHO, new Uint8Array(4096))).rejects.toHaveProperty('name', 'TooLargeError')

    // the same at the byte level: the refusal comes as soon as the length is
    // declared, although the body never follows
    const stream = await rawStream()
    stream.send(Uint8Array.from([0x80, 0x80, 0x40])) // declares 1 MiB
    expect(errorIn(await readFrame(stream, 4096, { signal: AbortSignal.timeout(5_000) }))).toBe('TooLargeError')
    await serverClosed(stream)

    expect(await rpc.request(server.peerId, ECHO, utf8('still here'))).toEqual(utf8('ereh llits'))
  })

  it('answers garbage with MalformedInputError or StreamEndedError and keeps serving', async () => {
    // a length prefix that never ends
    const endless = await rawStream()
    endless.send(Uint8Array.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff]))
    expect(errorIn(await readFrame(endless, 4096, { signal: AbortSignal.timeout(5_000) }))).toBe('MalformedInputError')
    await serverClosed(endless)

    // nothing at all: the client closes without a request
    const empty = await rawStream()
    await empty.close()
    expect(errorIn(await readFrame(empty, 4096, { signal: AbortSignal.timeout(5_000) }))).toBe('StreamEndedError')

    // a frame that promises 10 bytes and ends after 3
    const short = await rawStream()
    short.send(Uint8Array.from([10, 1, 2, 3]))
    await short.close()
    expect(errorIn(await readFrame(short, 4096, { signal: AbortSignal.timeout(5_000) }))).toBe('StreamEndedError')

    expect(await rpc.request(server.peerId, ECHO, utf8('ok'))).toEqual(utf8('ko'))
  })

  it('passes typed errors through and hides the details of untyped ones', async () => {
    await expect(rpc.request(server.peerId, FAILING, Uint8Array.of(1))).rejects.toMatchObject({ name: 'InvalidInviteError', message: 'invite already used' })
    const hidden = await rpc.request(server.peerId, FAILING, Uint8Array.of(2)).catch((err: Error) => err)
    expect(hidden).toHaveProperty('name', 'InternalError')
    expect((hidden as Error).message).not.toContain('/var/lib')
  })

  it('times out a request whose server never answers', async () => {
    const slow = '/dak/test/slow/1.0.0'
    await createRpc(server, server.services.directory).handle(slow, async (_request, { signal }) => {
      await nextEvent(signal, 'abort', () => true, 10_000)
      return new Uint8Array(0)
    }, { timeoutMs: 5_000 })
    await expect(rpc.request(server.peerId, slow, utf8('?'), { timeoutMs: 200 })).rejects.toHaveProperty('name', 'RequestTimeoutError')
  })

  it('refuses a peer without a certificate with PeerNotVerifiedError', async () => {
    const outsider = await plainNode(seededKey('device curious'))
    await outsider.dial(server.getMultiaddrs())
    const stream = await outsider.dialProtocol(server.peerId, ECHO, { signal: AbortSignal.timeout(5_000) })
    // the server waits for a verdict as long as the request may take (1 s), less than the gate's 1.5 s
    await expect(requestOnStream(stream, utf8('let me in'))).rejects.toHaveProperty('name', 'PeerNotVerifiedError')
  })
})
