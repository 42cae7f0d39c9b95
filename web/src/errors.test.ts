import { describe, expect, it } from 'vitest'
import { errorParts, readableError } from './errors.js'

describe('readableError', () => {
  it('explains known errors and keeps the detail', () => {
    const result = readableError({ name: 'InvalidInviteError', message: 'invite expired' })
    expect(result.name).toBe('InvalidInviteError')
    expect(result.text).toMatch(/^This invite cannot be used\./)
    expect(result.text).toMatch(/\(invite expired\)$/)
  })

  it('shows the message of errors it has no explanation for', () => {
    expect(readableError(new TypeError('boom'))).toEqual({ name: 'TypeError', text: 'boom' })
  })

  it('never produces an empty text', () => {
    expect(readableError({ name: 'NotAMemberError', message: '' }).text).toBe('You are no longer a member of this conversation.')
    expect(readableError(undefined).text).toBe('Something went wrong (Error).')
  })
})

describe('errorParts', () => {
  it('accepts errors that crossed a worker boundary as plain objects', () => {
    expect(errorParts({ name: 'MlsError', message: 'wrong epoch' })).toEqual({ name: 'MlsError', message: 'wrong epoch' })
    expect(errorParts('plain text')).toEqual({ name: 'Error', message: 'plain text' })
    expect(errorParts({ name: 42 })).toEqual({ name: 'Error', message: '' })
  })
})
