import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { MalformedInputError, TooLargeError } from '../errors.js'
import { randomBytes } from '@noble/hashes/utils.js'
import { encodeManifest } from '../files/manifest.js'
import { sealFile } from '../files/chunk-cipher.js'
import { decodeHistoryPart, encodeHistoryPart, MAX_HISTORY_PART_BYTES, MAX_HISTORY_PART_MESSAGES, packHistory, type HistoryEntry, type HistoryPart } from './history-part.js'

/**
 * History parts (docs/messenger.md, *History transfer*): every valid part
 * round-trips field for field; packing keeps every message once, in order,
 * with each part under both limits; and bytes that are not a part give a
 * typed error, never anything else.
 */
const hex = (minLength: number, maxLength: number): fc.Arbitrary<string> => fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength, maxLength })
const name = fc.string({ minLength: 1, maxLength: 40 })
const time = fc.integer({ min: 1, max: 4_000_000_000_000 })
const optionalTime = fc.option(time, { nil: undefined })
const entries: fc.Arbitrary<HistoryEntry> = fc.record({
  id: hex(1, 64),
  sender: fc.record({ handle: name, displayName: name, title: fc.string({ maxLength: 40 }), department: name, deviceKey: hex(64, 64) }),
  officersOwn: fc.boolean(),
  kind: fc.constantFrom<'text' | 'system'>('text', 'system'),
  text: fc.string({ minLength: 1, maxLength: 600 }),
  sentAt: time,
  replyTo: fc.option(fc.record({ id: hex(1, 64), text: fc.string({ maxLength: 100 }), sender: name }), { nil: undefined }),
  editedAt: optionalTime,
  deletedAt: optionalTime,
  directive: fc.option(fc.record({ issuedAt: time, deadline: optionalTime }), { nil: undefined }),
  precedence: fc.option(fc.constantFrom<'flash' | 'immediate'>('flash', 'immediate'), { nil: undefined }),
  expiresAt: optionalTime
}).map((entry) => {
  // optional fields absent rather than undefined, as a decoded entry has them
  const clean = Object.fromEntries(Object.entries(entry).filter(([, value]) => value !== undefined)) as unknown as HistoryEntry
  if (clean.directive?.deadline === undefined && clean.directive != null) clean.directive = { issuedAt: clean.directive.issuedAt }
  return clean
})

function onlyPart (parts: HistoryPart[]): HistoryPart {
  if (parts.length !== 1 || parts[0] === undefined) throw new Error(`expected one part, got ${parts.length}`)
  return parts[0]
}

describe('history parts', () => {
  it('a part round-trips every field of every message', () => {
    fc.assert(fc.property(fc.array(entries, { maxLength: 20 }), (messages) => {
      const part = onlyPart(packHistory('conversation-1', messages))
      expect(decodeHistoryPart(encodeHistoryPart(part))).toEqual(part)
    }), { numRuns: 60 })
  })

  it('packing keeps every message once and in order, each part under both limits', () => {
    fc.assert(fc.property(fc.array(entries, { maxLength: 700 }), fc.integer({ min: 0, max: 3 }), (messages, padding) => {
      // some runs carry long texts so the byte limit, not only the count, splits parts
      const long = messages.map((m, i) => i % 7 === 0 ? { ...m, text: m.text.padEnd(600 * (padding + 1), 'x') } : m)
      const parts = packHistory('conversation-1', long)
      expect(parts.flatMap(p => p.messages)).toEqual(long)
      parts.forEach((part, index) => {
        expect(part).toMatchObject({ part: index, parts: parts.length, messagesTotal: long.length })
        expect(part.messages.length).toBeLessThanOrEqual(MAX_HISTORY_PART_MESSAGES)
        expect(encodeHistoryPart(part).length).toBeLessThanOrEqual(MAX_HISTORY_PART_BYTES)
      })
    }), { numRuns: 15 })
  })

  it('no messages still make one part, so the asking device hears the transfer is complete', () => {
    expect(packHistory('c', [])).toEqual([{ conversationId: 'c', part: 0, parts: 1, messagesTotal: 0, messages: [] }])
  })

  it('arbitrary bytes decode to a part or give MalformedInputError / TooLargeError, nothing else', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => {
      try {
        decodeHistoryPart(bytes)
      } catch (err) {
        expect(err instanceof MalformedInputError || err instanceof TooLargeError).toBe(true)
      }
    }), { numRuns: 500 })
    expect(() => decodeHistoryPart(new Uint8Array(MAX_HISTORY_PART_BYTES + 1))).toThrow(TooLargeError)
  })

  it('a file travels with its manifest, and only a file carries one', () => {
    const manifest = encodeManifest(sealFile(new Uint8Array(200_000).fill(7), { name: 'survey.pdf', mediaType: 'application/pdf' }, randomBytes).manifest)
    const sender = { handle: 'asha', displayName: 'Asha', title: '', department: 'home', deviceKey: 'ab' }
    const file: HistoryEntry = { id: 'f1', sender, officersOwn: false, kind: 'file', text: 'survey.pdf', sentAt: 5, file: manifest }
    const part = onlyPart(packHistory('c', [file]))
    expect(decodeHistoryPart(encodeHistoryPart(part)).messages[0]?.file).toEqual(manifest)
    expect(() => encodeHistoryPart({ ...part, messages: [{ ...file, kind: 'text' }] })).toThrow(/only a file, carries a manifest/)
    expect(() => encodeHistoryPart({ ...part, messages: [{ ...file, file: manifest.slice(0, 20) }] })).toThrow()
  })

  it('refuses a part that says it is past its own count, or a text-less message not deleted', () => {
    const part = onlyPart(packHistory('c', []))
    expect(() => encodeHistoryPart({ ...part, part: 1 })).toThrow(/part 1 is not one of 1/)
    const sender = { handle: 'asha', displayName: 'Asha', title: '', department: 'home', deviceKey: 'ab' }
    expect(() => encodeHistoryPart({ ...part, messagesTotal: 1, messages: [{ id: 'a1', sender, officersOwn: false, kind: 'text', text: '', sentAt: 5 }] })).toThrow(/only a deleted message has no text/)
  })
})
