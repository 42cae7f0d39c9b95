import { afterEach, describe, expect, it } from 'vitest'
import { department, officer } from '../../protocol/src/identity/test-fixtures.js'
import { nextEvent, samePeer, startNode, stopAll } from './helpers.js'
import type { VerifiedPeer } from '../../node/src/net/index.js'

/**
 * A LAN with no internet and no department node: two officers' nodes find each
 * other with mDNS alone (no bootstrap list) and pass each other's gate. The
 * service tag is per process so that other test runs on the same machine (and
 * their multicast) are not mistaken for ours.
 */

const mof = department('mof.budget')
const asha = officer(mof, 'asha.rao')
const ravi = officer(mof, 'ravi.kumar')

afterEach(stopAll)

describe('mDNS on one machine', () => {
  it('two nodes with no bootstrap list discover, dial and verify each other', async () => {
    const lan = { mdns: { serviceTag: `_dak-test-${process.pid}._udp.local`, intervalMs: 1_000 } }
    const a = await startNode({ device: asha.device, certificate: asha.certificate.bytes }, { trust: [mof.entry], options: lan })
    const aSeesB = nextEvent<VerifiedPeer>(a.services.directory, 'peer:verified', () => true, 10_000)
    const b = await startNode({ device: ravi.device, certificate: ravi.certificate.bytes }, { trust: [mof.entry], options: lan })
    const bSeesA = nextEvent<VerifiedPeer>(b.services.directory, 'peer:verified', samePeer(a.peerId), 10_000)

    const [seenByA, seenByB] = await Promise.all([aSeesB, bSeesA])
    expect(seenByA.peer.equals(b.peerId)).toBe(true)
    expect(seenByA.certificate.handle).toBe('ravi.kumar')
    expect(seenByB.certificate.handle).toBe('asha.rao')
  })
})
