import { execFileSync } from 'node:child_process'
import type { ServerPlacement } from '../../bootstrap/src/cluster/local-engine.js'

/**
 * The engine servers of the scaled partition test, each in its own Linux
 * network namespace (as test/field does), all named `daks-<test pid>-…` so
 * that parallel runs do not collide and a crashed run's leftovers can be told
 * from a live run's.
 *
 *   root namespace (the test, its devices, the department-node processes: .254)
 *        │ veth dks<pid>
 *   daks-<pid>-sw: bridge ── veth ── daks-<pid>-p  (.1)
 *                         ── veth ── daks-<pid>-r1 (.2)  …
 *
 * The /24 is derived from the pid. A partition is nftables rules in the
 * servers' own namespaces: packets between the two sides are dropped
 * silently, as a cut link does (nobody is told: each end learns from its own
 * timeouts); the root namespace — clients — still reaches every server.
 */

const PREFIX = 'daks-'
const TABLE = 'dak_partition'

function run (command: string[], input?: string): string {
  return execFileSync(command[0]!, command.slice(1), { input, encoding: 'utf8', stdio: [input == null ? 'ignore' : 'pipe', 'pipe', 'pipe'], timeout: 10_000 })
}

function isAlive (pid: number): boolean {
  try { process.kill(pid, 0); return true } catch { return false }
}

/** Namespaces of earlier runs whose test process is gone: deleted before a run starts. */
export function removeStaleEngineNamespaces (): string[] {
  const removed: string[] = []
  for (const line of run(['ip', 'netns', 'list']).split('\n')) {
    const name = line.split(' ')[0] ?? ''
    const match = /^daks-(\d+)-/.exec(name)
    if (match == null || isAlive(Number(match[1]))) continue
    try { run(['ip', 'netns', 'del', name]); removed.push(name) } catch (err) { process.stderr.write(`scaled: could not remove stale namespace ${name}: ${(err as Error).message}\n`) }
  }
  return removed
}

/** Whether this machine lets us make network namespaces (root, iproute2, nftables). */
export function namespacesAvailable (): boolean {
  if (process.getuid?.() !== 0) return false
  try { run(['ip', 'netns', 'list']); run(['nft', '--version']); return true } catch { return false }
}

export class EngineNetwork {
  readonly prefix = `${PREFIX}${process.pid}-`
  private readonly subnet = `10.${100 + Math.floor(process.pid / 256) % 90}.${process.pid % 256}`
  readonly rootIp = `${this.subnet}.254`
  private readonly servers = new Map<string, { ns: string, ip: string }>()
  private readonly made: string[] = []
  private readonly cut: string[] = []

  /** The switch, and one namespace per server name, wired to it and to the root namespace. */
  create (names: string[]): void {
    const sw = `${this.prefix}sw`
    this.addNs(sw)
    run(['ip', '-n', sw, 'link', 'add', 'br0', 'type', 'bridge'])
    run(['ip', '-n', sw, 'link', 'set', 'br0', 'up'])
    const rootSide = `dks${process.pid}`
    run(['ip', 'link', 'add', rootSide, 'type', 'veth', 'peer', 'name', 'root0', 'netns', sw])
    this.plug(sw, 'root0')
    run(['ip', 'addr', 'add', `${this.rootIp}/24`, 'dev', rootSide])
    run(['ip', 'link', 'set', rootSide, 'up'])
    names.forEach((name, i) => {
      const ns = `${this.prefix}${name}`
      const ip = `${this.subnet}.${i + 1}`
      this.addNs(ns)
      run(['ip', 'link', 'add', 'eth0', 'netns', ns, 'type', 'veth', 'peer', 'name', `s${i}`, 'netns', sw])
      this.plug(sw, `s${i}`)
      run(['ip', '-n', ns, 'addr', 'add', `${ip}/24`, 'dev', 'eth0'])
      run(['ip', '-n', ns, 'link', 'set', 'eth0', 'up'])
      this.servers.set(name, { ns, ip })
    })
  }

  /** Where the engine runs a server: its namespace's address, started under `ip netns exec`. */
  placement (name: string): ServerPlacement {
    const server = this.servers.get(name)
    if (server == null) throw new Error(`no namespace for engine server ${name}`)
    return { host: server.ip, exec: ['ip', 'netns', 'exec', server.ns] }
  }

  /** Cut the servers in `a` from those in `b` (both directions); clients in the root namespace reach both sides still. */
  partition (a: string[], b: string[]): void {
    const ips = (names: string[]): string => `{ ${names.map(n => this.servers.get(n)!.ip).join(', ')} }`
    for (const [side, other] of [[a, b], [b, a]] as const) {
      for (const name of side) {
        const { ns } = this.servers.get(name)!
        run(['ip', 'netns', 'exec', ns, 'nft', '-f', '-'], [
          `table inet ${TABLE} {`,
          '  chain in {',
          '    type filter hook input priority 0; policy accept;',
          `    ip saddr ${ips([...other])} drop`,
          '  }',
          '  chain out {',
          '    type filter hook output priority 0; policy accept;',
          `    ip daddr ${ips([...other])} drop`,
          '  }',
          '}', ''
        ].join('\n'))
        this.cut.push(ns)
      }
    }
  }

  /** Take every partition rule away. */
  heal (): void {
    for (const ns of this.cut.splice(0)) run(['ip', 'netns', 'exec', ns, 'nft', 'delete', 'table', 'inet', TABLE])
  }

  /** Delete every namespace this run made (the servers in them must be stopped first). Never throws. */
  destroy (): void {
    for (const ns of this.made.splice(0).reverse()) {
      try { run(['ip', 'netns', 'del', ns]) } catch (err) { process.stderr.write(`scaled: could not delete ${ns}: ${(err as Error).message}\n`) }
    }
  }

  private plug (sw: string, dev: string): void {
    run(['ip', '-n', sw, 'link', 'set', dev, 'master', 'br0'])
    run(['ip', '-n', sw, 'link', 'set', dev, 'up'])
  }

  private addNs (ns: string): void {
    run(['ip', 'netns', 'add', ns])
    this.made.push(ns)
    run(['ip', 'netns', 'exec', ns, 'sysctl', '-qw', 'net.ipv6.conf.all.disable_ipv6=1'])
    run(['ip', '-n', ns, 'link', 'set', 'lo', 'up'])
  }
}
