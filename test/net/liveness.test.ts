import { afterEach, describe, expect, it } from 'vitest'
import { department, officer } from '../../protocol/src/identity/test-fixtures.js'
import { waitFor } from '../helpers/wait.js'
import { connectVerified, nextEvent, startNode, stopAll } from './helpers.js'
import type { Connection } from '@libp2p/interface'

/**
 * Keep-alive from one end (node/src/net/liveness.ts; docs/field.md, section
 * 6): on 2G every idle ping is bytes an officer pays for, and both ends used
 * to ping every connection (plus yamux's own keep-alive). Now the dialler
 * pings; the accepting end answers and pings only a connection whose dialler
 * has gone quiet, and gives it up if that fails too. Pings share one stream.
 */

const mof = department('mof.budget')
const asha = officer(mof, 'asha.rao')
const ravi = officer(mof, 'ravi.kumar')
const INTERVAL_MS = 200
const quick = { liveness: { intervalMs: INTERVAL_MS, timeoutMs: 300, failures: 3 } }

afterEach(stopAll)

describe('keep-alive from the dialling end', () => {
  it('only the dialler pings while it is there; the other end pings a quiet connection and closes it when nobody answers', async () => {
    const dialler = await startNode({ device: asha.device, certificate: asha.certificate.bytes }, { trust: [mof.entry], options: quick })
    const listener = await startNode({ device: ravi.device, certificate: ravi.certificate.bytes }, { trust: [mof.entry], options: quick })
    await connectVerified(dialler, listener)

    await waitFor('five pings from the dialler, answered', () => listener.services.liveness.counts.answered >= 5, { timeoutMs: 10_000 })
    expect(dialler.services.liveness.counts.sent).toBeGreaterThanOrEqual(5)
    // ten intervals or more have passed; the accepting end has not pinged once
    expect(listener.services.liveness.counts.sent).toBe(0)
    expect(dialler.services.liveness.counts.answered).toBe(0)
    // every ping went over one stream kept open (a stream per ping is some twenty frames on 2G)
    expect(dialler.services.liveness.streamsOpened).toBe(1)

    // the dialler stops keeping the connection alive (and stops answering pings): the listener takes over, then gives up
    const [connection] = listener.getConnections(dialler.peerId)
    expect(connection).toBeDefined()
    const closed = nextEvent<Connection>(listener, 'connection:close', (c) => c.id === connection!.id, 10_000)
    await dialler.services.liveness.stop()
    await closed
    expect(listener.services.liveness.counts.sent).toBeGreaterThanOrEqual(3)
  }, 30_000)
})
