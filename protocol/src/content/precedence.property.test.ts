import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { MalformedInputError } from '../errors.js'
import { AppContent, ContentKind, Precedence as WirePrecedence } from '../wire/generated/content.js'
import { FORMAT_VERSION } from '../constants.js'
import { decodeAppContent, encodeAppContent, type Content } from './app-content.js'
import { CLIENT_ID_BYTES, MESSAGE_ID_BYTES } from './limits.js'
import { PRECEDENCES, type Precedence } from './precedence.js'

/**
 * Precedence inside the encrypted content (issue 11 part 4): every text
 * round-trips with its precedence, routine costs no byte (older content and
 * routine content are the same bytes), and only chat messages may carry one.
 */
const clientIds = fc.uint8Array({ minLength: CLIENT_ID_BYTES, maxLength: CLIENT_ID_BYTES })
const texts = fc.string({ minLength: 1, maxLength: 200 }).filter(t => t.trim().length > 0 && !/[\u0000-\u001f\u007f]/.test(t))
const replies = fc.option(fc.uint8Array({ minLength: MESSAGE_ID_BYTES, maxLength: MESSAGE_ID_BYTES }), { nil: undefined })
const precedences = fc.option(fc.constantFrom<Precedence>(...PRECEDENCES), { nil: undefined })

function textOf (text: string, clientId: Uint8Array, replyTo: Uint8Array | undefined, precedence: Precedence | undefined): Content {
  return { kind: 'text', text, clientId, ...(replyTo != null ? { replyTo } : {}), ...(precedence != null ? { precedence } : {}) }
}

describe('precedence in app content', () => {
  it('a text round-trips with its precedence; routine (or none) reads back as no precedence', () => {
    fc.assert(fc.property(texts, clientIds, replies, precedences, (text, clientId, replyTo, precedence) => {
      let content: Content
      try {
        content = textOf(text, clientId, replyTo, precedence)
        encodeAppContent(content)
      } catch {
        return // a text the text rules refuse (checkText): not what this property is about
      }
      const decoded = decodeAppContent(encodeAppContent(content))
      const expected = precedence === 'routine' || precedence == null ? textOf(text, clientId, replyTo, undefined) : content
      expect(decoded).toEqual(expected)
    }))
  })

  it('routine costs no byte: the bytes equal those of a text encoded before precedence existed', () => {
    fc.assert(fc.property(texts, clientIds, replies, (text, clientId, replyTo) => {
      const old = AppContent.encode({ version: FORMAT_VERSION, kind: ContentKind.TEXT, text, clientId, replyTo })
      let routine: Uint8Array
      try {
        routine = encodeAppContent(textOf(text, clientId, replyTo, 'routine'))
      } catch {
        return
      }
      expect(routine).toEqual(old)
      expect(decodeAppContent(old)).not.toHaveProperty('precedence')
      // flash and immediate add one field: a 2-byte tag (field 31) and a 1-byte value
      expect(encodeAppContent(textOf(text, clientId, replyTo, 'flash')).length).toBe(old.length + 3)
    }))
  })

  it('a receipt, info, timer or amendment carrying a precedence is malformed', () => {
    fc.assert(fc.property(clientIds, fc.constantFrom(WirePrecedence.FLASH, WirePrecedence.IMMEDIATE), (clientId, precedence) => {
      const receipt = AppContent.encode({ version: FORMAT_VERSION, kind: ContentKind.RECEIPT, clientId, precedence, receipt: { type: 1 as never, messageIds: [new Uint8Array(MESSAGE_ID_BYTES)], at: 1 } })
      expect(() => decodeAppContent(receipt)).toThrow(MalformedInputError)
      const timer = AppContent.encode({ version: FORMAT_VERSION, kind: ContentKind.TIMER, clientId, precedence, timerMs: 1000 })
      expect(() => decodeAppContent(timer)).toThrow(MalformedInputError)
    }))
  })

  it('refuses to encode an unknown precedence or one on a receipt', () => {
    const clientId = new Uint8Array(CLIENT_ID_BYTES)
    expect(() => encodeAppContent({ kind: 'text', text: 'x', clientId, precedence: 'urgent' as Precedence })).toThrow(/precedence must be one of/)
    expect(() => encodeAppContent({ kind: 'receipt', type: 'read', messageIds: [new Uint8Array(MESSAGE_ID_BYTES)], at: 1, clientId, precedence: 'flash' } as unknown as Content)).toThrow(/only a text, directive or file/)
  })
})
