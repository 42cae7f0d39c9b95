import { describe, expect, it } from 'vitest'
import { MAX_TEXT_BYTES } from '../constants.js'
import { InvalidArgumentError, MalformedInputError, TooLargeError } from '../errors.js'
import { NOW, department, officer, seededRandom } from '../identity/test-fixtures.js'
import { AppContent, ContentKind, ReceiptType } from '../wire/generated/content.js'
import { decodeAppContent, encodeAppContent, type Content } from './app-content.js'
import { signDirective } from './directive.js'
import { signDeviceVouch } from '../identity/device-vouch.js'
import { CLIENT_ID_BYTES, MAX_APP_CONTENT_BYTES, MAX_RECEIPT_IDS, MESSAGE_ID_BYTES } from './limits.js'

const random = seededRandom('app content')
const clientId = random(CLIENT_ID_BYTES)
const id = (): Uint8Array => random(MESSAGE_ID_BYTES)
const budget = department('mof.budget')
const asha = officer(budget, 'asha.rao')

const samples: Record<string, Content> = {
  text: { kind: 'text', text: 'Budget figures by 5 pm, please. बजट 🙏', clientId },
  'text reply': { kind: 'text', text: 'Done.', replyTo: id(), clientId },
  'delivered receipt': { kind: 'receipt', type: 'delivered', messageIds: [id(), id()], at: NOW, clientId },
  'read receipt': { kind: 'receipt', type: 'read', messageIds: [id()], at: NOW, clientId },
  directive: { kind: 'directive', directive: signDirective(asha.device, asha.certificate, 'Freeze all non-salary spending.', NOW), replyTo: id(), clientId },
  // issue 16, linked devices (the vouch's own checks: identity/device-vouch.test.ts)
  'device vouch': { kind: 'device-vouch', vouch: signDeviceVouch(asha.device, { linkedDeviceKey: random(32), handle: 'asha.rao', issuedAt: NOW }), linkedCertificate: asha.certificate.bytes, clientId }
}

describe('app content round trip', () => {
  for (const [name, content] of Object.entries(samples)) {
    it(name, () => {
      expect(decodeAppContent(encodeAppContent(content))).toEqual(content)
    })
  }

  it('a text of exactly the limit fits, and the longest directive fits the content limit', () => {
    // 'अ' is three bytes in UTF-8: the limit counts bytes, not characters.
    const longest = 'x'.repeat(MAX_TEXT_BYTES - 3) + 'अ'
    expect(() => encodeAppContent({ kind: 'text', text: 'x' + longest, clientId })).toThrow(InvalidArgumentError)
    expect(decodeAppContent(encodeAppContent({ kind: 'text', text: longest, clientId }))).toMatchObject({ text: longest })
    const directive = signDirective(asha.device, asha.certificate, 'x'.repeat(MAX_TEXT_BYTES), NOW)
    expect(encodeAppContent({ kind: 'directive', directive: { ...directive, signerCertificate: new Uint8Array(4096) }, replyTo: id(), clientId }).length).toBeLessThanOrEqual(MAX_APP_CONTENT_BYTES)
  })
})

