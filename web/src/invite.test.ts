import { describe, expect, it } from 'vitest'
import { inviteFromHash, normaliseInviteInput } from './invite.js'

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
