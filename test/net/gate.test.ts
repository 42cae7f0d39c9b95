import { afterEach, describe, expect, it } from 'vitest'
import { department, officer } from '../../protocol/src/identity/test-fixtures.js'
import { CERT_PROTOCOL } from '../../node/src/net/constants.js'
import { encodeFrame } from '../../node/src/net/frames.js'
import { plainNode } from './attacker.js'
import { connectVerified, nextEvent, samePeer, startNode, stopAll } from './helpers.js'
import type { RejectedPeer } from '../../node/src/net/index.js'

const mof = department('mof.budget')

afterEach(stopAll)

describe('certificate gate: enrolled peers', () => {
  it('two enrolled nodes verify each other and keep their certificates', async () => {
    const asha = officer(mof, 'asha.rao')
    const ravi = officer(mof, 'ravi.kumar')
    const a = await startNode({ device: asha.device, certificate: asha.certificate.bytes }, { trust: [mof.entry] })
    const b = await startNode({ device: ravi.device, certificate: ravi.certificate.bytes }, { trust: [mof.entry] })

    await connectVerified(a, b)

    expect(a.services.directory.get(b.peerId)?.handle).toBe('ravi.kumar')
    expect(b.services.directory.get(a.peerId)?.handle).toBe('asha.rao')
    expect(a.peerId.publicKey?.raw).toEqual(asha.device.publicKey)
  })

  it('a device that goes away halfway through presenting its certificate is hung up on, not denied: its next start connects at once', async () => {
    // what a short `dak verify` or `dak search` does: it dials in the background and exits mid-exchange
    const asha = officer(mof, 'asha.rao')
    const ravi = officer(mof, 'ravi.kumar')
    const node = await startNode({ device: ravi.device, certificate: ravi.certificate.bytes }, { trust: [mof.entry] })
    const leaving = await plainNode(asha.device)
    const hungUp = nextEvent<RejectedPeer>(node.services.directory, 'peer:rejected', samePeer(leaving.peerId))
    const connection = await leaving.dial(node.getMultiaddrs())
    const stream = await connection.newStream(CERT_PROTOCOL, { signal: AbortSignal.timeout(5_000) })
    stream.send(encodeFrame(asha.certificate.bytes).subarray(0, 20))
    await stream.close()
    expect((await hungUp).error.name).toBe('StreamEndedError')
    await leaving.stop()

    // before the fix: DialDeniedError / a silent hang-up for DEFAULT_DENY_MS (60 s)
    const back = await startNode({ device: asha.device, certificate: asha.certificate.bytes }, { trust: [mof.entry] })
    await connectVerified(back, node)
    expect(node.services.directory.get(back.peerId)?.handle).toBe('asha.rao')
  })
})
