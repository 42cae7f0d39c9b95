import { afterEach, describe, expect, it } from 'vitest'
import { department, officer } from '../../protocol/src/identity/test-fixtures.js'
import { connectVerified, startNode, stopAll } from './helpers.js'

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
})
