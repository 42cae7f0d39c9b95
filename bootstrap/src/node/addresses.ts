import type { Multiaddr } from '@multiformats/multiaddr'

/**
 * The addresses the node gives devices (invites, /api/info). It listens on
 * `host`, but devices may know it by another name (`publicHost`: a DNS name,
 * a NAT's address), so every listening address is also offered with the
 * public host in front, first. Certhashes and ports stay as they are.
 */

export function advertisedAddresses (listening: Multiaddr[], publicHost: string): string[] {
  const out: string[] = []
  const hostPart = /^\d{1,3}(\.\d{1,3}){3}$/.test(publicHost) ? `/ip4/${publicHost}` : publicHost.includes(':') ? `/ip6/${publicHost}` : `/dns/${publicHost}`
  for (const ma of listening) {
    const text = ma.toString()
    const rest = text.replace(/^\/(ip4|ip6|dns|dns4|dns6)\/[^/]+/, '')
    if (rest !== text) out.push(hostPart + rest)
  }
  for (const ma of listening) out.push(ma.toString())
  return [...new Set(out)]
}

/** What a browser can dial: WebSockets and WebRTC-Direct (not raw TCP). */
export function browserAddresses (addresses: string[]): string[] {
  return addresses.filter(a => /\/(ws|wss|tls\/ws)(\/|$)/.test(a) || a.includes('/webrtc-direct'))
}
