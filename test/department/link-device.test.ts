import { decodeInvite, generateSigningKeyPair, InvalidInviteError } from '@dak/protocol'
import { afterEach, describe, expect, it } from 'vitest'
import { LINK_INVITE_VALIDITY_MS } from '@dak/protocol/department'
import { enrolOverHttp } from '../../node/src/department/index.js'
import { cleanup, connect, enrolDevice, startDepartment, startDevice, tcpAddress } from './helpers.js'
import { nextEvent, samePeer } from '../net/helpers.js'

afterEach(cleanup)

/**
 * Issue 16, linked devices: an enrolled device asks its department node for a
 * one-time invite for another device of its own officer over /dak/device/link
 * (who asks is the connection's certificate), and a new device enrols with it
 * under the same handle. A revoked device gets none.
 */
describe('link invites at the department node', () => {
  it('gives an enrolled device a one-time, short-lived invite for its own handle that enrols a second device', async () => {
    const node = await startDepartment()
    const asha = await startDevice(await enrolDevice(node, 'asha.rao'))
    const client = await connect(asha, node)
    const before = Date.now()
    const ticket = decodeInvite(await client.linkInvite())
    expect({ handle: ticket.handle, displayName: ticket.displayName, department: ticket.department }).toEqual({ handle: 'asha.rao', displayName: 'Officer asha.rao', department: 'mof.budget' })
    expect(ticket.expiresAt).toBeGreaterThanOrEqual(before + LINK_INVITE_VALIDITY_MS - 1000)
    expect(ticket.expiresAt).toBeLessThanOrEqual(Date.now() + LINK_INVITE_VALIDITY_MS)

    const second = generateSigningKeyPair()
    const enrolment = await enrolOverHttp(node.httpUrl, ticket.secret, second, generateSigningKeyPair().publicKey)
    expect(enrolment.certificate.handle).toBe('asha.rao')
    expect(Buffer.from(enrolment.certificate.devicePublicKey)).toEqual(Buffer.from(second.publicKey))
    // once: a third device cannot enrol with the same code
    await expect(enrolOverHttp(node.httpUrl, ticket.secret, generateSigningKeyPair(), generateSigningKeyPair().publicKey)).rejects.toBeInstanceOf(InvalidInviteError)
    expect((await node.devices()).filter(d => d.handle === 'asha.rao')).toHaveLength(2)
  }, 60_000)

  it('gives a revoked device nothing: the node hangs up, serves it no more, and records no invite', async () => {
    const node = await startDepartment()
    const asha = await startDevice(await enrolDevice(node, 'asha.rao'))
    const client = await connect(asha, node)
    const invites = async (): Promise<number> => (await node.audit.list()).filter(e => e.action === 'invite-created').length
    expect(await invites()).toBe(1) // her own enrolment's
    const hungUp = nextEvent(asha.libp2p, 'peer:disconnect', samePeer(node.peerId))
    await node.revoke({ handle: 'asha.rao' })
    await hungUp
    // back again, she is refused at the gate (test/department/revocation.test.ts): no request of hers is served
    await asha.libp2p.dial(tcpAddress(node)).catch(() => undefined)
    expect(await client.linkInvite().then(() => 'answered', () => 'refused')).toBe('refused')
    expect(await invites()).toBe(1)
    expect((await node.devices()).filter(d => d.handle === 'asha.rao')).toHaveLength(1)
  }, 60_000)
})
