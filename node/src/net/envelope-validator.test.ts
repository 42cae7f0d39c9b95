import { EnvelopeKind, sealEnvelope, toHex, utf8, MAX_CLOCK_SKEW_MS } from '@dak/protocol'
import { TopicValidatorResult, type Message } from '@libp2p/gossipsub'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { describe, expect, it } from 'vitest'
import { department, NOW, officer, seededKey, seededRandom } from '../../../protocol/src/identity/test-fixtures.js'
import { devicePrivateKey } from './device-key.js'
import { envelopeValidator, type EnvelopeValidatorInit, type EnvelopeVerdict } from './envelope-validator.js'
import type { PeerId } from '@libp2p/interface'

const mof = department('mof.budget')
const asha = officer(mof, 'asha.rao')
const topic = `dak/c/${'ab'.repeat(16)}`
const forwarder: PeerId = peerIdFromPrivateKey(await devicePrivateKey(seededKey('device forwarder').privateKey))
const stranger: PeerId = peerIdFromPrivateKey(await devicePrivateKey(seededKey('device stranger').privateKey))

function envelope (overrides: { topic?: string, timestamp?: number, device?: typeof asha.device } = {}): Uint8Array {
  return sealEnvelope(overrides.device ?? asha.device, {
    kind: EnvelopeKind.APPLICATION,
    topic: overrides.topic ?? topic,
    timestamp: overrides.timestamp ?? NOW,
    senderSeq: 1,
    payload: utf8('minutes of the meeting')
  }).bytes
}

function message (data: Uint8Array, on = topic): Message {
  return { type: 'unsigned', topic: on, data }
}

function validator (overrides: Partial<EnvelopeValidatorInit> = {}): { validate: ReturnType<typeof envelopeValidator>, verdicts: EnvelopeVerdict[] } {
  const verdicts: EnvelopeVerdict[] = []
  const validate = envelopeValidator({
    now: () => NOW,
    isKnownDevice: (key) => toHex(key) === toHex(asha.device.publicKey),
    isVerifiedPeer: (peer) => peer.equals(forwarder),
    onVerdict: (v) => { verdicts.push(v) },
    ...overrides
  })
  return { validate, verdicts }
}

describe('envelope validator', () => {
  it('accepts a signed envelope from a known device, forwarded by a verified peer', () => {
    const { validate, verdicts } = validator()
    expect(validate(forwarder, message(envelope()))).toBe(TopicValidatorResult.Accept)
    expect(verdicts[0]?.envelope?.sender).toEqual(asha.device.publicKey)
  })

  it('rejects bad input so gossipsub penalises the forwarder', () => {
    const { validate, verdicts } = validator()
    const tampered = envelope()
    tampered.set([(tampered.at(-1) ?? 0) ^ 0x80], tampered.length - 1)
    const cases: Array<[PeerId, Message, string]> = [
      [forwarder, message(tampered), 'InvalidSignatureError'],
      [forwarder, message(utf8('not an envelope')), 'MalformedInputError'],
      [forwarder, message(envelope({ topic: `dak/c/${'cd'.repeat(16)}` })), 'topic mismatch'],
      [forwarder, message(envelope({ device: seededKey('device unknown') })), 'unknown sender'],
      [stranger, message(envelope()), 'PeerNotVerifiedError']
    ]
    for (const [from, msg, reason] of cases) {
      expect(validate(from, msg)).toBe(TopicValidatorResult.Reject)
      expect(verdicts.at(-1)?.reason).toBe(reason)
    }
  })

  it('ignores, without penalty, what an honest forwarder could pass on', () => {
    const future = envelope({ timestamp: NOW + MAX_CLOCK_SKEW_MS + 60_000 })
    expect(validator().validate(forwarder, message(future))).toBe(TopicValidatorResult.Ignore)
    expect(validator({ isDuplicate: () => true }).validate(forwarder, message(envelope()))).toBe(TopicValidatorResult.Ignore)
  })

  it('never throws, even when its callbacks do or the input is random', () => {
    const boom = (): never => { throw new Error('boom') }
    expect(validator({ isKnownDevice: boom }).validate(forwarder, message(envelope()))).toBe(TopicValidatorResult.Ignore)
    expect(validator({ isVerifiedPeer: boom }).validate(forwarder, message(envelope()))).toBe(TopicValidatorResult.Ignore)
    expect(validator({ isDuplicate: boom }).validate(forwarder, message(envelope()))).toBe(TopicValidatorResult.Ignore)
    expect(validator({ onVerdict: boom }).validate(forwarder, message(envelope()))).toBe(TopicValidatorResult.Accept)

    const random = seededRandom('validator fuzz')
    const { validate } = validator()
    const valid = envelope()
    for (let i = 0; i < 1_000; i++) {
      // half pure noise, half one mutated byte of a valid envelope
      const data = i % 2 === 0 ? random(1 + (random(1)[0] ?? 0)) : valid.slice()
      if (i % 2 === 1) {
        const [hi = 0, lo = 0, flip = 0] = random(3)
        const at = (hi * 256 + lo) % data.length
        data.set([(data[at] ?? 0) ^ (1 + flip % 255)], at)
      }
      let result: unknown
      expect(() => { result = validate(forwarder, message(data)) }).not.toThrow()
      expect(result).not.toBe(TopicValidatorResult.Accept)
    }
  })
})
