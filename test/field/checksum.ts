/**
 * Inner TCP/UDP checksums for packets the forwarder carries. The sending
 * kernel leaves them to "hardware" (checksum offload: only the pseudo-header
 * sum is filled in), and a veth into a userspace socket never completes them,
 * so the receiving kernel would drop every segment as corrupt. The forwarder
 * completes them here; the packet is otherwise untouched.
 */

const ETH_HEADER = 14
const VXLAN_HEADER = 8
const IPV4 = 0x0800
const TCP = 6
const UDP = 17

function sum16 (buf: Buffer, start: number, end: number, initial: number): number {
  let sum = initial
  let i = start
  for (; i + 1 < end; i += 2) sum += buf.readUInt16BE(i)
  if (i < end) sum += buf[i]! << 8
  return sum
}

function fold (sum: number): number {
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16)
  return sum
}

/** Recompute the TCP or UDP checksum of the IPv4 packet inside a VXLAN datagram, in place. */
export function fixInnerChecksum (datagram: Buffer): void {
  const eth = VXLAN_HEADER
  if (datagram.length < eth + ETH_HEADER + 20 || datagram.readUInt16BE(eth + 12) !== IPV4) return
  const ip = eth + ETH_HEADER
  const headerLength = (datagram[ip]! & 0x0f) * 4
  const totalLength = datagram.readUInt16BE(ip + 2)
  const protocol = datagram[ip + 9]!
  const fragment = datagram.readUInt16BE(ip + 6) & 0x3fff
  const l4 = ip + headerLength
  const end = ip + totalLength
  if (fragment !== 0 || end > datagram.length || (protocol !== TCP && protocol !== UDP)) return
  const checksumAt = l4 + (protocol === TCP ? 16 : 6)
  if (checksumAt + 2 > end) return
  datagram.writeUInt16BE(0, checksumAt)
  // pseudo-header: source, destination, protocol, L4 length
  let sum = sum16(datagram, ip + 12, ip + 20, protocol + (end - l4))
  sum = sum16(datagram, l4, end, sum)
  let checksum = (~fold(sum)) & 0xffff
  if (protocol === UDP && checksum === 0) checksum = 0xffff
  datagram.writeUInt16BE(checksum, checksumAt)
}
