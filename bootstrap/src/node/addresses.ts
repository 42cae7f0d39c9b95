import type { Multiaddr } from '@multiformats/multiaddr'

/**
 * The addresses the node gives devices (invites, /api/info). It listens on
 * `host`, but devices may know it by another name (`publicHost`: a DNS name,
 * a NAT's address), so every listening address is also offered with the
 * public host in front, first. Certhashes and ports stay as they are.
 */

function hostComponent (host: string): string {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(host) ? `/ip4/${host}` : host.includes(':') ? `/ip6/${host.replace(/^\[|\]$/g, '')}` : `/dns/${host}`
}

export function advertisedAddresses (listening: Multiaddr[], publicHost: string): string[] {
  const out: string[] = []
  const hostPart = hostComponent(publicHost)
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

/** The address officers open: the reverse proxy's https:// address when there is one, else the server's by the public host. */
export function publicWebUrl (config: { publicHost: string, publicUrl?: string }, boundUrl: string): URL {
  if (config.publicUrl != null) return new URL(config.publicUrl)
  const url = new URL(boundUrl)
  url.hostname = config.publicHost.includes(':') ? `[${config.publicHost}]` : config.publicHost
  return url
}

/**
 * Behind a TLS-terminating reverse proxy, browsers reach the WebSockets
 * listener through the proxy: wss on the proxy's host and port, which hands
 * WebSocket upgrades to the node's wsPort (docs/department-node.md).
 */
export function proxiedWss (config: { publicUrl?: string }, peerId: string): string[] {
  if (config.publicUrl == null) return []
  const url = new URL(config.publicUrl)
  return [`${hostComponent(url.hostname)}/tcp/${url.port === '' ? 443 : url.port}/tls/ws/p2p/${peerId}`]
}
