import { generateSigningKeyPair, InvalidInviteError, parseInviteCode, RevocationState, TrustStore, verifyCertificate } from '@dak/protocol'
import { afterEach, describe, expect, it } from 'vitest'
import { isDepartmentNode } from '@dak/protocol/department'
import { enrolOverHttp, fetchNodeInfo } from '../../node/src/department/index.js'
import { cleanup, enrolDevice, startDepartment } from './helpers.js'

afterEach(cleanup)

const HOUR = 3_600_000

describe('enrolment over HTTP', () => {
  it('certifies a device with a valid invite, for the officer the invite names', async () => {
    const node = await startDepartment()
    const device = await enrolDevice(node, 'asha.rao')
    const trust = TrustStore.decode(device.enrolment.trustBundle)
    const certificate = verifyCertificate(device.enrolment.certificate.bytes, { trust, revocations: new RevocationState(), now: Date.now() })
    expect(certificate).toMatchObject({ handle: 'asha.rao', department: 'mof.budget', devicePublicKey: device.keys.publicKey, mlsSignatureKey: device.mlsKey })
    expect(trust.authorityFor(node.authorityPublicKey)?.department).toBe('mof.budget')
    // the node's own certificate is a department node's under the same trust; an officer's is not
    expect(isDepartmentNode(node.certificate(), trust)).toBe(true)
    expect(isDepartmentNode(certificate, trust)).toBe(false)
    expect((await node.devices()).map(d => [d.handle, d.state])).toEqual([['asha.rao', 'active']])
  })

  it('refuses a reused invite, and the second device is not enrolled', async () => {
    const node = await startDepartment()
    const invite = await node.createInvite({ handle: 'asha.rao', displayName: 'Asha Rao', title: 'Under Secretary' })
    const secret = parseInviteCode(invite.code)
    await enrolOverHttp(node.httpUrl, secret, generateSigningKeyPair(), generateSigningKeyPair().publicKey)
    const reuse = enrolOverHttp(node.httpUrl, secret, generateSigningKeyPair(), generateSigningKeyPair().publicKey)
    await expect(reuse).rejects.toBeInstanceOf(InvalidInviteError)
    await expect(reuse).rejects.toMatchObject({ name: 'InviteAlreadyUsedError' })
    expect(await node.devices()).toHaveLength(1)
  })

  it('refuses an expired invite', async () => {
    let clock = Date.now()
    const node = await startDepartment({}, { now: () => clock })
    const invite = await node.createInvite({ handle: 'asha.rao', displayName: 'Asha Rao', title: 'Under Secretary', validityHours: 1 })
    clock += 2 * HOUR
    await expect(enrolOverHttp(node.httpUrl, parseInviteCode(invite.code), generateSigningKeyPair(), generateSigningKeyPair().publicKey, { now: clock }))
      .rejects.toMatchObject({ name: 'InviteExpiredError', message: expect.stringMatching(/expired/) })
    expect(await node.devices()).toHaveLength(0)
  })

  it('refuses a forged invite and a proof made with another key, burning nothing', async () => {
    const node = await startDepartment()
    const forged = new Uint8Array(10).fill(7)
    await expect(enrolOverHttp(node.httpUrl, forged, generateSigningKeyPair(), generateSigningKeyPair().publicKey)).rejects.toMatchObject({ name: 'UnknownInviteError' })
    const invite = await node.createInvite({ handle: 'asha.rao', displayName: 'Asha Rao', title: 'Under Secretary' })
    // a raw request whose proof is signed by a different key than the one it asks to certify
    const response = await fetch(new URL('/api/enrol', node.httpUrl), { method: 'POST', body: new Uint8Array([0x0a, 0x0a, ...parseInviteCode(invite.code), 0x12, 0x20, ...new Uint8Array(32), 0x1a, 0x01, 0x01, 0x22, 0x40, ...new Uint8Array(64)]) })
    expect(response.status).toBe(400)
    expect(response.headers.get('content-type')).toMatch(/protobuf/)
    // the invite survived both
    const device = await enrolOverHttp(node.httpUrl, parseInviteCode(invite.code), generateSigningKeyPair(), generateSigningKeyPair().publicKey)
    expect(device.certificate.handle).toBe('asha.rao')
  })

  it('refuses invites for the node\'s reserved handle', async () => {
    const node = await startDepartment()
    await expect(node.createInvite({ handle: 'node', displayName: 'Impostor', title: 'Department node' })).rejects.toMatchObject({ name: 'InvalidArgumentError' })
  })

  it('rate-limits enrolment attempts per address', async () => {
    const node = await startDepartment({}, { enrolmentRateLimit: { capacity: 2, refillPerSecond: 0.001 } })
    const attempt = async (): Promise<string> => await enrolOverHttp(node.httpUrl, new Uint8Array(10), generateSigningKeyPair(), new Uint8Array(32)).then(() => 'ok', (err: Error) => err.name)
    expect([await attempt(), await attempt(), await attempt()]).toEqual(['UnknownInviteError', 'UnknownInviteError', 'RateLimitedError'])
    const metrics = await (await fetch(new URL('/metrics', node.httpUrl))).text()
    expect(metrics).toMatch(/^dak_enrolment_rate_limited_total 1$/m)
  })

  it('serves its public info', async () => {
    const node = await startDepartment()
    const info = await fetchNodeInfo(node.httpUrl)
    expect(info).toMatchObject({ department: 'mof.budget', departmentName: 'Budget Division', peerId: node.peerId.toString() })
    expect(info.browserMultiaddrs.some(a => a.includes('/ws/'))).toBe(true)
    expect(info.browserMultiaddrs.some(a => a.includes('/webrtc-direct/'))).toBe(true)
    expect(info.multiaddrs.every(a => a.endsWith(`/p2p/${node.peerId.toString()}`))).toBe(true)
  })
})
