import { readFileSync } from 'node:fs'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  bytesEqual, compareSafetyQr, decodeAppContent, decodeInvite, DakError, fromHex, MAX_APP_CONTENT_BYTES, MAX_CERTIFICATE_BYTES, MAX_ENVELOPE_BYTES,
  MAX_INVITE_BYTES, MAX_REVOCATION_LIST_BYTES, MAX_TRUST_BUNDLE_BYTES, MalformedInputError, openEnvelope, parseInviteCode, RevocationState,
  TooLargeError, TrustStore, verifyCertificate, verifyDirective, verifyDirectiveAck, verifyEvidence, verifyRevocationList, MAX_EVIDENCE_BYTES, type SignedDirective,
  decodeHistoryPart, encodeHistoryPart, MAX_HISTORY_PART_BYTES, packHistory
} from '@dak/protocol'
import { anyString, mutationsOf, onlyDakErrors, randomBytes, runs, stringMutationsOf } from './fuzz.js'

/**
 * Every decoder of untrusted input, fed random bytes, protobuf-shaped bytes,
 * mutated valid encodings and hand-made amplification attacks: the only
 * failure allowed is a DakError; nothing else may be thrown and nothing may
 * hang. Signed formats must also never accept a mutation that changes them.
 * Seeds are the golden vectors.
 */

function vector (file: string): any {
  return JSON.parse(readFileSync(new URL(`../vectors/${file}`, import.meta.url), 'utf8'))
}
const identity = vector('identity.json')
const invite = vector('invite.json')
const envelope = vector('envelope.json')
const content = vector('content.json')
const safety = vector('safety-number.json')

const trust = TrustStore.decode(fromHex(identity.trustBundle.bytes))
const now = envelope.inputs.timestamp
const context = { trust, revocations: new RevocationState(), now }
const asha = { devicePublicKeys: [fromHex(safety.inputs.asha.devicePublicKey)], handle: 'asha.rao' }
const ravi = { devicePublicKeys: [fromHex(safety.inputs.ravi.devicePublicKey)], handle: 'ravi.k' }

interface ByteDecoder {
  decode: (bytes: Uint8Array) => unknown
  valid: Uint8Array[]
  max: number
  /** For signed formats: what an accepted input must still say, whatever its bytes. */
  unchanged?: (accepted: unknown) => boolean
  /** The format's empty message is valid, so bytes that skip to nothing may be accepted. */
  emptyIsValid?: boolean
}

const certificateBytes = fromHex(identity.certificate.bytes)
const revocationBytes = fromHex(identity.revocationList.bytes)
const envelopeBytes = fromHex(envelope.bytes)

// a history part of two messages, one with every optional field, as a seed
const [historyPart] = packHistory('dak/c/00112233', [
  { id: 'a'.repeat(64), sender: { handle: 'asha', displayName: 'Asha Rao', title: 'Deputy Secretary', department: 'dept', deviceKey: 'b'.repeat(64) }, officersOwn: true, kind: 'text', text: 'the survey starts Monday', sentAt: 1_800_000_000_000 },
  { id: 'c'.repeat(64), sender: { handle: 'bala', displayName: 'Bala Iyer', title: '', department: 'dept', deviceKey: 'd'.repeat(64) }, officersOwn: false, kind: 'text', text: 'ठीक है', sentAt: 1_800_000_000_500, replyTo: { id: 'a'.repeat(64), text: 'the survey', sender: 'Asha Rao' }, editedAt: 1_800_000_000_900, directive: { issuedAt: 1_800_000_000_500, deadline: 1_800_000_900_000 }, precedence: 'flash', expiresAt: 1_900_000_000_000 }
])
if (historyPart == null) throw new Error('two messages pack into one part')
const historyPartBytes = encodeHistoryPart(historyPart)
const vectorDirective: SignedDirective = (decodeAppContent(fromHex(content.directive.bytes)) as { directive: SignedDirective }).directive

