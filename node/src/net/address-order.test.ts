import { multiaddr } from '@multiformats/multiaddr'
import { describe, expect, it } from 'vitest'
import { dakAddressSorter } from './address-order.js'

const peer = '12D3KooWAWLdb6AqCbPrhNF6fioBX4PdVa14D2CNoSduFa2izADX'
const address = (text: string): { multiaddr: ReturnType<typeof multiaddr>, isCertified: boolean } => ({ multiaddr: multiaddr(`${text}/p2p/${peer}`), isCertified: false })

describe('the order a peer\'s addresses are dialled in', () => {
  it('puts every TCP address before WebSockets, WebRTC-Direct and relays, whichever process they belong to', () => {
    // one department node as three processes under one peer id; the first one was killed
    const given = [
      '/ip4/127.0.0.1/tcp/38789', '/ip4/127.0.0.1/tcp/45975/ws', '/ip4/127.0.0.1/udp/40191/webrtc-direct',
      '/ip4/127.0.0.1/tcp/34357', '/ip4/127.0.0.1/tcp/41111/ws', '/ip4/127.0.0.1/udp/40192/webrtc-direct',
      `/ip4/127.0.0.1/tcp/9101/p2p/${peer}/p2p-circuit`
    ].map(address)
    const sorted = [...given].sort(dakAddressSorter).map(a => a.multiaddr.toString().replaceAll(`/p2p/${peer}`, ''))
    expect(sorted).toEqual([
      '/ip4/127.0.0.1/tcp/38789', '/ip4/127.0.0.1/tcp/34357',
      '/ip4/127.0.0.1/tcp/45975/ws', '/ip4/127.0.0.1/tcp/41111/ws',
      '/ip4/127.0.0.1/udp/40191/webrtc-direct', '/ip4/127.0.0.1/udp/40192/webrtc-direct',
      '/ip4/127.0.0.1/tcp/9101/p2p-circuit'
    ])
  })
})
