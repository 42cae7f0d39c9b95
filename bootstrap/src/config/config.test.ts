import { InvalidArgumentError } from '@dak/protocol'
import { describe, expect, it } from 'vitest'
import { listenAddresses } from '../node/libp2p.js'
import { loadConfig } from './config.js'

describe('department config: WebRTC-Direct', () => {
  it('listens on WebRTC-Direct by default and not at all when DAK_WEBRTC_DIRECT_PORT=off', async () => {
    const on = await loadConfig({ env: {} })
    expect(listenAddresses(on).some(a => a.endsWith('/webrtc-direct'))).toBe(true)
    const off = await loadConfig({ env: { DAK_WEBRTC_DIRECT_PORT: 'off' } })
    expect(off.webrtcDirectPort).toBe('off')
    expect(listenAddresses(off)).toEqual(['/ip4/127.0.0.1/tcp/9101', '/ip4/127.0.0.1/tcp/9102/ws'])
  })

  it('refuses any other word for the port, naming what it takes', async () => {
    await expect(loadConfig({ env: { DAK_WEBRTC_DIRECT_PORT: 'none' } })).rejects.toThrow(InvalidArgumentError)
    await expect(loadConfig({ env: { DAK_WEBRTC_DIRECT_PORT: 'none' } })).rejects.toThrow(/non-negative number or "off"/)
  })
})

describe('department config: the browser inactivity lock (issue 14)', () => {
  it('defaults to 5 minutes, takes DAK_LOCK_AFTER_MINUTES (fractions too) and refuses 0 or more than a day', async () => {
    expect((await loadConfig({ env: {} })).lockAfterMinutes).toBe(5)
    expect((await loadConfig({ env: { DAK_LOCK_AFTER_MINUTES: '0.5' } })).lockAfterMinutes).toBe(0.5)
    await expect(loadConfig({ env: { DAK_LOCK_AFTER_MINUTES: '0' } })).rejects.toThrow(/lockAfterMinutes is more than 0/)
    await expect(loadConfig({ env: { DAK_LOCK_AFTER_MINUTES: '1441' } })).rejects.toThrow(InvalidArgumentError)
  })
})

describe('department config: the PIN policy (issue 14)', () => {
  it('is off by default, on with DAK_REQUIRE_PIN=1/true/yes or requirePin: true in the file, and refuses any other word', async () => {
    expect((await loadConfig({ env: {} })).requirePin).toBe(false)
    for (const word of ['1', 'true', 'YES']) expect((await loadConfig({ env: { DAK_REQUIRE_PIN: word } })).requirePin).toBe(true)
    for (const word of ['0', 'false', 'no']) expect((await loadConfig({ env: { DAK_REQUIRE_PIN: word } })).requirePin).toBe(false)
    expect((await loadConfig({ overrides: { requirePin: true } })).requirePin).toBe(true)
    await expect(loadConfig({ env: { DAK_REQUIRE_PIN: 'always' } })).rejects.toThrow(InvalidArgumentError)
    await expect(loadConfig({ env: { DAK_REQUIRE_PIN: 'always' } })).rejects.toThrow(/requirePin must be true or false/)
  })
})
