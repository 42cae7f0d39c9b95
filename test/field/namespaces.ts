import { execFileSync } from 'node:child_process'

/**
 * The field harness's network: a star of Linux network namespaces, all named
 * `dakf-<harness pid>-…` so that nothing outside them is touched and a
 * crashed run's leftovers can be told from a live run's.
 *
 *   hub (department node, 10.200.0.1)  ──veth──  link (forwarder)  ──veth──  d1, d2, … (devices)
 *
 * The veths carry only VXLAN between each namespace and the forwarder; the
 * devices and the node talk over the VXLAN overlay (vni k = device k), so every
 * packet between them passes through the forwarder's shaping. The hub routes
 * between devices (device-to-device traffic crosses two shaped links, as two
 * officers on 2G would). IPv6 is off and neighbours are static, so the only
 * traffic on a link is Dak's own.
 */

export const HUB_SERVICE_IP = '10.200.0.1'
const LINK_HUB_IP = '10.90.0.2'
const HUB_UNDERLAY_IP = '10.90.0.1'

export interface DeviceSide { index: number, ns: string, ip: string }

function ip (args: string[]): void {
  execFileSync('ip', args, { stdio: ['ignore', 'ignore', 'pipe'], timeout: 10_000 })
}

function inNs (ns: string, command: string[]): void {
  execFileSync('ip', ['netns', 'exec', ns, ...command], { stdio: ['ignore', 'ignore', 'pipe'], timeout: 10_000 })
}

function mac (group: number, index: number): string {
  return `02:da:00:${group.toString(16).padStart(2, '0')}:${index.toString(16).padStart(2, '0')}:01`
}

/** Namespaces of earlier runs whose harness is gone (SIGKILLed, crashed): deleted before a run starts. */
export function removeStaleNamespaces (): string[] {
  return removeNamespaces(pid => !isAlive(pid))
}

/** This run's namespaces, on an interrupt (their processes must be gone first). */
export function removeOwnNamespaces (): string[] {
  return removeNamespaces(pid => pid === process.pid)
}

function removeNamespaces (which: (pid: number) => boolean): string[] {
  const removed: string[] = []
  const list = execFileSync('ip', ['netns', 'list'], { encoding: 'utf8', timeout: 10_000 })
  for (const line of list.split('\n')) {
    const name = line.split(' ')[0] ?? ''
    const match = /^dakf-(\d+)-/.exec(name)
    if (match == null || !which(Number(match[1]))) continue
    try { ip(['netns', 'del', name]); removed.push(name) } catch (err) { process.stderr.write(`field: could not remove stale namespace ${name}: ${(err as Error).message}\n`) }
  }
  return removed
}

function isAlive (pid: number): boolean {
  try { process.kill(pid, 0); return true } catch { return false }
}

export class FieldNetwork {
  readonly prefix = `dakf-${process.pid}-`
  readonly hub = `${this.prefix}hub`
  readonly link = `${this.prefix}link`
  readonly devices: DeviceSide[] = []
  readonly linkHubIp = LINK_HUB_IP
  readonly hubUnderlayIp = HUB_UNDERLAY_IP
  private readonly made: string[] = []

