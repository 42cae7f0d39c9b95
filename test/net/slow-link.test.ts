import { multiaddr } from '@multiformats/multiaddr'
import { afterEach, describe, expect, it } from 'vitest'
import { department, officer, seededKey } from '../../protocol/src/identity/test-fixtures.js'
import { nextEvent, samePeer, startNode, stopAll } from './helpers.js'
import { SlowLink } from './slow-link.js'
import type { RejectedPeer, VerifiedPeer } from '../../node/src/net/index.js'
import type { Connection } from '@libp2p/interface'

/**
 * The network layer on a slow link (docs/field.md): what the field harness
 * found on 2G, reproduced in-process with a delaying TCP proxy.
 */

const mof = department('mof.budget')
const asha = officer(mof, 'asha.rao')
const ravi = officer(mof, 'ravi.kumar')
const links = new Set<SlowLink>()

afterEach(async () => {
  await stopAll()
  for (const link of links) await link.stop()
  links.clear()
})

async function slowLinkTo (target: { getMultiaddrs: () => Array<{ toString: () => string }>, peerId: { toString: () => string } }, delayMs: number): Promise<{ link: SlowLink, address: ReturnType<typeof multiaddr> }> {
  const port = Number(/\/tcp\/(\d+)/.exec(target.getMultiaddrs()[0]!.toString())?.[1])
  const link = new SlowLink({ host: '127.0.0.1', port }, delayMs)
  await link.start()
  links.add(link)
  return { link, address: multiaddr(`/ip4/127.0.0.1/tcp/${link.port}/p2p/${target.peerId.toString()}`) }
}

describe('certificate gate on a slow link', () => {
  it('two officers 1.2 s of round trip apart verify each other: the deadline scales with the handshake, no CertificateTimeoutError', async () => {
    const a = await startNode({ device: asha.device, certificate: asha.certificate.bytes }, { trust: [mof.entry] })
    const b = await startNode({ device: ravi.device, certificate: ravi.certificate.bytes }, { trust: [mof.entry] })
    const rejections: RejectedPeer[] = []
    for (const node of [a, b]) node.services.directory.addEventListener('peer:rejected', (evt) => { rejections.push(evt.detail) })
    const { address } = await slowLinkTo(a, 600)

    const verifiedByA = nextEvent<VerifiedPeer>(a.services.directory, 'peer:verified', samePeer(b.peerId), 25_000)
    const verifiedByB = nextEvent<VerifiedPeer>(b.services.directory, 'peer:verified', samePeer(a.peerId), 25_000)
    await b.dial(address)

    expect((await verifiedByA).certificate.handle).toBe('ravi.kumar')
    expect((await verifiedByB).certificate.handle).toBe('asha.rao')
    expect(rejections).toEqual([])
  }, 30_000)

  it('a certificate exchange that ran out of time closes the connection but does not deny the peer: it may dial again', async () => {
    const a = await startNode({ device: asha.device, certificate: asha.certificate.bytes }, { trust: [mof.entry] })
    // enrolled-looking but without a certificate: the exchange never completes, both deadlines run out
    const silent = await startNode({ device: seededKey('device silent') }, { trust: [mof.entry] })
    // whichever deadline fires first hangs up; that end is the one that must not deny the other
    const timedOut = Promise.race([
      nextEvent<RejectedPeer>(a.services.directory, 'peer:rejected', samePeer(silent.peerId), 10_000).then(r => ({ by: a, other: silent, r })),
      nextEvent<RejectedPeer>(silent.services.directory, 'peer:rejected', samePeer(a.peerId), 10_000).then(r => ({ by: silent, other: a, r }))
    ])
    await silent.dial(a.getMultiaddrs())
    const { by, other, r } = await timedOut
    expect(r.error.name).toBe('CertificateTimeoutError')

    // before the fix: DialDeniedError for a minute
    const again = await by.dial(other.getMultiaddrs())
    expect(again.status).toBe('open')
  }, 15_000)
})

describe('keep-alive on a link that goes quiet', () => {
  const lost: string[] = []
  const quick = { liveness: { intervalMs: 300, timeoutMs: 400, failures: 3, onLost: (_: Connection, error: Error) => { lost.push(error.name) } } }

  it('a connection that misses one ping (a 1 s stall) stays open; one that stays silent is closed with ConnectionLostError', async () => {
    const a = await startNode({ device: asha.device, certificate: asha.certificate.bytes }, { trust: [mof.entry], options: quick })
    const b = await startNode({ device: ravi.device, certificate: ravi.certificate.bytes }, { trust: [mof.entry], options: quick })
    const { link, address } = await slowLinkTo(a, 0)
    const verified = nextEvent<VerifiedPeer>(a.services.directory, 'peer:verified', samePeer(b.peerId), 10_000)
    const connection = await b.dial(address)
    await verified

    link.stall()
    await new Promise(resolve => setTimeout(resolve, 1_000)) // eslint-disable-line -- the stall is the condition under test, not a wait for an event
    link.resume()
    // three more intervals with the link back: the connection must still be the same open one
    const closed = nextEvent<Connection>(b, 'connection:close', (c) => c.id === connection.id, 1_500).then(() => 'closed', () => 'open')
    expect(await closed).toBe('open')

    link.stall()
    const closedAt = Date.now()
    await nextEvent<Connection>(b, 'connection:close', (c) => c.id === connection.id, 10_000)
    // three failed pings of 0.4 s, 0.3 s apart, and no sooner than the second failure
    expect(Date.now() - closedAt).toBeGreaterThan(700)
    expect(lost).toContain('ConnectionLostError')
  }, 30_000)
})
