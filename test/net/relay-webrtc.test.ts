import { circuitRelayServer } from '@libp2p/circuit-relay-v2'
import { TrustStore, RevocationState } from '@dak/protocol'
import { createLibp2p } from 'libp2p'
import { afterEach, describe, expect, it } from 'vitest'
import { department, NOW, officer, seededKey } from '../../protocol/src/identity/test-fixtures.js'
import { dakNodeLibp2pConfig, type RejectedPeer, type VerifiedPeer } from '../../node/src/net/index.js'
import { encodeFrame, readFrame } from '../../node/src/net/frames.js'
import { plainNode } from './attacker.js'
import { connectVerified, nextEvent, running, samePeer, startNode, stopAll } from './helpers.js'
import type { Multiaddr } from '@multiformats/multiaddr'
import type { PeerUpdate } from '@libp2p/interface'

/**
 * Browser-to-browser path: WebRTC with circuit relay signalling through a
 * department node. The relay is itself a Dak node (the gate applies to it and
 * through it), built from dakNodeLibp2pConfig plus a relay server, as the
 * department node will be.
 */

const mof = department('mof.budget')
const relayOfficer = officer(mof, 'node.mof')
const asha = officer(mof, 'asha.rao')
const ravi = officer(mof, 'ravi.kumar')

afterEach(stopAll)

async function departmentRelay () {
  const trust = new TrustStore([mof.entry])
  const revocations = new RevocationState()
  const config = await dakNodeLibp2pConfig({
    deviceSeed: relayOfficer.device.privateKey,
    certificate: relayOfficer.certificate.bytes,
    verifyContext: () => ({ trust, revocations, now: NOW }),
    listen: ['/ip4/127.0.0.1/tcp/0/ws']
  })
  const relay = await createLibp2p({ ...config, services: { ...config.services, relay: circuitRelayServer() } })
  running.add(relay)
  return relay
}

describe('WebRTC through a Dak relay', () => {
  it('two enrolled nodes reach each other over WebRTC, verified on both the relayed and the direct connection', async () => {
    const relay = await departmentRelay()
    const listener = await startNode({ device: asha.device, certificate: asha.certificate.bytes }, { trust: [mof.entry], listen: ['/p2p-circuit', '/webrtc'] })
    const dialer = await startNode({ device: ravi.device, certificate: ravi.certificate.bytes }, { trust: [mof.entry], listen: [] })

    const webrtcAddr = nextEvent<PeerUpdate>(listener, 'self:peer:update', () => listener.getMultiaddrs().some(isWebRTC))
    await connectVerified(listener, relay)
    await webrtcAddr
    const target = listener.getMultiaddrs().find(isWebRTC)
    expect(target).toBeDefined()

    const verified = nextEvent<VerifiedPeer>(listener.services.directory, 'peer:verified', samePeer(dialer.peerId), 30_000)
    const connection = await dialer.dial(target as Multiaddr, { signal: AbortSignal.timeout(30_000) })
    await verified
    expect(connection.remoteAddr.toString()).toMatch(/\/webrtc\//)
    expect(connection.limits).toBeUndefined()
    expect(dialer.services.directory.get(listener.peerId)?.handle).toBe('asha.rao')
  })

  it('the relay grants no reservation to a node without a certificate', async () => {
    const relay = await departmentRelay()
    const outsider = await plainNode(seededKey('device wants a relay'))
    const directory = relay.services.directory
    const rejected = nextEvent<RejectedPeer>(directory, 'peer:rejected', samePeer(outsider.peerId))
    await outsider.dial(relay.getMultiaddrs())

    // a raw HOP RESERVE (HopMessage { type: RESERVE }), sent at once, before any verdict
    const hop = await outsider.dialProtocol(relay.peerId, '/libp2p/circuit/relay/0.2.0/hop', { signal: AbortSignal.timeout(5_000) })
    hop.send(encodeFrame(Uint8Array.of(0x08, 0x00)))
    const answer = readFrame(hop, 1_024, { signal: AbortSignal.timeout(5_000) }).catch((err: Error) => err.name)

    expect((await rejected).error.name).toBe('CertificateTimeoutError')
    // the relay held the request for the verdict: it answers PERMISSION_DENIED
    // (status 202) or the connection is gone first; never OK (100)
    const reply = await answer
    if (reply instanceof Uint8Array) expect([...reply]).toEqual([0x08, 0x02, 0x28, 0xca, 0x01])
    else expect(reply).toMatch(/Stream|Connection/)
    expect(relay.services.relay.reservations.size).toBe(0)
  })
})

function isWebRTC (ma: Multiaddr): boolean {
  return ma.toString().includes('/p2p-circuit/webrtc')
}
