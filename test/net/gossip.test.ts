import { TopicValidatorResult } from '@libp2p/gossipsub'
import { afterEach, describe, expect, it } from 'vitest'
import { bytesEqual } from '@dak/protocol'
import { department, officer } from '../../protocol/src/identity/test-fixtures.js'
import { connectVerified, joinTopic, seal, startNode, stopAll, subscribed, testTopic } from './helpers.js'

const mof = department('mof.budget')
const asha = officer(mof, 'asha.rao')
const ravi = officer(mof, 'ravi.kumar')
const meera = officer(mof, 'meera.iyer')
const devices = [asha, ravi, meera].map((o) => o.device.publicKey)

afterEach(stopAll)

describe('gossip between three enrolled nodes on loopback TCP', () => {
  it('delivers valid envelopes across a relay hop and stops a tampered one at the first hop', async () => {
    const topic = testTopic('three officers')
    // a line, so every message from A to C has to be forwarded by B
    const a = await startNode({ device: asha.device, certificate: asha.certificate.bytes }, { trust: [mof.entry] })
    const b = await startNode({ device: ravi.device, certificate: ravi.certificate.bytes }, { trust: [mof.entry] })
    const c = await startNode({ device: meera.device, certificate: meera.certificate.bytes }, { trust: [mof.entry] })
    const atA = joinTopic(a, topic, devices)
    const atB = joinTopic(b, topic, devices)
    const atC = joinTopic(c, topic, devices)

    await connectVerified(a, b)
    await connectVerified(c, b)
    expect(a.getConnections(c.peerId)).toHaveLength(0)
    await Promise.all([subscribed(a, b.peerId, topic), subscribed(b, a.peerId, topic), subscribed(b, c.peerId, topic), subscribed(c, b.peerId, topic)])

    const first = seal(asha.device, topic, 1, 'budget figures attached')
    await a.services.pubsub.publish(topic, first)
    await atC.arrival(first)
    await atB.arrival(first)

    // one flipped bit in the signature: the envelope no longer verifies
    const tampered = seal(asha.device, topic, 2, 'send the funds to account 42')
    tampered.set([(tampered.at(-1) ?? 0) ^ 0x01], tampered.length - 1)
    const sent = await a.services.pubsub.publish(topic, tampered)
    expect(sent.recipients.map(String)).toEqual([b.peerId.toString()])
    const atFirstHop = await atB.verdict((v) => v.result !== TopicValidatorResult.Accept)
    expect(atFirstHop.result).toBe(TopicValidatorResult.Reject)
    expect(atFirstHop.reason).toBe('InvalidSignatureError')
    expect(atFirstHop.from.equals(a.peerId)).toBe(true)

    // B decided on the tampered copy before this one was even sent, so C
    // getting this one and not that one means it was not forwarded
    const last = seal(asha.device, topic, 3, 'ignore the previous message')
    await a.services.pubsub.publish(topic, last)
    await atC.arrival(last)

    expect(atB.delivered.some((d) => bytesEqual(d, tampered))).toBe(false)
    expect(atC.delivered.some((d) => bytesEqual(d, tampered))).toBe(false)
    expect(atC.verdicts.map((v) => v.result)).toEqual([TopicValidatorResult.Accept, TopicValidatorResult.Accept])
    expect(atA.delivered).toHaveLength(0)
  })

  it('a message on a topic with no validator of its own is dropped, not delivered', async () => {
    const topic = testTopic('validated')
    const bare = testTopic('no validator')
    const a = await startNode({ device: asha.device, certificate: asha.certificate.bytes }, { trust: [mof.entry] })
    const b = await startNode({ device: ravi.device, certificate: ravi.certificate.bytes }, { trust: [mof.entry] })
    joinTopic(a, topic, devices)
    const atB = joinTopic(b, topic, devices)
    const onBare: Uint8Array[] = []
    b.services.pubsub.addEventListener('message', (evt) => { if (evt.detail.topic === bare) onBare.push(evt.detail.data) })
    b.services.pubsub.subscribe(bare)
    await connectVerified(a, b)
    // b hearing a's subscription means a's sending stream to b is up
    await Promise.all([subscribed(a, b.peerId, topic), subscribed(a, b.peerId, bare), subscribed(b, a.peerId, topic)])

    const sent = await a.services.pubsub.publish(bare, seal(asha.device, bare, 1, 'unchecked'))
    expect(sent.recipients.map(String)).toEqual([b.peerId.toString()])
    const marker = seal(asha.device, topic, 2, 'checked')
    await a.services.pubsub.publish(topic, marker)
    await atB.arrival(marker)

    expect(onBare).toHaveLength(0)
  })
})
