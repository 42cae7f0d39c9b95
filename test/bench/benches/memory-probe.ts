/**
 * One side of the memory benchmark, in a process of its own (forked by
 * memory.ts with --expose-gc): start `count` libp2p nodes of one kind, connect
 * them (ring with chords), join a topic, let gossipsub run a few heartbeats,
 * and report how much resident memory they added.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import { department, officer } from '../../../protocol/src/identity/test-fixtures.js'
import { joinTopic, startDakMesh, startRawMesh, stopAll, validateTopic, type MeshNode } from '../lib/net.js'
import { topicFor } from '../lib/pipeline.js'

export interface MemoryProbeReport {
  kind: 'dak' | 'plain'
  nodes: number
  rssBeforeMiB: number
  rssAfterMiB: number
  heapBeforeMiB: number
  heapAfterMiB: number
  externalAfterMiB: number
  perNodeRssMiB: number
  perNodeHeapMiB: number
}

const kind = process.argv[2] === 'dak' ? 'dak' : 'plain'
const count = Number(process.argv[3] ?? 50)
const MiB = 2 ** 20

async function settle (): Promise<NodeJS.MemoryUsage> {
  const gc = (globalThis as { gc?: () => void }).gc
  for (let i = 0; i < 4; i++) {
    gc?.()
    await sleep(100)
  }
  return process.memoryUsage()
}

async function start (n: number, label: string): Promise<MeshNode[]> {
  const topic = topicFor(`memory ${label}`)
  if (kind === 'plain') {
    const { nodes, edges } = await startRawMesh(n)
    await joinTopic(nodes, edges, topic, 60_000)
    return nodes
  }
  const dept = department('mof.budget')
  const officers = Array.from({ length: n }, (_, i) => officer(dept, `mem${label}${i}`))
  const { nodes, edges } = await startDakMesh(officers)
  validateTopic(nodes, topic, officers.map(o => o.device.publicKey), () => undefined)
  await joinTopic(nodes, edges, topic, 60_000)
  return nodes
}

async function main (): Promise<MemoryProbeReport> {
  // Warm-up: load every module and let the JIT settle, so the baseline holds the code, not just the nodes.
  await stopAll(await start(2, 'w'))
  const before = await settle()
  const nodes = await start(count, 'm')
  await sleep(3_000) // three gossipsub heartbeats: meshes, scores and caches at their steady size
  const after = await settle()
  const report: MemoryProbeReport = {
    kind,
    nodes: count,
    rssBeforeMiB: before.rss / MiB,
    rssAfterMiB: after.rss / MiB,
    heapBeforeMiB: before.heapUsed / MiB,
    heapAfterMiB: after.heapUsed / MiB,
    externalAfterMiB: (after.external + after.arrayBuffers) / MiB,
    perNodeRssMiB: (after.rss - before.rss) / MiB / count,
    perNodeHeapMiB: (after.heapUsed - before.heapUsed) / MiB / count
  }
  await stopAll(nodes)
  return report
}

const report = await main()
if (process.send != null) process.send(report, () => process.exit(0))
else {
  process.stdout.write(JSON.stringify(report, null, 2) + '\n')
  process.exit(0)
}
