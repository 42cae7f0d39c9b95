import { bytesEqual, concatBytes, decodeCertificate, RevocationState, TrustStore, type VerifiedRevocationList } from '@dak/protocol'
import { controlTopic } from '@dak/protocol/department'
import { revocationTopicValidator } from '../../node/src/department/index.js'
import { afterEach, describe, expect, it } from 'vitest'
import { nextEvent, samePeer } from '../net/helpers.js'
import type { RejectedPeer } from '../../node/src/net/index.js'
import { cleanup, connect, enrolDevice, startDepartment, startDevice, tcpAddress, type Device } from './helpers.js'

afterEach(cleanup)

/** A stand-in key package: Dak's carry the device certificate and its MLS key, which is what the node checks. */
function keyPackage (device: Device, n: number): Uint8Array {
  return concatBytes(new Uint8Array([n]), device.enrolled.enrolment.certificate.bytes, device.enrolled.mlsKey)
}

describe('key packages, directory and revocation', () => {
  it('hands out one key package per device of an officer, each once, and refuses packages of other devices', async () => {
    const node = await startDepartment()
    const phone = await startDevice(await enrolDevice(node, 'asha.rao'))
    const laptop = await startDevice(await enrolDevice(node, 'asha.rao'))
    const ravi = await startDevice(await enrolDevice(node, 'ravi.k'))
    const [phoneClient, laptopClient, raviClient] = [await connect(phone, node), await connect(laptop, node), await connect(ravi, node)]
    expect(await phoneClient.uploadKeyPackages([keyPackage(phone, 1), keyPackage(phone, 2)])).toBe(2)
    expect(await laptopClient.uploadKeyPackages([keyPackage(laptop, 1)], keyPackage(laptop, 9))).toBe(1)
    await expect(phoneClient.uploadKeyPackages([keyPackage(laptop, 3)])).rejects.toMatchObject({ name: 'InvalidArgumentError' })

    const first = await raviClient.fetchKeyPackages('asha.rao')
    const second = await raviClient.fetchKeyPackages('asha.rao')
    expect(first).toHaveLength(2)
    expect(second).toHaveLength(2)
    const all = [...first, ...second]
    // the phone's two one-time packages each once; the laptop's one, then its last-resort package
    expect(all.filter(p => bytesEqual(p, keyPackage(phone, 1)) || bytesEqual(p, keyPackage(phone, 2)))).toHaveLength(2)
    expect(all.filter(p => bytesEqual(p, keyPackage(laptop, 9)))).toHaveLength(1)
    await expect(raviClient.fetchKeyPackages('nobody')).rejects.toMatchObject({ name: 'NoKeyPackageError' })
  })

  it('revokes an officer: connected devices are hung up, refused on reconnect, dropped from directory and key packages', async () => {
    const node = await startDepartment({}, { gate: { denyMs: 1 } })
    const asha = await startDevice(await enrolDevice(node, 'asha.rao'))
    const ravi = await startDevice(await enrolDevice(node, 'ravi.k'))
    const ashaClient = await connect(asha, node)
    const raviClient = await connect(ravi, node)
    await ashaClient.uploadKeyPackages([keyPackage(asha, 1)])
    expect((await raviClient.directory()).map(c => decodeCertificate(c).certificate.handle).sort()).toEqual(['asha.rao', 'ravi.k'])

    // ravi listens on the department's control topic, as the messenger does
    const control = controlTopic('mof.budget')
    const raviTrust = TrustStore.decode(ravi.enrolled.enrolment.trustBundle)
    const heard = new Promise<VerifiedRevocationList>((resolve) => {
      ravi.libp2p.services.pubsub.topicValidators.set(control, revocationTopicValidator({ trust: () => raviTrust, revocations: ravi.revocations, isVerifiedPeer: (p) => ravi.libp2p.services.directory.isVerified(p), onAdopted: resolve }))
    })
    ravi.libp2p.services.pubsub.subscribe(control)
    const nodePubsub = node.libp2p.services.pubsub
    const raviSubscribed = (): boolean => nodePubsub.getSubscribers(control).some(p => p.equals(ravi.libp2p.peerId))
    if (!raviSubscribed()) await nextEvent(nodePubsub, 'subscription-change', raviSubscribed)

    const hungUp = nextEvent<RejectedPeer>(node.libp2p.services.directory, 'peer:rejected', samePeer(asha.libp2p.peerId))
    const ashaSawIt = nextEvent(asha.libp2p, 'peer:disconnect', samePeer(node.peerId))
    const summary = await node.revoke({ handle: 'asha.rao' })
    expect(summary).toMatchObject({ serial: 1, disconnected: 1, revoked: [Buffer.from(asha.enrolled.keys.publicKey).toString('hex')] })
    expect((await hungUp).error.name).toBe('RevokedCertificateError')
    await ashaSawIt
    expect((await heard).serial).toBe(1)
    expect(ravi.revocations.isRevoked(node.authorityPublicKey, asha.enrolled.keys.publicKey)).toBe(true)
    expect(node.libp2p.getConnections(asha.libp2p.peerId)).toHaveLength(0)

    // back again (the deny period is 1 ms here): the certificate itself is refused now
    const refused = nextEvent<RejectedPeer>(node.libp2p.services.directory, 'peer:rejected', samePeer(asha.libp2p.peerId))
    await asha.libp2p.dial(tcpAddress(node)).catch(() => undefined)
    expect((await refused).error.name).toBe('RevokedCertificateError')
    expect(node.libp2p.services.directory.isVerified(asha.libp2p.peerId)).toBe(false)

    // others learn it from the node, and asha is gone from what the node hands out
    const lists = await raviClient.revocations()
    const state = new RevocationState()
    const trust = TrustStore.decode(ravi.enrolled.enrolment.trustBundle)
    for (const list of lists) state.accept(list, trust)
    expect(state.isRevoked(node.authorityPublicKey, asha.enrolled.keys.publicKey)).toBe(true)
    expect((await raviClient.directory()).map(c => decodeCertificate(c).certificate.handle)).toEqual(['ravi.k'])
    await expect(raviClient.fetchKeyPackages('asha.rao')).rejects.toMatchObject({ name: 'NoKeyPackageError' })
    expect((await node.devices()).find(d => d.handle === 'asha.rao')?.state).toBe('revoked')
  })

  it('pages the directory by device key', async () => {
    const node = await startDepartment()
    const devices = []
    for (const handle of ['a.one', 'b.two', 'c.three', 'd.four', 'e.five']) devices.push(await enrolDevice(node, handle))
    const reader = await startDevice(devices[0] as Awaited<ReturnType<typeof enrolDevice>>)
    const client = await connect(reader, node)
    const first = await client.directoryPage(undefined, 2)
    const second = await client.directoryPage(first.nextAfterDeviceKey, 2)
    const third = await client.directoryPage(second.nextAfterDeviceKey, 2)
    expect([first.certificates.length, second.certificates.length, third.certificates.length]).toEqual([2, 2, 1])
    expect([first.hasMore, second.hasMore, third.hasMore]).toEqual([true, true, false])
    const keys = [...first.certificates, ...second.certificates, ...third.certificates].map(c => Buffer.from(decodeCertificate(c).certificate.devicePublicKey).toString('hex'))
    expect(keys).toEqual([...keys].sort())
    expect(new Set(keys).size).toBe(5)
  })
})
