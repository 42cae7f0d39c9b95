import { randomBytes } from '@noble/ciphers/utils.js'
import { utf8 } from '@dak/protocol'
import { describe, expect, it } from 'vitest'
import { createAtRestCipher } from './at-rest.js'
import { CorruptRecordError } from './errors.js'
import { KEY_SHAPES } from './layout.js'

describe('encryption at rest', () => {
  it('hides names in keys, keeps timestamps, and seals values with a fresh nonce', () => {
    const cipher = createAtRestCipher(randomBytes(32))
    const key = 'dak/c/secret-conversation!1750000000000123!envelope-id'
    const stored = cipher.storedKey('messages', KEY_SHAPES.messages, key)
    expect(stored).not.toContain('secret-conversation')
    expect(stored).not.toContain('envelope-id')
    expect(stored.split('!')[1]).toBe('1750000000000123')
    const a = cipher.seal('messages', stored, key, utf8('CANARY-7f3a'))
    const b = cipher.seal('messages', stored, key, utf8('CANARY-7f3a'))
    expect(a).not.toEqual(b)
    expect(Buffer.from(a).includes(Buffer.from('CANARY'))).toBe(false)
    expect(cipher.open('messages', stored, a)).toEqual({ key, value: utf8('CANARY-7f3a') })
  })

  it('refuses a record moved to another key or section, altered, or sealed under another key', () => {
    const cipher = createAtRestCipher(randomBytes(32))
    const stored = cipher.storedKey('seen', KEY_SHAPES.seen, 'a')
    const other = cipher.storedKey('seen', KEY_SHAPES.seen, 'b')
    const sealed = cipher.seal('seen', stored, 'a', utf8('value'))
    expect(() => cipher.open('seen', other, sealed)).toThrow(CorruptRecordError)
    expect(() => cipher.open('outbox', stored, sealed)).toThrow(CorruptRecordError)
    const altered = new Uint8Array(sealed)
    altered[altered.length - 1] = (altered[altered.length - 1] ?? 0) ^ 1
    expect(() => cipher.open('seen', stored, altered)).toThrow(CorruptRecordError)
    expect(() => createAtRestCipher(randomBytes(32)).open('seen', stored, sealed)).toThrow(CorruptRecordError)
  })
})
