import type { ConnectionStatus } from '../messenger/api.js'
import type { DialTarget } from './dial-targets.js'
import type { Host } from './host.js'

/** How one dial of goOnline ended, by the target's first address. */
export type DialOutcome = { ok: true } | { ok: false, why: string }

export interface Attempt {
  waitSeconds: number
  /** --wait ran out (rather than every dial having ended). */
  timedOut: boolean
  status: ConnectionStatus
  /** The department nodes of config.json. */
  bootstrap: DialTarget[]
  /** --peer addresses. */
  peers: DialTarget[]
  outcomes: Map<string, DialOutcome>
  mdns: Host['mdns']
}

/**
 * The note a command prints when --wait ran out: what it tried — each
 * department node address and --peer with how its dial ended, and whether
 * mDNS was on and found anyone — so an officer on a LAN sees why nothing
 * answered and what to change, rather than a bare timeout.
 */
export function whatWasTried (a: Attempt): string {
  const { status } = a
  const nothing = status.departmentNodes === 0 && status.peers === 0
  const head = nothing
    ? `nothing reachable${a.timedOut ? ` within ${a.waitSeconds}s` : ''}`
    : `not fully online after ${a.waitSeconds}s (${status.departmentNodes} department node(s), ${status.peers} peer(s))`
  const lines = [`${head}: going on with what this device knows. Tried:`]
  const outcome = (t: DialTarget): string => {
    const result = a.outcomes.get(t.addrs[0]?.toString() ?? '')
    return result == null ? 'still dialling' : result.ok ? 'connected' : short(result.why)
  }
  if (a.bootstrap.length === 0) lines.push('  department node: none configured (config.json has no bootstrap addresses)')
  for (const t of a.bootstrap) lines.push(`  department node ${t.addrs.map(String).join(' ')}: ${outcome(t)}`)
  for (const t of a.peers) lines.push(`  --peer ${t.addrs.map(String).join(' ')}: ${outcome(t)}`)
  if (!a.mdns.on) {
    lines.push(`  mDNS (LAN discovery): off (${a.mdns.why})`)
  } else {
    const found = a.mdns.found()
    lines.push(`  mDNS (LAN discovery): on, ${found === 0 ? 'found no Dak device on this network' : `found ${found} device(s), ${status.peers} verified`}`)
  }
  if (nothing && a.peers.length === 0 && !a.mdns.on) lines.push('  to reach officers on this LAN: drop --no-mdns (or "mdns": false), or give --peer with the address their `dak listen` prints')
  return lines.join('\n')
}

/** libp2p's dial errors can run to several lines: the first line, bounded. */
function short (why: string): string {
  const first = why.split('\n')[0] ?? why
  return first.length > 200 ? first.slice(0, 197) + '...' : first
}
