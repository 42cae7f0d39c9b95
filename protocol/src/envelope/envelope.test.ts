import { sha256 } from '@noble/hashes/sha2.js'
import { describe, expect, it } from 'vitest'
import { MAX_CLOCK_SKEW_MS, MAX_ENVELOPE_BYTES } from '../constants.js'
import { concatBytes } from '../bytes.js'
import { DakError, FutureTimestampError, InvalidArgumentError, InvalidSignatureError, MalformedInputError, TooLargeError } from '../errors.js'
import { signFor } from '../identity/keys.js'
import { NOW, seededKey } from '../identity/test-fixtures.js'
import { Envelope, EnvelopeBody } from '../wire/generated/envelope.js'
import { EnvelopeKind, messageId, openEnvelope, sealEnvelope, type EnvelopeFields } from './envelope.js'

const device = seededKey('envelope device')
const fields: EnvelopeFields = {
  kind: EnvelopeKind.APPLICATION,
  topic: 'dak/c/3f9a1c',
  timestamp: NOW,
  senderSeq: 42,
  payload: new Uint8Array(40).map((_, i) => i * 7)
}
const sealed = sealEnvelope(device, fields)

/** Wrap a hand-made body with a valid signature by `device`: only the encoding is wrong. */
function signedWith (body: Uint8Array): Uint8Array {
  return Envelope.encode({ body, signature: signFor('envelope', device.privateKey, body) })
}

describe('envelope round trip', () => {
  it('opens to what was sealed', () => {
    const opened = openEnvelope(sealed.bytes, NOW)
    expect(opened).toEqual(sealed)
    expect(opened).toMatchObject({ ...fields, sender: device.publicKey })
  })

  it('has a stable id: SHA-256 of its bytes, the same however often it is sealed or opened', () => {
    expect(sealed.id).toEqual(sha256(sealed.bytes))
    expect(sealEnvelope(device, fields).bytes).toEqual(sealed.bytes)
    expect(openEnvelope(sealed.bytes, NOW + 1000).id).toEqual(sealed.id)
    expect(messageId(sealed.bytes)).toEqual(sealed.id)
    expect(sealEnvelope(device, { ...fields, senderSeq: 43 }).id).not.toEqual(sealed.id)
  })

  it('a replay is the same bytes, so it has the same id and dedupe drops it', () => {
    const replayed = openEnvelope(sealed.bytes.slice(), NOW + 60_000)
    expect(replayed.id).toEqual(openEnvelope(sealed.bytes, NOW).id)
  })
})

describe('envelope tampering', () => {
  it('refuses every single-bit flip of a sealed envelope', () => {
    let refused = 0
    for (let bit = 0; bit < sealed.bytes.length * 8; bit++) {
      const flipped = sealed.bytes.slice()
      flipped[bit >> 3] = (flipped[bit >> 3] ?? 0) ^ (1 << (bit & 7))
      try {
        openEnvelope(flipped, NOW)
      } catch (err) {
        if (!(err instanceof DakError)) throw err
        refused++
      }
    }
    expect(refused).toBe(sealed.bytes.length * 8)
  })

  it('refuses a body signed by another key than its sender', () => {
    const body = EnvelopeBody.decode(Envelope.decode(sealed.bytes).body)
    const bytes = Envelope.encode({ body: EnvelopeBody.encode(body), signature: signFor('envelope', seededKey('impostor').privateKey, EnvelopeBody.encode(body)) })
    expect(() => openEnvelope(bytes, NOW)).toThrow(InvalidSignatureError)
  })

  it('refuses a signature moved to a re-addressed body (other topic)', () => {
    const outer = Envelope.decode(sealed.bytes)
    const body = EnvelopeBody.encode({ ...EnvelopeBody.decode(outer.body), topic: 'dak/c/other' })
    expect(() => openEnvelope(Envelope.encode({ body, signature: outer.signature }), NOW)).toThrow(InvalidSignatureError)
  })
})

