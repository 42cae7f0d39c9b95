/**
 * The HTTP API's limits: token buckets keyed by the remote address (see
 * addressKey), bounded in the number of keys. The buckets are the network
 * layer's (node/src/net/token-buckets.ts), shared with the libp2p protocols.
 */
export { TokenBuckets as RateLimiter } from '@dak/node/net'

/**
 * The key an HTTP client is limited under: its IPv4 address, or the /64 of an
 * IPv6 one (one subscriber usually holds a whole /64, so per address would let
 * one machine walk through 2⁶⁴ buckets). IPv4-mapped IPv6 is the IPv4 address.
 */
export function addressKey (address: string | undefined): string {
  if (address == null || address === '') return 'unknown'
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)
  if (mapped?.[1] != null) return mapped[1]
  if (!address.includes(':')) return address
  const [head = '', tail = ''] = (address.split('%')[0] ?? '').split('::')
  const left = head === '' ? [] : head.split(':')
  const right = tail === '' ? [] : tail.split(':')
  const groups = address.includes('::') ? [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right] : left
  return groups.slice(0, 4).map(g => (parseInt(g, 16) || 0).toString(16)).join(':') + '::/64'
}
