import type { FieldNetwork } from './namespaces.js'
import { forwarderArgv, startIn, type Followed } from './processes.js'
import type { LinkShape } from './profiles.js'
import type { DirectionCounters } from './link-shaper.js'

/** The harness's handle on the forwarder process: shape, switch and read the links. */

export type LinkStats = Record<string, { up: DirectionCounters, down: DirectionCounters }>

export class Links {
  private constructor (private readonly process: Followed) {}
  private nextId = 1

  static async start (network: FieldNetwork, shape: LinkShape, seed: number): Promise<Links> {
    const config = { hubIp: network.hubUnderlayIp, links: network.devices.map(d => ({ vni: d.index, deviceIp: `10.90.${d.index}.1` })), seed, shape }
    const process = startIn(network.link, forwarderArgv(config), {}, 'pipe')
    await process.waitFor('the forwarder to be ready', l => l.ready === true, 30_000)
    return new Links(process)
  }

  private send (command: Record<string, unknown>): void {
    this.process.child.stdin?.write(JSON.stringify(command) + '\n')
  }

  shape (shape: LinkShape, vni?: number): void { this.send({ op: 'shape', shape, vni }) }
  up (vni?: number): void { this.send({ op: 'up', vni }) }
  down (vni?: number): void { this.send({ op: 'down', vni }) }
  /** Write one line per packet to `file` (undefined: stop). */
  trace (file?: string): void { this.send({ op: 'trace', file }) }

  /** Every link's counters now (the answer is matched by id). */
  async snapshot (): Promise<LinkStats> {
    const id = this.nextId++
    const answer = this.process.waitFor(`stats ${id}`, l => l.id === id, 10_000)
    this.send({ op: 'stats', id })
    return (await answer).links as LinkStats
  }

  async stop (): Promise<void> {
    this.process.child.stdin?.end()
    await this.process.stop('SIGTERM', 3_000)
  }
}

/** Bytes (IP) offered to a link in both directions between two snapshots. */
export function bytesBetween (before: LinkStats, after: LinkStats, vni: number): number {
  const a = after[vni]; const b = before[vni]
  if (a == null || b == null) return 0
  return (a.up.bytes - b.up.bytes) + (a.down.bytes - b.down.bytes)
}
