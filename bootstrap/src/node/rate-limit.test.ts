import { describe, expect, it } from 'vitest'
import { addressKey } from './rate-limit.js'

describe('addressKey', () => {
  it('limits IPv6 clients by /64 and IPv4 (also mapped) by address', () => {
    expect(addressKey('2001:db8:1:2:aaaa::1')).toBe(addressKey('2001:db8:1:2:ffff:1:2:3'))
    expect(addressKey('2001:db8:1:2::1')).toBe('2001:db8:1:2::/64')
    expect(addressKey('2001:db8:1:3::1')).not.toBe(addressKey('2001:db8:1:2::1'))
    expect(addressKey('::1')).toBe('0:0:0:0::/64')
    expect(addressKey('fe80::1%eth0')).toBe('fe80:0:0:0::/64')
    expect(addressKey('::ffff:10.0.0.7')).toBe('10.0.0.7')
    expect(addressKey('10.0.0.7')).toBe('10.0.0.7')
    expect(addressKey(undefined)).toBe('unknown')
  })
})
