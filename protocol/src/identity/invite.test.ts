import { describe, expect, it } from 'vitest'
import { INVITE_SECRET_BYTES, MAX_INVITE_BYTES } from '../constants.js'
import { bytesEqual, toBase64Url } from '../bytes.js'
import { InvalidArgumentError, InvalidInviteError } from '../errors.js'
import { InviteTicket } from '../wire/generated/identity.js'
import { checkInviteFresh, createInvite, decodeInvite, formatInviteCode, hashInviteSecret, inviteLink, inviteSecretMatches, parseInviteCode, type CreateInviteOptions } from './invite.js'
import { DAY, NOW, department, seededRandom } from './test-fixtures.js'

const budget = department('mof.budget')
const options: CreateInviteOptions = {
  department: 'mof.budget',
  authorityPublicKey: budget.authority.publicKey,
  handle: 'asha.rao',
  displayName: 'Asha Rao',
  title: 'Under Secretary',
  expiresAt: NOW + 7 * DAY,
  nodeAddrs: ['/dns4/dak.mof.gov.example/tcp/443/wss/p2p/12D3KooWDpJ7As7BWAwRMfu1VU2WCqNjvq387JEYKDBj4kx6nXTN'],
  randomBytes: seededRandom('invite test')
}
const invite = createInvite(options)
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'

describe('invite ticket', () => {
  it('round-trips through bytes, the QR payload and an https link', () => {
    expect(invite.ticket.secret).toHaveLength(INVITE_SECRET_BYTES)
    expect(decodeInvite(invite.bytes)).toEqual(invite.ticket)
    expect(invite.url).toBe(`dak:invite/${toBase64Url(invite.bytes)}`)
    expect(decodeInvite(invite.url)).toEqual(invite.ticket)
    const link = inviteLink('https://dak.mof.gov.example/app/?lang=hi#old', invite.bytes)
    expect(link).toBe(`https://dak.mof.gov.example/app/?lang=hi#invite=${toBase64Url(invite.bytes)}`)
    expect(decodeInvite(link)).toEqual(invite.ticket)
  })

  it('carries the same secret as its code', () => {
    expect(parseInviteCode(invite.code)).toEqual(invite.ticket.secret)
  })

  it('is fresh until its expiry instant and refused from then on', () => {
    expect(() => checkInviteFresh(invite.ticket, options.expiresAt - 1)).not.toThrow()
    expect(() => checkInviteFresh(invite.ticket, options.expiresAt)).toThrow(InvalidInviteError)
  })

  it('refuses to create what could not be decoded', () => {
    expect(() => createInvite({ ...options, handle: 'Asha' })).toThrow(InvalidArgumentError)
    expect(() => createInvite({ ...options, authorityPublicKey: new Uint8Array(16) })).toThrow(InvalidArgumentError)
    expect(() => createInvite({ ...options, nodeAddrs: ['/ip4/10.0.0.1/tcp/1 /ws'] })).toThrow(InvalidArgumentError)
    expect(() => createInvite({ ...options, nodeAddrs: new Array(17).fill('/ip4/10.0.0.1/tcp/4001') })).toThrow(InvalidArgumentError)
    expect(() => createInvite({ ...options, expiresAt: 0 })).toThrow(InvalidArgumentError)
    expect(() => inviteLink('ftp://example.org/', invite.bytes)).toThrow(InvalidArgumentError)
  })

  it('refuses malformed and oversized tickets with InvalidInviteError', () => {
    const wrongSecret = InviteTicket.encode({ ...invite.ticket, secret: new Uint8Array(9) })
    expect(() => decodeInvite(wrongSecret)).toThrow(InvalidInviteError)
    expect(() => decodeInvite(InviteTicket.encode({ ...invite.ticket, version: 2 }))).toThrow(InvalidInviteError)
    expect(() => decodeInvite(new Uint8Array(MAX_INVITE_BYTES + 1))).toThrow(InvalidInviteError)
    expect(() => decodeInvite('dak:invite/***')).toThrow(InvalidInviteError)
    expect(() => decodeInvite('https://dak.mof.gov.example/#other=1')).toThrow(InvalidInviteError)
    expect(() => decodeInvite('dak:invite/' + 'A'.repeat(10_000))).toThrow(InvalidInviteError)
  })
})

