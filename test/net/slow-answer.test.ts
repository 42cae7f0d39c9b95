import { multiaddr } from '@multiformats/multiaddr'
import { afterEach, describe, expect, it } from 'vitest'
import { department, officer } from '../../protocol/src/identity/test-fixtures.js'
import { createRpc } from '../../node/src/net/index.js'
import { nextEvent, samePeer, startNode, stopAll } from './helpers.js'
import { SlowLink } from './slow-link.js'
import type { VerifiedPeer } from '../../node/src/net/index.js'

/**
 * Request deadlines on a slow link (docs/field.md, 2g-bad): an answer that
 * keeps arriving is not given up because it is long; a peer that goes
 * silent still is.
 */

const mof = department('mof.budget')
const asha = officer(mof, 'asha.rao')
const ravi = officer(mof, 'ravi.kumar')
const BIG = '/dak/test/big/1.0.0'
const SILENT = '/dak/test/silent/1.0.0'
const ANSWER_BYTES = 96 * 1024
let link: SlowLink | undefined

afterEach(async () => {
  await stopAll()
  await link?.stop()
  link = undefined
})

async function throughSlowLink (bytesPerSecond: number): Promise<{ request: ReturnType<typeof createRpc>['request'], server: Awaited<ReturnType<typeof startNode>> }> {
  const server = await startNode({ device: ravi.device, certificate: ravi.certificate.bytes }, { trust: [mof.entry] })
  const client = await startNode({ device: asha.device, certificate: asha.certificate.bytes }, { trust: [mof.entry] })
  const serverRpc = createRpc(server, server.services.directory)
  // the server's own 1 s is for reading and handling; writing a long answer has as long as it moves
  await serverRpc.handle(BIG, () => new Uint8Array(ANSWER_BYTES).fill(7), { timeoutMs: 1_000 })
  await serverRpc.handle(SILENT, async (_request, { signal }) => {
    // answers only when its own (server) deadline ends: silence for the client
    await new Promise((resolve) => { signal.addEventListener('abort', resolve, { once: true }) })
    return new Uint8Array(1)
  })
  const port = Number(/\/tcp\/(\d+)/.exec(server.getMultiaddrs()[0]!.toString())?.[1])
  link = new SlowLink({ host: '127.0.0.1', port }, 20, bytesPerSecond)
  await link.start()
  const verified = nextEvent<VerifiedPeer>(client.services.directory, 'peer:verified', samePeer(server.peerId), 10_000)
  await client.dial(multiaddr(`/ip4/127.0.0.1/tcp/${link.port}/p2p/${server.peerId.toString()}`))
  await verified
  const rpc = createRpc(client, client.services.directory)
  return { request: rpc.request, server }
}

describe('request deadline on a slow link', () => {
  it('an answer that takes 3 s but keeps arriving is read whole with a 1 s timeout at both ends (RequestTimeoutError before)', async () => {
    // 32 KB/s: the 96 KiB answer takes about 3 s, a slice every ~45 ms
    const { request, server } = await throughSlowLink(32 * 1024)
    const started = Date.now()
    const answer = await request(server.peerId, BIG, new Uint8Array(1), { timeoutMs: 1_000 })
    expect(answer.length).toBe(ANSWER_BYTES)
    expect(Date.now() - started).toBeGreaterThan(1_000)
  }, 20_000)

  it('a peer that sends nothing is still given up after the timeout, not the overall cap', async () => {
    const { request, server } = await throughSlowLink(32 * 1024)
    const started = Date.now()
    await expect(request(server.peerId, SILENT, new Uint8Array(1), { timeoutMs: 1_000, maxMs: 30_000 })).rejects.toMatchObject({ name: 'RequestTimeoutError' })
    expect(Date.now() - started).toBeLessThan(5_000)
  }, 20_000)

  it('an answer that keeps arriving is still given up at the overall cap', async () => {
    const { request, server } = await throughSlowLink(32 * 1024)
    const started = Date.now()
    await expect(request(server.peerId, BIG, new Uint8Array(1), { timeoutMs: 1_000, maxMs: 1_500 })).rejects.toMatchObject({ name: 'RequestTimeoutError' })
    expect(Date.now() - started).toBeLessThan(2_500)
  }, 20_000)
})
