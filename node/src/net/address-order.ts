import type { Address } from '@libp2p/interface'

/**
 * The order in which libp2p tries a peer's addresses. It tries them one at a
 * time, each for up to the address-dial timeout — 30 s here, for 2G
 * (constants.ts) — so an address that neither answers nor refuses costs the
 * whole timeout before the next is tried. A WebRTC-Direct address of a
 * process that died is such an address (UDP: nothing refuses), while a dead
 * TCP port refuses at once. libp2p's own order kept a peer's addresses
 * grouped as they came, so a device whose department node runs as several
 * processes under one peer id (docs/scaled.md) tried the killed process's
 * TCP, WebSockets and WebRTC-Direct addresses before any live process's TCP,
 * and waited 30 s on the WebRTC-Direct one.
 *
 * So: TCP first (refuses fast, cheapest to set up), then WebSockets, then
 * WebRTC, relayed addresses last. A browser cannot dial TCP, so its order
 * starts at WebSockets.
 */
function rank (address: Address): number {
  const text = address.multiaddr.toString()
  if (text.includes('/p2p-circuit')) return 4
  if (text.includes('/webrtc')) return 3
  if (/\/(ws|wss)(\/|$)/.test(text)) return 2
  return 1
}

export function dakAddressSorter (a: Address, b: Address): -1 | 0 | 1 {
  const difference = rank(a) - rank(b)
  return difference < 0 ? -1 : difference > 0 ? 1 : 0
}
