import { startLocalCluster } from './local-cluster.js'

/**
 * `npm run cluster`: a scaled department for development (docs/scaled.md) —
 * a PostgreSQL primary and two streaming replicas (synchronous: a commit is on
 * a standby before it is acknowledged) and three department-node processes
 * sharing it. Prints where everything is; Ctrl-C stops it and removes it all.
 */
const cluster = await startLocalCluster({ nodes: 3, engine: { replicas: 2, synchronous: true }, firstInvite: true })
const lines = [
  'Dak scaled department (development): everything in temporary directories, removed on Ctrl-C',
  `  engine: ${cluster.engine.url}`,
  ...cluster.engine.servers.map(s => `    ${s.role.padEnd(7)} 127.0.0.1:${s.port}  ${s.dataDir}`),
  `  peer id (every process): ${cluster.nodes[0]?.summary.peerId ?? ''}`
]
// Each process lists its own addresses and those of the processes started before it: its own are the new ones.
const earlier = new Set<string>()
for (const node of cluster.nodes) {
  lines.push(`  department-node ${node.index + 1} (pid ${node.child.pid ?? '?'}, data ${node.dataDir})`, `    web:    ${node.summary.webUrl}`)
  for (const address of node.summary.multiaddrs.filter(a => !earlier.has(a))) lines.push(`    libp2p: ${address}`)
  for (const address of node.summary.multiaddrs) earlier.add(address)
}
const invite = cluster.nodes[0]?.summary.invite
if (invite != null) lines.push(`  first officer's invite: ${invite.link ?? invite.code}`)
lines.push('Press Ctrl-C to stop.')
process.stdout.write(lines.join('\n') + '\n')

let stopping = false
const stop = (): void => {
  if (stopping) return
  stopping = true
  process.stdout.write('\nstopping the cluster…\n')
  cluster.stop().then(() => process.exit(0), (err: unknown) => { process.stderr.write(`${String(err)}\n`); process.exit(1) })
}
process.on('SIGINT', stop)
process.on('SIGTERM', stop)
