import { describe, expect, it } from 'vitest'
import { dialable } from './direct-peers.browser.js'

const self = 'ab'.repeat(32)
const other = '0f'.repeat(32)

describe('which members the browser dials', () => {
  it('never an awaited officer whose device is unknown (empty key), nor itself, nor a malformed key', () => {
    expect(dialable('', self)).toBe(false)
    expect(dialable(self, self)).toBe(false)
    expect(dialable(other.slice(2), self)).toBe(false)
    expect(dialable('zz'.repeat(32), self)).toBe(false)
    expect(dialable(other.toUpperCase(), self)).toBe(false)
  })

  it('a member device key', () => {
    expect(dialable(other, self)).toBe(true)
  })
})