/** `value` as a varint one byte longer than needed (a continuation bit and a zero byte). */
function nonMinimalVarint (value: number): number[] {
  const out: number[] = []
  while (value >= 0x80) {
    out.push((value % 0x80) | 0x80)
    value = Math.floor(value / 0x80)
  }
  return [...out, value | 0x80, 0x00]
}

describe('canonical encoding: only the bytes the encoder makes are accepted', () => {
  const outer = Envelope.decode(sealed.bytes)
  const body = outer.body
  const variants: Record<string, Uint8Array> = {
    'unknown field appended to the envelope': concatBytes(sealed.bytes, new Uint8Array([0x18, 0x01])),
    'trailing zero byte': concatBytes(sealed.bytes, new Uint8Array([0])),
    'fields in reverse order': concatBytes(Envelope.encode({ signature: outer.signature }), Envelope.encode({ body })),
    'body field repeated': concatBytes(Envelope.encode({ body: new Uint8Array([1]) }), sealed.bytes),
    'non-minimal varint for the body length': concatBytes(new Uint8Array([0x0a, (body.length & 0x7f) | 0x80, (body.length >> 7) | 0x80, 0x00]), body, Envelope.encode({ signature: outer.signature })),
    // The rest are signed correctly by the sender itself: the signature cannot save them.
    'unknown field in a signed body': signedWith(concatBytes(body, new Uint8Array([0x58, 0x01]))),
    'explicit default (kind 0) in a signed body': signedWith(concatBytes(new Uint8Array([0x10, 0x00]), body)),
    'non-minimal timestamp varint in a signed body': signedWith(concatBytes(
      EnvelopeBody.encode({ ...EnvelopeBody.decode(body), timestamp: 0, senderSeq: 0, payload: new Uint8Array(0) }),
      new Uint8Array([0x28, ...nonMinimalVarint(fields.timestamp)]),
      EnvelopeBody.encode({ senderSeq: fields.senderSeq, payload: fields.payload })
    ))
  }
  for (const [name, bytes] of Object.entries(variants)) {
    it(`refuses: ${name}`, () => {
      expect(bytes).not.toEqual(sealed.bytes)
      expect(() => openEnvelope(bytes, NOW)).toThrow(MalformedInputError)
    })
  }
})

describe('envelope limits', () => {
  it('refuses a timestamp more than the allowed skew ahead, accepts one at the edge', () => {
    expect(() => openEnvelope(sealEnvelope(device, { ...fields, timestamp: NOW + MAX_CLOCK_SKEW_MS }).bytes, NOW)).not.toThrow()
    expect(() => openEnvelope(sealEnvelope(device, { ...fields, timestamp: NOW + MAX_CLOCK_SKEW_MS + 1 }).bytes, NOW)).toThrow(FutureTimestampError)
  })

  it('refuses an unsupported version even when signed', () => {
    const body = EnvelopeBody.encode({ ...EnvelopeBody.decode(Envelope.decode(sealed.bytes).body), version: 2 })
    expect(() => openEnvelope(signedWith(body), NOW)).toThrow(MalformedInputError)
  })

  it('refuses oversized input before decoding, and will not seal it', () => {
    expect(() => openEnvelope(new Uint8Array(MAX_ENVELOPE_BYTES + 1), NOW)).toThrow(TooLargeError)
    expect(() => sealEnvelope(device, { ...fields, payload: new Uint8Array(MAX_ENVELOPE_BYTES) })).toThrow(InvalidArgumentError)
  })

  it('will not seal what it would refuse to open', () => {
    expect(() => sealEnvelope(device, { ...fields, kind: EnvelopeKind.ENVELOPE_KIND_UNSPECIFIED })).toThrow(InvalidArgumentError)
    expect(() => sealEnvelope(device, { ...fields, topic: '' })).toThrow(InvalidArgumentError)
    expect(() => sealEnvelope(device, { ...fields, payload: new Uint8Array(0) })).toThrow(InvalidArgumentError)
    expect(() => sealEnvelope(device, { ...fields, timestamp: -1 })).toThrow(InvalidArgumentError)
  })
})