describe('invite code', () => {
  it('looks like DAK-XXXX-XXXX-XXXX-XXXX-C in Crockford base32', () => {
    expect(invite.code).toMatch(/^DAK(-[0-9A-HJKMNP-TV-Z]{4}){4}-[0-9A-HJKMNP-TV-Z]$/)
  })

  it('is read back however an officer types it', () => {
    const secret = invite.ticket.secret
    const bare = invite.code.slice(4).replaceAll('-', '')
    for (const typed of [invite.code.toLowerCase(), ` ${bare} `, bare.match(/.{1,3}/g)?.join(' ') ?? '', `dak ${bare}`]) {
      expect(parseInviteCode(typed)).toEqual(secret)
    }
    // Crockford's look-alikes: O for 0, I and L for 1.
    const zeros = new Uint8Array(INVITE_SECRET_BYTES)
    const ones = new Uint8Array([0x08, 0x42, 0x10, 0x84, 0x21, 0x08, 0x42, 0x10, 0x84, 0x21])
    expect(formatInviteCode(zeros)).toMatch(/^DAK-0000-0000-0000-0000-/)
    expect(formatInviteCode(ones)).toMatch(/^DAK-1111-1111-1111-1111-/)
    expect(parseInviteCode(formatInviteCode(zeros).replaceAll('0', 'o'))).toEqual(zeros)
    expect(parseInviteCode(formatInviteCode(ones).replace('1111-1111', 'IIII-llll'))).toEqual(ones)
  })

  it('catches every single wrong character', () => {
    const chars = [...invite.code.slice(4).replaceAll('-', '')]
    for (let position = 0; position < chars.length; position++) {
      for (const replacement of ALPHABET) {
        if (replacement === chars[position]) continue
        const typo = chars.map((c, i) => i === position ? replacement : c).join('')
        expect(() => parseInviteCode(typo), typo).toThrow(InvalidInviteError)
      }
    }
  })

  it('catches every swap of two different characters, adjacent or not', () => {
    const chars = [...invite.code.slice(4).replaceAll('-', '')]
    for (let i = 0; i < chars.length; i++) {
      for (let j = i + 1; j < chars.length; j++) {
        if (chars[i] === chars[j]) continue
        const swapped = [...chars]
        swapped[i] = chars[j] ?? ''
        swapped[j] = chars[i] ?? ''
        expect(() => parseInviteCode(swapped.join('')), swapped.join('')).toThrow(InvalidInviteError)
      }
    }
  })

  it('refuses a missing or extra character, U, and long text', () => {
    expect(() => parseInviteCode(invite.code.slice(0, -1))).toThrow(InvalidInviteError)
    expect(() => parseInviteCode(invite.code + '0')).toThrow(InvalidInviteError)
    expect(() => parseInviteCode(invite.code.slice(0, -1) + 'U')).toThrow(InvalidInviteError)
    expect(() => parseInviteCode(invite.code.padEnd(100, ' '))).toThrow(InvalidInviteError)
  })
})

describe('stored secret hash', () => {
  it('is not the secret, is stable, and matches only the secret', () => {
    const hash = hashInviteSecret(invite.ticket.secret)
    expect(hash).toHaveLength(32)
    expect(bytesEqual(hash.subarray(0, INVITE_SECRET_BYTES), invite.ticket.secret)).toBe(false)
    expect(hashInviteSecret(invite.ticket.secret)).toEqual(hash)
    expect(inviteSecretMatches(invite.ticket.secret, hash)).toBe(true)
    const other = invite.ticket.secret.slice()
    other[0] = (other[0] ?? 0) ^ 1
    expect(inviteSecretMatches(other, hash)).toBe(false)
    expect(inviteSecretMatches(new Uint8Array(0), hash)).toBe(false)
    expect(() => hashInviteSecret(new Uint8Array(9))).toThrow(InvalidArgumentError)
  })
})