const byteDecoders: Record<string, ByteDecoder> = {
  certificate: {
    decode: bytes => verifyCertificate(bytes, context),
    valid: [certificateBytes],
    max: MAX_CERTIFICATE_BYTES,
    // Canonical encoding: the only accepted bytes are the original ones.
    unchanged: c => bytesEqual((c as { bytes: Uint8Array }).bytes, certificateBytes)
  },
  // Unsigned local configuration, and an empty bundle is a valid one: junk may decode to it.
  'trust bundle': { decode: bytes => TrustStore.decode(bytes), valid: [fromHex(identity.trustBundle.bytes)], max: MAX_TRUST_BUNDLE_BYTES, emptyIsValid: true },
  'revocation list': {
    decode: bytes => verifyRevocationList(bytes, trust),
    valid: [revocationBytes],
    max: MAX_REVOCATION_LIST_BYTES,
    // Extra outer fields may pass (the list is kept by serial, not by hash), a changed signed body never.
    unchanged: l => { const list = l as { serial: number, revokedDeviceKeys: Uint8Array[] }; return list.serial === 3 && JSON.stringify(list.revokedDeviceKeys.map(k => Buffer.from(k).toString('hex'))) === JSON.stringify(identity.revocationList.inputs.revokedDeviceKeys) }
  },
  'invite bytes': { decode: bytes => decodeInvite(bytes), valid: [fromHex(invite.bytes)], max: MAX_INVITE_BYTES },
  envelope: {
    decode: bytes => openEnvelope(bytes, now),
    valid: [envelopeBytes],
    max: MAX_ENVELOPE_BYTES,
    // Canonical encoding: the only accepted bytes are the original ones.
    unchanged: e => bytesEqual((e as { bytes: Uint8Array }).bytes, envelopeBytes)
  },
  'app content': {
    decode: bytes => {
      const decoded = decodeAppContent(bytes)
      if (decoded.kind === 'directive') return verifyDirective(decoded.directive, context)
      // an acknowledgement is checked against the vectors' directive: a mutation must never pass as a changed one
      if (decoded.kind === 'directive-ack') return verifyDirectiveAck(decoded.ack, fromHex(envelope.messageId), vectorDirective, { ...context, now: now + 300_000 })
      return decoded
    },
    valid: ['text', 'textReply', 'receipt', 'directive', 'edit', 'delete', 'directiveAck'].map(k => fromHex(content[k].bytes)),
    max: MAX_APP_CONTENT_BYTES
  },
  // linked devices: a history part, once opened (history.proto; docs/messenger.md, "History transfer")
  'history part': {
    decode: bytes => decodeHistoryPart(bytes),
    valid: [historyPartBytes],
    max: MAX_HISTORY_PART_BYTES
  },
  // issue 16: the evidence file an auditor is handed; any change to what it says must be refused.
  // Leaving an acknowledgement out is not such a change: the file proves who acknowledged, never
  // who did not (docs/messenger.md, "Evidence"), so a file with fewer of the genuine ones is valid.
  'directive evidence': {
    decode: bytes => verifyEvidence(bytes, { ...context, now: now + 300_000 }),
    valid: [fromHex(content.evidence)],
    max: MAX_EVIDENCE_BYTES,
    unchanged: e => {
      const verified = e as { directive: { text: string, issuedAt: number, deadline?: number }, acks: Array<{ acknowledgedAt: number, certificate: { handle: string } }> }
      return verified.directive.text === content.directive.inputs.directive.text && verified.directive.deadline === content.directive.inputs.directive.deadline &&
        verified.acks.every(a => a.certificate.handle === 'ravi.k' && a.acknowledgedAt === content.directiveAck.inputs.ack.acknowledgedAt)
    }
  }
}

function varint (value: number): number[] {
  const out: number[] = []
  while (value >= 0x80) { out.push((value % 0x80) | 0x80); value = Math.floor(value / 0x80) }
  return [...out, value]
}
function repeat (pattern: number[], times: number): Uint8Array {
  const out = new Uint8Array(pattern.length * times)
  for (let i = 0; i < times; i++) out.set(pattern, i * pattern.length)
  return out
}
function field (number: number, payload: Uint8Array): Uint8Array {
  return new Uint8Array([...varint(number * 8 + 2), ...varint(payload.length), ...payload])
}

/** Attacks on declared lengths, counts and nesting, each near its decoder's size limit. */
function amplification (max: number): Record<string, Uint8Array> {
  return {
    'a length field declaring 4 GiB': new Uint8Array([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x01, 0x02]),
    'a body declaring 4 GiB inside a well-formed outer message': field(1, new Uint8Array([0x12, 0xff, 0xff, 0xff, 0xff, 0x0f])),
    'an eleven-byte varint': new Uint8Array([0x08, ...new Array(10).fill(0xff), 0x01]),
    'unknown empty fields filling the limit': repeat([0x7a, 0x00], Math.floor(max / 2)),
    'empty bodies repeated to the limit': repeat([0x0a, 0x00], Math.floor(max / 2)),
    'groups nested as deep as the limit allows': repeat([0x7b], max),
    'groups nested deep inside a body': field(1, repeat([0x7b], max - 8)),
    'one byte over the limit': new Uint8Array(max + 1),
    'zeros up to the limit': new Uint8Array(max)
  }
}

