import { describe, expect, it } from 'vitest'
import { INVITE_URL_PREFIX as PROTOCOL_PREFIX } from '../../protocol/src/identity/invite.js'
import { INVITE_URL_PREFIX, inviteForEnrolment, inviteFromHash, normaliseInviteInput } from './invite.js'

describe('inviteFromHash', () => {
  it('reads the code from an invite link fragment', () => {
    expect(inviteFromHash('#invite=abc123')).toBe('abc123')
    expect(inviteFromHash('invite=abc123')).toBe('abc123')
    expect(inviteFromHash('#lang=en&invite=abc123')).toBe('abc123')
  })

  it('keeps base64 "+" and decodes percent-escapes', () => {
    expect(inviteFromHash('#invite=ab+c%2Fd%3D')).toBe('ab+c/d=')
  })

  it('returns null when there is no usable code', () => {
    expect(inviteFromHash('')).toBeNull()
    expect(inviteFromHash('#')).toBeNull()
    expect(inviteFromHash('#invite=')).toBeNull()
    expect(inviteFromHash('#invitation=abc')).toBeNull()
    expect(inviteFromHash('#invite=%E0%A4%A')).toBeNull() // broken escape
  })
})

describe('normaliseInviteInput', () => {
  it('drops whitespace and line breaks a paste brings along', () => {
    expect(normaliseInviteInput('  ABCD-EFGH\n IJKL ')).toBe('ABCD-EFGHIJKL')
    expect(normaliseInviteInput('   ')).toBe('')
  })
})

describe('inviteForEnrolment', () => {
  it('passes typed codes and links through', () => {
    expect(inviteForEnrolment(' DAK-0PJW-J2BK-KGG5-BNMR-P ')).toBe('DAK-0PJW-J2BK-KGG5-BNMR-P')
    expect(inviteForEnrolment('https://node.dept.gov/#invite=abc')).toBe('https://node.dept.gov/#invite=abc')
    expect(inviteForEnrolment('dak:invite/abc')).toBe('dak:invite/abc')
  })

  it('makes the bare ticket from a link fragment a dak:invite/ URL', () => {
    const ticket = 'CAESDmRldi5kZXBhcnRtZW50GiCVCoMjkeAlJ46lvoShsNPYgoAfMDMv4kz2qmYQGSzytyIKBaXJCXOcIFXWmCiutuS5oTQyUS9pcDQvMTI3LjAuMC4x'
    expect(inviteForEnrolment(ticket)).toBe(`dak:invite/${ticket}`)
  })

  it('uses the protocol\'s prefix', () => {
    expect(INVITE_URL_PREFIX).toBe(PROTOCOL_PREFIX)
  })
})
