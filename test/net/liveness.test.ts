import { afterEach, describe, expect, it } from 'vitest'
import { department, officer } from '../../protocol/src/identity/test-fixtures.js'
import { waitFor } from '../helpers/wait.js'
import { connectVerified, nextEvent, startNode, stopAll } from './helpers.js'
import { KEEPALIVE_PROTOCOL } from '../../node/src/net/keepalive-stream.js'
import type { Connection, Startable } from '@libp2p/interface'

/**
 * Keep-alive from one end on Node.js (node/src/net/liveness.ts; docs/field.md,
 * section 6): on 2G every idle ping is bytes an officer pays for, and both
 * ends used to ping every connection (plus yamux's own keep-alive). Now the
 * dialler pings; the accepting end hears those pings (the ping service still
 * answers them) and pings only a connection whose dialler has gone quiet, and
 * gives it up if that fails too. The dialler's pings go on one stream kept
 * open per connection (keepalive-stream.ts), not a new stream each.
 */

const mof = department('mof.budget')
const asha = officer(mof, 'asha.rao')
const ravi = officer(mof, 'ravi.kumar')
const INTERVAL_MS = 200
const quick = { liveness: { intervalMs: INTERVAL_MS, timeoutMs: 300, failures: 3 } }

afterEach(stopAll)

describe('keep-alive from the dialling end (Node.js)', () => {
  it('only the dialler pings while it is there; the other end pings a quiet connection and closes it when nobody answers', async () => {
    const dialler = await startNode({ device: asha.device, certificate: asha.certificate.bytes }, { trust: [mof.entry], options: quick })
    const listener = await startNode({ device: ravi.device, certificate: ravi.certificate.bytes }, { trust: [mof.entry], options: quick })
    await connectVerified(dialler, listener)

    await waitFor('five pings from the dialler, heard', () => listener.services.liveness.counts.heard >= 5, { timeoutMs: 10_000 })
    expect(dialler.services.liveness.counts.sent).toBeGreaterThanOrEqual(5)
    // five intervals or more have passed; the accepting end has not pinged once (before: every interval)
    expect(listener.services.liveness.counts.sent).toBe(0)
    expect(dialler.services.liveness.counts.heard).toBe(0)

    // the dialler stops pinging and answering: the listener takes over, then gives up
    const [connection] = listener.getConnections(dialler.peerId)
    expect(connection).toBeDefined()
    const closed = nextEvent<Connection>(listener, 'connection:close', (c) => c.id === connection!.id, 10_000)
    await dialler.services.liveness.stop()
    await (dialler.services.ping as unknown as Startable).stop()
    await closed
    expect(listener.services.liveness.counts.sent).toBeGreaterThanOrEqual(3)
  }, 30_000)

  it('the accepting end keeps a connection alive whose dialler does not ping', async () => {
    const dialler = await startNode({ device: asha.device, certificate: asha.certificate.bytes }, { trust: [mof.entry], options: quick })
    const listener = await startNode({ device: ravi.device, certificate: ravi.certificate.bytes }, { trust: [mof.entry], options: quick })
    await connectVerified(dialler, listener)
    await dialler.services.liveness.stop()

    // the listener's pings are answered by the dialler's ping service: the connection stays
    await waitFor('the listener pings the quiet connection', () => listener.services.liveness.counts.sent >= 5, { timeoutMs: 10_000 })
    expect(listener.getConnections(dialler.peerId).filter(c => c.status === 'open')).toHaveLength(1)
  }, 30_000)

  it('the dialler sends every ping on one stream it keeps open, not a stream per ping', async () => {
    const dialler = await startNode({ device: asha.device, certificate: asha.certificate.bytes }, { trust: [mof.entry], options: quick })
    const listener = await startNode({ device: ravi.device, certificate: ravi.certificate.bytes }, { trust: [mof.entry], options: quick })
    await connectVerified(dialler, listener)
    // no ping protocol at the accepting end: a ping per stream would now fail, and after three the connection would close
    await (listener.services.ping as unknown as Startable).stop()
    const [connection] = dialler.getConnections(listener.peerId)
    expect(connection).toBeDefined()

    const seen = new Set<string>()
    const keepAliveStreams = (): string[] => connection!.streams.filter(s => s.protocol === KEEPALIVE_PROTOCOL).map(s => s.id)
    const started = listener.services.liveness.counts.heard
    await waitFor('ten pings heard on the keep-alive stream', () => {
      for (const id of keepAliveStreams()) seen.add(id)
      return listener.services.liveness.counts.heard >= started + 10
    }, { timeoutMs: 10_000 })
    expect(connection!.status).toBe('open')
    expect(seen.size).toBe(1)
    expect(keepAliveStreams()).toEqual([...seen])
    expect(listener.services.liveness.counts.sent).toBe(0)
  }, 30_000)

  it('a remote that does not speak the keep-alive protocol is pinged a stream at a time, and the connection stays', async () => {
    const dialler = await startNode({ device: asha.device, certificate: asha.certificate.bytes }, { trust: [mof.entry], options: quick })
    const listener = await startNode({ device: ravi.device, certificate: ravi.certificate.bytes }, { trust: [mof.entry], options: quick })
    // as a browser: no keep-alive protocol (its pings are answered by @libp2p/ping)
    await listener.unhandle(KEEPALIVE_PROTOCOL)
    await connectVerified(dialler, listener)

    const started = listener.services.liveness.counts.heard
    await waitFor('five pings heard through the ping protocol', () => listener.services.liveness.counts.heard >= started + 5, { timeoutMs: 10_000 })
    const [connection] = dialler.getConnections(listener.peerId)
    expect(connection?.status).toBe('open')
    expect(connection!.streams.filter(s => s.protocol === KEEPALIVE_PROTOCOL)).toHaveLength(0)
  }, 30_000)

  it('the keep-alive stream opens with the connection, not in the first idle interval', async () => {
    // an interval far longer than the test: only the ping at connection time can open the stream
    const slow = { liveness: { intervalMs: 600_000, timeoutMs: 5_000, failures: 3 } }
    const dialler = await startNode({ device: asha.device, certificate: asha.certificate.bytes }, { trust: [mof.entry], options: slow })
    const listener = await startNode({ device: ravi.device, certificate: ravi.certificate.bytes }, { trust: [mof.entry], options: slow })
    await connectVerified(dialler, listener)
    const [connection] = dialler.getConnections(listener.peerId)
    expect(connection).toBeDefined()
    await waitFor('a ping heard at connection time', () => listener.services.liveness.counts.heard >= 1, { timeoutMs: 10_000 })
    expect(connection!.streams.filter(s => s.protocol === KEEPALIVE_PROTOCOL)).toHaveLength(1)
    expect(dialler.services.liveness.counts.sent).toBe(1)
  }, 30_000)
})