describe('byte decoders only ever throw DakError', () => {
  for (const [name, decoder] of Object.entries(byteDecoders)) {
    describe(name, () => {
      it('accepts its valid seeds (so the properties below start from real encodings)', () => {
        for (const bytes of decoder.valid) expect(onlyDakErrors(() => decoder.decode(bytes.slice())).accepted).toBe(true)
      })

      it('random and protobuf-shaped bytes', () => {
        fc.assert(fc.property(randomBytes, bytes => { onlyDakErrors(() => decoder.decode(bytes)) }), { numRuns: runs(3000) })
      })

      it('mutated valid encodings; a signed format never accepts a changed message', () => {
        fc.assert(fc.property(mutationsOf(decoder.valid), bytes => {
          const result = onlyDakErrors(() => decoder.decode(bytes))
          if (result.accepted && decoder.unchanged != null) expect(decoder.unchanged(result.value)).toBe(true)
        }), { numRuns: runs(3000) })
      })

      it('length, count and nesting amplification', () => {
        for (const [attack, bytes] of Object.entries(amplification(decoder.max))) {
          const result = onlyDakErrors(() => decoder.decode(bytes))
          if (decoder.emptyIsValid !== true) expect(result.accepted, attack).toBe(false)
          if (!result.accepted && attack === 'one byte over the limit') expect(result.error, attack).toBeInstanceOf(name === 'invite bytes' ? DakError : TooLargeError)
        }
      }, 20_000)
    })
  }
})

describe('repeated-field limits hold at and past the limit', () => {
  it('revocation list: 65,536 empty keys decode within bounds, 65,537 are refused', () => {
    const list = (count: number): Uint8Array => field(1, repeat([0x22, 0x00], count))
    const atLimit = onlyDakErrors(() => verifyRevocationList(list(65_536), trust))
    expect(atLimit.accepted).toBe(false)
    const overLimit = onlyDakErrors(() => verifyRevocationList(list(65_537), trust))
    expect(!overLimit.accepted && overLimit.error).toBeInstanceOf(MalformedInputError)
  })

  it('trust bundle: 257 empty authorities are refused', () => {
    expect(() => TrustStore.decode(repeat([0x0a, 0x00], 257))).toThrow(MalformedInputError)
  })

  it('invite: 17 empty node addresses are refused', () => {
    expect(() => decodeInvite(repeat([0x32, 0x00], 17))).toThrow(DakError)
  })

  it('receipt: 257 empty ids are refused', () => {
    const receipt = field(4, repeat([0x12, 0x00], 257))
    expect(() => decodeAppContent(new Uint8Array([0x08, 0x01, 0x10, 0x02, ...receipt]))).toThrow(MalformedInputError)
  })
})

interface StringDecoder { decode: (text: string) => unknown, valid: string[] }

const stringDecoders: Record<string, StringDecoder> = {
  'invite code': { decode: parseInviteCode, valid: [invite.code, invite.code.toLowerCase().replaceAll('-', ' ')] },
  'invite url': { decode: decodeInvite, valid: [invite.url, invite.link] },
  'safety QR payload': { decode: text => compareSafetyQr(text, asha, ravi), valid: [safety.raviQrPayload, safety.ashaQrPayload] }
}

describe('string decoders only ever throw DakError', () => {
  for (const [name, decoder] of Object.entries(stringDecoders)) {
    describe(name, () => {
      it('accepts its valid seeds', () => {
        for (const text of decoder.valid) expect(onlyDakErrors(() => decoder.decode(text)).accepted).toBe(true)
      })

      it('random strings, lone surrogates included', () => {
        fc.assert(fc.property(anyString, text => { onlyDakErrors(() => decoder.decode(text)) }), { numRuns: runs(3000) })
      })

      it('edited valid strings', () => {
        // A well-formed QR costs two 5200-round fingerprints (~0.15 s): fewer runs there, even in a soak.
        const numRuns = name === 'safety QR payload' ? Math.min(runs(60), 1000) : runs(2000)
        fc.assert(fc.property(stringMutationsOf(decoder.valid), text => { onlyDakErrors(() => decoder.decode(text)) }), { numRuns })
      })

      it('huge input is refused without being parsed', () => {
        for (const text of ['A'.repeat(1 << 20), decoder.valid[0] + '#'.repeat(1 << 20), '\ud800'.repeat(1 << 16)]) {
          expect(onlyDakErrors(() => decoder.decode(text)).accepted).toBe(false)
        }
      })
    })
  }
})
