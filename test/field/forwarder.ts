import { createSocket, type RemoteInfo } from 'node:dgram'
import { createWriteStream, type WriteStream } from 'node:fs'
import { createInterface } from 'node:readline'
import { fixInnerChecksum } from './checksum.js'
import { ShapedDirection } from './link-shaper.js'
import type { LinkShape } from './profiles.js'

/**
 * The field harness's link: a userspace forwarder run inside the link
 * namespace. Each side's kernel wraps its IP packets in VXLAN (UDP 4789) and
 * sends them here; this process delays, drops, rate-limits and counts them,
 * then sends them on to the other side's kernel. No ioctl, no TUN, no netem:
 * only a UDP socket (docs/field.md says why).
 *
 * Control: JSON lines on stdin, answers as JSON lines on stdout.
 *   {"op":"shape","vni":N?,"shape":{...}}   {"op":"up"|"down","vni":N?}
 *   {"op":"trace","file":PATH?} (no file: stop)   {"op":"stats","id":N}  → {"id":N,"links":{"<vni>":{"up":{…},"down":{…}}}}
 * "up" is device → department node, "down" the other way.
 */

const VXLAN_PORT = 4789
/** VXLAN header (8) + the inner Ethernet header (14): what is left is the IP packet the link carries. */
const OVERHEAD = 8 + 14

interface Config { hubIp: string, links: Array<{ vni: number, deviceIp: string }>, seed: number, shape: LinkShape }

const config = JSON.parse(process.argv[2] ?? '') as Config
const socket = createSocket('udp4')
const links = new Map<number, { deviceIp: string, up: ShapedDirection, down: ShapedDirection }>()
for (const { vni, deviceIp } of config.links) {
  links.set(vni, { deviceIp, up: new ShapedDirection(config.shape, config.seed * 1_000 + vni * 2), down: new ShapedDirection(config.shape, config.seed * 1_000 + vni * 2 + 1) })
}
let unknown = 0
/** Optional packet trace (op "trace"): one line per packet, to see what an idle link carries. */
let trace: WriteStream | undefined
/** Timers in flight, so `exit` can end promptly. */
let inFlight = 0

function vniOf (packet: Buffer): number {
  return packet.length < 8 ? -1 : packet.readUIntBE(4, 3)
}

socket.on('message', (packet: Buffer, from: RemoteInfo) => {
  const vni = vniOf(packet)
  const link = links.get(vni)
  const fromHub = from.address === config.hubIp
  if (link == null || (!fromHub && from.address !== link.deviceIp)) { unknown++; return }
  const direction = fromHub ? link.down : link.up
  const to = fromHub ? link.deviceIp : config.hubIp
  const now = performance.now()
  const exitAt = direction.offer(Math.max(0, packet.length - OVERHEAD), now)
  trace?.write(`${Date.now()} vni=${vni} ${fromHub ? 'down' : 'up'} ${packet.length - OVERHEAD} ${describe(packet)}${exitAt === undefined ? ' dropped' : ''}\n`)
  if (exitAt === undefined) return
  fixInnerChecksum(packet)
  const send = (): void => { socket.send(packet, VXLAN_PORT, to) }
  if (exitAt - now < 1) { send(); return }
  inFlight++
  setTimeout(() => { inFlight--; send() }, exitAt - now)
})

/** Protocol and ports of the inner packet, for the trace. */
function describe (packet: Buffer): string {
  const ip = OVERHEAD
  if (packet.length < ip + 20) return '?'
  const l4 = ip + (packet[ip]! & 0x0f) * 4
  const protocol = packet[ip + 9]
  if ((protocol !== 6 && protocol !== 17) || packet.length < l4 + 4) return `proto ${String(protocol)}`
  const flags = protocol === 6 && packet.length > l4 + 13 ? ` flags ${packet[l4 + 13]!.toString(16)}` : ''
  return `${protocol === 6 ? 'tcp' : 'udp'} ${packet.readUInt16BE(l4)}>${packet.readUInt16BE(l4 + 2)}${flags}`
}

function selected (vni: number | undefined): Array<{ up: ShapedDirection, down: ShapedDirection }> {
  return vni == null ? [...links.values()] : [links.get(vni)].filter(l => l != null)
}

const control = createInterface({ input: process.stdin })
control.on('line', (line) => {
  const command = JSON.parse(line) as { op: string, vni?: number, shape?: LinkShape, id?: number, file?: string }
  switch (command.op) {
    case 'shape': for (const l of selected(command.vni)) { l.up.setShape(command.shape!); l.down.setShape(command.shape!) } break
    case 'up': case 'down': for (const l of selected(command.vni)) { l.up.setUp(command.op === 'up'); l.down.setUp(command.op === 'up') } break
    case 'trace': {
      trace?.end()
      trace = command.file != null ? createWriteStream(command.file) : undefined
      break
    }
    case 'stats': {
      const out: Record<string, unknown> = {}
      for (const [vni, l] of links) out[vni] = { up: l.up.counters, down: l.down.counters }
      process.stdout.write(JSON.stringify({ id: command.id, links: out, unknown, inFlight }) + '\n')
      break
    }
    default: process.stderr.write(`forwarder: unknown command ${line}\n`)
  }
})
// the harness going away (stdin closed) ends the forwarder: it never outlives its run
control.on('close', () => { socket.close(); process.exit(0) })
socket.bind(VXLAN_PORT, '0.0.0.0', () => { process.stdout.write(JSON.stringify({ ready: true }) + '\n') })
