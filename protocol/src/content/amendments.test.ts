import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { InvalidArgumentError, MalformedInputError } from '../errors.js'
import { NOW, department, officer, seededRandom } from '../identity/test-fixtures.js'
import { AppContent, ContentKind } from '../wire/generated/content.js'
import { decodeAppContent, encodeAppContent, type Content } from './app-content.js'
import { signDirectiveAck } from './directive-ack.js'
import { decodeEvidence, encodeEvidence } from './directive-evidence.js'
import { signDirective } from './directive.js'
import { CLIENT_ID_BYTES, MESSAGE_ID_BYTES } from './limits.js'

const random = seededRandom('amendments')
const clientId = random(CLIENT_ID_BYTES)
const id = (): Uint8Array => random(MESSAGE_ID_BYTES)
const budget = department('mof.budget')
const asha = officer(budget, 'asha.rao')
const ravi = officer(budget, 'ravi.k')
const directive = signDirective(asha.device, asha.certificate, 'Freeze all non-salary spending.', NOW)
const ack = signDirectiveAck(ravi.device, ravi.certificate, id(), directive, NOW + 1)

const samples: Record<string, Content> = {
  edit: { kind: 'edit', target: id(), text: 'بجٹ کے اعداد و شمار شام پانچ بجے تک', clientId },
  delete: { kind: 'delete', target: id(), clientId },
  'directive acknowledgement': { kind: 'directive-ack', ack, clientId }
}

describe('edits, deletions and acknowledgements round trip', () => {
  for (const [name, content] of Object.entries(samples)) {
    it(name, () => { expect(decodeAppContent(encodeAppContent(content))).toEqual(content) })
  }
})

describe('amendment bounds', () => {
  it('refuses to encode a bad target, empty edited text or a bad acknowledgement', () => {
    expect(() => encodeAppContent({ kind: 'edit', target: new Uint8Array(31), text: 'x', clientId })).toThrow(InvalidArgumentError)
    expect(() => encodeAppContent({ kind: 'edit', target: id(), text: '', clientId })).toThrow(InvalidArgumentError)
    expect(() => encodeAppContent({ kind: 'delete', target: new Uint8Array(0), clientId })).toThrow(InvalidArgumentError)
    expect(() => encodeAppContent({ kind: 'directive-ack', ack: { ...ack, directiveHash: new Uint8Array(5) }, clientId })).toThrow(InvalidArgumentError)
  })

  it('refuses fields that do not belong to the kind', () => {
    const mixed = [
      { kind: ContentKind.DELETE, target: id(), text: 'x' },
      { kind: ContentKind.EDIT, target: id(), text: 'x', replyTo: id() },
      { kind: ContentKind.EDIT, target: id(), text: 'x', directiveAck: ack },
      { kind: ContentKind.DIRECTIVE_ACK, directiveAck: ack, target: id() },
      { kind: ContentKind.DIRECTIVE_ACK },
      { kind: ContentKind.TEXT, text: 'x', target: id() },
      { kind: ContentKind.RECEIPT, receipt: { type: 'READ' as never, messageIds: [id()], at: NOW }, directiveAck: ack }
    ]
    for (const fields of mixed) {
      expect(() => decodeAppContent(AppContent.encode({ version: 1, clientId, ...fields } as AppContent))).toThrow(MalformedInputError)
    }
  })
})

describe('amendment codecs (properties)', () => {
  const bytes = (n: number) => fc.uint8Array({ minLength: n, maxLength: n })
  // well-formed text: any string of 1 to 200 code points, lone surrogates excluded (checkText refuses them)
  const text = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 200 })
  const time = fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER })
  const signedAck = fc.record({ directiveId: bytes(32), directiveHash: bytes(32), acknowledgedAt: time, signerCertificate: fc.uint8Array({ minLength: 1, maxLength: 512 }), signature: bytes(64) })
  const amendment = fc.oneof(
    fc.record({ kind: fc.constant('edit' as const), target: bytes(32), text, clientId: bytes(16) }),
    fc.record({ kind: fc.constant('delete' as const), target: bytes(32), clientId: bytes(16) }),
    fc.record({ kind: fc.constant('directive-ack' as const), ack: signedAck, clientId: bytes(16) })
  )

  it('every well-formed edit, deletion and acknowledgement decodes to itself', () => {
    fc.assert(fc.property(amendment, content => { expect(decodeAppContent(encodeAppContent(content))).toEqual(content) }), { numRuns: 500 })
  })

  it('an evidence file decodes to what was encoded, acknowledgements in order', () => {
    const directive = fc.record({ text, issuedAt: fc.integer({ min: 1, max: 2 ** 50 }), deadline: fc.constant(0), signerCertificate: fc.uint8Array({ minLength: 1, maxLength: 512 }), signature: bytes(64) })
    fc.assert(fc.property(bytes(32), directive, fc.array(signedAck, { maxLength: 8 }), (directiveId, d, acks) => {
      expect(decodeEvidence(encodeEvidence({ directiveId, directive: d, acks }))).toEqual({ directiveId, directive: d, acks })
    }), { numRuns: 300 })
  })
})
