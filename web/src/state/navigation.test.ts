import { describe, expect, it } from 'vitest'
import { entryFromState } from './navigation.js'

describe('entryFromState', () => {
  it('restores a screen saved in the browser history', () => {
    expect(entryFromState({ dakView: { name: 'chat', conversationId: 'c1' }, depth: 2 }))
      .toEqual({ dakView: { name: 'chat', conversationId: 'c1' }, depth: 2 })
  })

  it('drops extra fields so only known data reaches the screens', () => {
    expect(entryFromState({ dakView: { name: 'new-chat', extra: 1 }, depth: 0 }))
      .toEqual({ dakView: { name: 'new-chat' }, depth: 0 })
  })

  it('rejects anything else another script may have left there', () => {
    expect(entryFromState(null)).toBeNull()
    expect(entryFromState({ dakView: { name: 'chat' }, depth: 1 })).toBeNull()
    expect(entryFromState({ dakView: { name: 'admin-console' }, depth: 1 })).toBeNull()
    expect(entryFromState({ dakView: { name: 'list' } })).toBeNull()
  })
})
