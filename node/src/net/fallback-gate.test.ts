import { multiaddr } from '@multiformats/multiaddr'
import { describe, expect, it } from 'vitest'
import { FallbackGate } from './fallback-gate.js'

const NODE = '12D3KooWJqLMGih8YghAhZBXjYkGFr9qZeMcQ8jXrjV2pKs6jA8k'
const OFFICER = '12D3KooWJ2KZsxL5w5LMwsdG6def5ErtHqUmprYeD1m1msjzmM2o'
const webrtcDirect = multiaddr(`/ip4/10.200.0.1/udp/9103/webrtc-direct/certhash/uEiBci660ewuIsE5fyEXMPr1jACT4Evn5oJERxLddeNy0Kg/p2p/${NODE}`)
const wss = multiaddr(`/ip4/10.200.0.1/tcp/9102/tls/ws/p2p/${NODE}`)

describe('FallbackGate', () => {
  it('refuses WebRTC-Direct outside the link\'s fallback step, allows it during one, and never touches other addresses', async () => {
    const gate = new FallbackGate()
    expect(gate.denies(webrtcDirect)).toBe(true)
    expect(gate.denies(wss)).toBe(false)
    let inside: boolean | undefined
    await gate.during(async () => { inside = gate.denies(webrtcDirect) })
    expect(inside).toBe(false)
    expect(gate.denies(webrtcDirect)).toBe(true)
  })

  it('stays open while any of several steps is under way, and closes after one that failed', async () => {
    const gate = new FallbackGate()
    let releaseFirst!: () => void
    const first = gate.during(async () => { await new Promise<void>(resolve => { releaseFirst = resolve }) })
    await expect(gate.during(async () => { throw new Error('refused') })).rejects.toThrow('refused')
    expect(gate.denies(webrtcDirect)).toBe(false)
    releaseFirst()
    await first
    expect(gate.denies(webrtcDirect)).toBe(true)
  })

  it('a relayed address through a node reached over WebRTC-Direct rides the open connection: not refused', () => {
    expect(new FallbackGate().denies(multiaddr(`${webrtcDirect.toString()}/p2p-circuit/webrtc/p2p/${OFFICER}`))).toBe(false)
  })
})
