import { randomBytes } from '@noble/ciphers/utils.js'
import { hkdf } from '@noble/hashes/hkdf.js'
import { sha256 } from '@noble/hashes/sha2.js'
import { utf8 } from '@dak/protocol'
import { describe, expect, it } from 'vitest'
import { xchachaSeal } from './at-rest-aead.js'
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

describe('record formats', () => {
  it('writes format 2 (ChaCha20-Poly1305, 12-byte nonce) and still opens format 1 (XChaCha20-Poly1305) records written before', () => {
    const storageKey = randomBytes(32)
    const cipher = createAtRestCipher(storageKey)
    const key = 'dak/c/c1!1750000000000123!m1'
    const stored = cipher.storedKey('messages', KEY_SHAPES.messages, key)
    const written = cipher.seal('messages', stored, key, utf8('value'))
    expect(written[0]).toBe(2)
    expect(written.length).toBe(1 + 12 + 2 + key.length + 'value'.length + 16)

    // format 1, laid out as the code before format 2 wrote it: [1][24-byte nonce][sealed [key length (2)][key][value]]
    const recordKey = hkdf(sha256, storageKey, undefined, utf8('dak/at-rest/v1/records'), 32)
    const nonce = randomBytes(24)
    const body = new Uint8Array([0, key.length, ...utf8(key), ...utf8('old value')])
    const v1 = new Uint8Array([1, ...nonce, ...xchachaSeal(recordKey, nonce, utf8(`messages\0${stored}`), body)])
    expect(cipher.open('messages', stored, v1)).toEqual({ key, value: utf8('old value') })
    v1[30] = (v1[30] ?? 0) ^ 1
    expect(() => cipher.open('messages', stored, v1)).toThrow(CorruptRecordError)
  })
})