describe('app content bounds', () => {
  it('refuses to encode what it would refuse to decode', () => {
    expect(() => encodeAppContent({ kind: 'text', text: 'x'.repeat(MAX_TEXT_BYTES + 1), clientId })).toThrow(InvalidArgumentError)
    expect(() => encodeAppContent({ kind: 'text', text: '', clientId })).toThrow(InvalidArgumentError)
    expect(() => encodeAppContent({ kind: 'text', text: 'half a pair \ud83d', clientId })).toThrow(InvalidArgumentError)
    expect(() => encodeAppContent({ kind: 'text', text: 'hi', clientId: clientId.subarray(1) })).toThrow(InvalidArgumentError)
    expect(() => encodeAppContent({ kind: 'text', text: 'hi', replyTo: new Uint8Array(31), clientId })).toThrow(InvalidArgumentError)
    expect(() => encodeAppContent({ kind: 'receipt', type: 'read', messageIds: [], at: NOW, clientId })).toThrow(InvalidArgumentError)
    expect(() => encodeAppContent({ kind: 'receipt', type: 'read', messageIds: [new Uint8Array(31)], at: NOW, clientId })).toThrow(InvalidArgumentError)
    expect(() => encodeAppContent({ kind: 'receipt', type: 'read', messageIds: new Array(MAX_RECEIPT_IDS + 1).fill(id()), at: NOW, clientId })).toThrow(InvalidArgumentError)
  })

  it('refuses a receipt with more ids than the limit, even of empty ids', () => {
    const wire = AppContent.encode({ version: 1, kind: ContentKind.RECEIPT, clientId, receipt: { type: ReceiptType.READ, messageIds: new Array(MAX_RECEIPT_IDS + 1).fill(new Uint8Array(0)), at: NOW } })
    expect(() => decodeAppContent(wire)).toThrow(MalformedInputError)
  })

  it('refuses content whose fields do not belong to its kind', () => {
    const receipt = { type: ReceiptType.READ, messageIds: [id()], at: NOW }
    const mixed = [
      { version: 1, kind: ContentKind.TEXT, text: 'hi', clientId, receipt },
      { version: 1, kind: ContentKind.RECEIPT, text: 'hi', clientId, receipt },
      { version: 1, kind: ContentKind.RECEIPT, clientId, receipt, replyTo: id() },
      { version: 1, kind: ContentKind.DIRECTIVE, text: 'hi', clientId },
      { version: 1, kind: ContentKind.CONTENT_KIND_UNSPECIFIED, text: 'hi', clientId },
      { version: 2, kind: ContentKind.TEXT, text: 'hi', clientId },
      { version: 1, kind: ContentKind.RECEIPT, clientId, receipt: { ...receipt, type: ReceiptType.RECEIPT_TYPE_UNSPECIFIED } },
      // a vouch rides only as a device vouch, and a device vouch carries only a vouch and a certificate
      { version: 1, kind: ContentKind.TEXT, text: 'hi', clientId, deviceVouch: id() },
      { version: 1, kind: ContentKind.DEVICE_VOUCH, clientId, deviceVouch: id() },
      { version: 1, kind: ContentKind.DEVICE_VOUCH, clientId, deviceVouch: id(), linkedCertificate: id(), text: 'hi' },
      // a history request rides only as one, and carries nothing else
      { version: 1, kind: ContentKind.TEXT, text: 'hi', clientId, historyRequest: { requestId: id().slice(0, 16), publicKey: id(), askedDevice: id() } },
      { version: 1, kind: ContentKind.HISTORY_REQUEST, clientId },
      { version: 1, kind: ContentKind.HISTORY_REQUEST, clientId, text: 'hi', historyRequest: { requestId: id().slice(0, 16), publicKey: id(), askedDevice: id() } },
      { version: 1, kind: ContentKind.HISTORY_REQUEST, clientId, historyRequest: { requestId: id(), publicKey: id(), askedDevice: id() } },
      // a disowned device rides only as a disowning, which names a 32-byte key and nothing else
      { version: 1, kind: ContentKind.TEXT, text: 'hi', clientId, disownedDevice: id() },
      { version: 1, kind: ContentKind.DEVICE_DISOWN, clientId },
      { version: 1, kind: ContentKind.DEVICE_DISOWN, clientId, disownedDevice: id().slice(0, 31) },
      { version: 1, kind: ContentKind.DEVICE_DISOWN, clientId, disownedDevice: id(), text: 'hi' }
    ]
    for (const wire of mixed) expect(() => decodeAppContent(AppContent.encode(wire)), JSON.stringify(wire.kind)).toThrow(MalformedInputError)
  })

  it('refuses oversized bytes before parsing them', () => {
    expect(() => decodeAppContent(new Uint8Array(MAX_APP_CONTENT_BYTES + 1))).toThrow(TooLargeError)
  })
})

// ---- history transfer between an officer's devices
describe('history request content', () => {
  it('round-trips a request', () => {
    const content = { kind: 'history-request' as const, requestId: new Uint8Array(16).fill(1), publicKey: new Uint8Array(1216).fill(2), askedDevice: new Uint8Array(32).fill(3), clientId: new Uint8Array(CLIENT_ID_BYTES).fill(4) }
    expect(decodeAppContent(encodeAppContent(content))).toEqual(content)
    expect(() => encodeAppContent({ ...content, askedDevice: new Uint8Array(31) })).toThrow(InvalidArgumentError)
  })
})

describe('device disowned content', () => {
  it('round-trips', () => {
    const content = { kind: 'device-disown' as const, deviceKey: new Uint8Array(32).fill(5), clientId: new Uint8Array(CLIENT_ID_BYTES).fill(4) }
    expect(decodeAppContent(encodeAppContent(content))).toEqual(content)
  })
})

// ---- disappearing messages
describe('timer content', () => {
  const clientId = new Uint8Array(CLIENT_ID_BYTES).fill(7)
  it('round-trips a timer and "off", and refuses a negative or over-a-year timer and stray fields', () => {
    for (const timerMs of [2000, 86_400_000, 0]) expect(decodeAppContent(encodeAppContent({ kind: 'timer', timerMs, clientId }))).toEqual({ kind: 'timer', timerMs, clientId })
    expect(() => encodeAppContent({ kind: 'timer', timerMs: -1, clientId })).toThrow(InvalidArgumentError)
    expect(() => encodeAppContent({ kind: 'timer', timerMs: 367 * 86_400_000, clientId })).toThrow(InvalidArgumentError)
    const withText = AppContent.encode({ version: 1, kind: ContentKind.TIMER, clientId, timerMs: 1000, text: 'hello' })
    expect(() => decodeAppContent(withText)).toThrow(MalformedInputError)
  })
})
