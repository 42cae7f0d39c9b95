import { describe, expect, it } from 'vitest'
import { dialableFromPage } from './department-node.js'

const P = '/p2p/12D3KooWEVUf8499bL3GvXtdMppeds8KuULAP5hktXmr84Q3Uqbv'
const ws = `/ip4/10.0.0.1/tcp/9102/ws${P}`
const wss = `/ip4/10.0.0.1/tcp/9102/tls/ws${P}`
const webrtcDirect = `/ip4/10.0.0.1/udp/9103/webrtc-direct/certhash/uEiATojgT3aJUsZUpJEUdEnY1BnqU2XDq-gdbYMNjz9iEGw${P}`

describe('the addresses a page dials', () => {
  it('from an https page: wss and WebRTC-Direct, never ws:// (mixed content)', () => {
    expect(dialableFromPage([ws, wss, webrtcDirect], 'https:')).toEqual([wss, webrtcDirect])
  })

  it('from http://localhost: everything the node offers', () => {
    expect(dialableFromPage([ws, wss, webrtcDirect], 'http:')).toEqual([ws, wss, webrtcDirect])
  })
})