  /** Make the hub, the link and `deviceCount` device namespaces, wired as above. */
  create (deviceCount: number): void {
    this.addNs(this.hub)
    this.addNs(this.link)
    ip(['link', 'add', 'h0', 'netns', this.hub, 'type', 'veth', 'peer', 'name', 'l0', 'netns', this.link])
    this.address(this.hub, 'h0', `${HUB_UNDERLAY_IP}/24`)
    this.address(this.link, 'l0', `${LINK_HUB_IP}/24`)
    this.address(this.hub, 'lo', `${HUB_SERVICE_IP}/32`)
    inNs(this.hub, ['sysctl', '-qw', 'net.ipv4.ip_forward=1'])
    for (let k = 1; k <= deviceCount; k++) {
      const ns = `${this.prefix}d${k}`
      this.addNs(ns)
      // underlay: device ↔ link namespace
      ip(['link', 'add', 'u0', 'netns', ns, 'type', 'veth', 'peer', 'name', `l${k}`, 'netns', this.link])
      this.address(ns, 'u0', `10.90.${k}.1/24`)
      this.address(this.link, `l${k}`, `10.90.${k}.2/24`)
      // overlay: VXLAN k, hub side and device side, each sending to the forwarder
      ip(['-n', this.hub, 'link', 'add', `vx${k}`, 'address', mac(0, k), 'mtu', '1400', 'type', 'vxlan', 'id', String(k), 'remote', LINK_HUB_IP, 'local', HUB_UNDERLAY_IP, 'dstport', '4789', 'nolearning'])
      ip(['-n', ns, 'link', 'add', 'vx0', 'address', mac(1, k), 'mtu', '1400', 'type', 'vxlan', 'id', String(k), 'remote', `10.90.${k}.2`, 'local', `10.90.${k}.1`, 'dstport', '4789', 'nolearning'])
      this.address(this.hub, `vx${k}`, `10.201.${k}.1/24`)
      this.address(ns, 'vx0', `10.201.${k}.2/24`)
      ip(['-n', this.hub, 'neigh', 'add', `10.201.${k}.2`, 'lladdr', mac(1, k), 'dev', `vx${k}`, 'nud', 'permanent'])
      ip(['-n', ns, 'neigh', 'add', `10.201.${k}.1`, 'lladdr', mac(0, k), 'dev', 'vx0', 'nud', 'permanent'])
      ip(['-n', ns, 'route', 'add', '10.200.0.0/16', 'via', `10.201.${k}.1`])
      ip(['-n', ns, 'route', 'add', '10.201.0.0/16', 'via', `10.201.${k}.1`])
      this.devices.push({ index: k, ns, ip: `10.201.${k}.2` })
    }
  }

  /**
   * A LAN segment between some devices' namespaces: a bridge in the link
   * namespace, unshaped, never through the forwarder — an office LAN on which
   * those officers reach each other with or without the department node.
   * Device k gets `lan0` with 10.202.0.k/24; mDNS multicast crosses the bridge.
   */
  lanSegment (indices: number[]): Record<number, string> {
    const addresses: Record<number, string> = {}
    ip(['-n', this.link, 'link', 'add', 'br0', 'type', 'bridge'])
    ip(['-n', this.link, 'link', 'set', 'br0', 'up'])
    for (const k of indices) {
      const device = this.devices.find(d => d.index === k)
      if (device == null) throw new Error(`no device namespace ${k}`)
      ip(['link', 'add', 'lan0', 'netns', device.ns, 'type', 'veth', 'peer', 'name', `b${k}`, 'netns', this.link])
      ip(['-n', this.link, 'link', 'set', `b${k}`, 'master', 'br0'])
      ip(['-n', this.link, 'link', 'set', `b${k}`, 'up'])
      this.address(device.ns, 'lan0', `10.202.0.${k}/24`)
      addresses[k] = `10.202.0.${k}`
    }
    return addresses
  }

  /** Delete every namespace this run made (processes in them must be gone first). Never throws. */
  destroy (): void {
    for (const ns of this.made.splice(0).reverse()) {
      try { ip(['netns', 'del', ns]) } catch (err) { process.stderr.write(`field: could not delete ${ns}: ${(err as Error).message}\n`) }
    }
  }

  private addNs (ns: string): void {
    ip(['netns', 'add', ns])
    this.made.push(ns)
    inNs(ns, ['sysctl', '-qw', 'net.ipv6.conf.all.disable_ipv6=1'])
    inNs(ns, ['sysctl', '-qw', 'net.ipv6.conf.default.disable_ipv6=1'])
    ip(['-n', ns, 'link', 'set', 'lo', 'up'])
  }

  private address (ns: string, dev: string, cidr: string): void {
    ip(['-n', ns, 'addr', 'add', cidr, 'dev', dev])
    ip(['-n', ns, 'link', 'set', dev, 'up'])
  }
}
