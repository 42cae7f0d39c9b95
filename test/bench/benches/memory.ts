import { fork } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { ratio, sig } from '../lib/stats.js'
import type { BenchContext, BenchResult, Benchmark } from '../lib/types.js'
import type { MemoryProbeReport } from './memory-probe.js'

/**
 * Figure 6: resident memory per client node, 50 libp2p nodes in one process
 * (--quick: 10), connected as a ring with chords and meshed on one topic.
 * Dak nodes (createDakLibp2p: TCP, WebSockets, WebRTC, WebRTC-Direct and
 * circuit-relay transports loaded, listening on TCP only; the certificate
 * gate; gossipsub with the envelope validator) ÷ plain libp2p nodes (TCP,
 * Noise, yamux, identify, ping, gossipsub). Each kind runs in a fresh process
 * (memory-probe.ts), so neither inherits the other's heap.
 */

const probe = fileURLToPath(new URL('./memory-probe.ts', import.meta.url))

async function measure (kind: 'dak' | 'plain', count: number): Promise<MemoryProbeReport> {
  return await new Promise<MemoryProbeReport>((resolve, reject) => {
    let report: MemoryProbeReport | undefined
    const child = fork(probe, [kind, String(count)], { execArgv: ['--import', 'tsx', '--expose-gc'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
    const timer = setTimeout(() => { child.kill('SIGKILL') }, 180_000)
    child.on('message', (m) => { report = m as MemoryProbeReport })
    child.on('exit', (code, signal) => {
      clearTimeout(timer)
      if (report != null) resolve(report)
      else reject(new Error(`memory probe (${kind}) ended (${signal ?? `exit code ${String(code)}`}) without a report`))
    })
  })
}

async function run (bench: BenchContext): Promise<BenchResult> {
  const count = bench.quick ? 10 : 50
  let plain: MemoryProbeReport
  let dak: MemoryProbeReport
  if (bench.quick) {
    // A smoke run: both probes at once (each is its own process, so resident memory is still its own).
    bench.progress(`${count} plain libp2p nodes and ${count} Dak nodes, side by side`)
    ;[plain, dak] = await Promise.all([measure('plain', count), measure('dak', count)])
  } else {
    bench.progress(`${count} plain libp2p nodes`)
    plain = await measure('plain', count)
    bench.progress(`  ${sig(plain.perNodeRssMiB)} MiB per node`)
    bench.progress(`${count} Dak nodes`)
    dak = await measure('dak', count)
  }
  bench.progress(`  ${sig(dak.perNodeRssMiB)} MiB per Dak node, ${sig(plain.perNodeRssMiB)} MiB per plain node`)
  return {
    figures: [{
      key: 'memory.per-node',
      label: `resident memory per client node (${count} in one process)`,
      value: sig(dak.perNodeRssMiB),
      unit: 'MiB',
      baseline: { label: 'plain libp2p node', value: sig(plain.perNodeRssMiB), unit: 'MiB' },
      ratio: ratio(dak.perNodeRssMiB, plain.perNodeRssMiB),
      target: { text: '≤ 20 MB per client node', met: dak.perNodeRssMiB * 2 ** 20 <= 20e6 },
      note: `V8 heap per node: Dak ${sig(dak.perNodeHeapMiB)} MiB, plain ${sig(plain.perNodeHeapMiB)} MiB`
    }],
    details: { dak, plain }
  }
}

export const memory: Benchmark = {
  id: 'memory',
  title: 'Memory per client node',
  budgetSeconds: { full: 60, quick: 20 },
  run
}
