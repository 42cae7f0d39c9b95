/**
 * Runs one benchmark in its own process (started by run.ts): a clean heap and
 * event loop for each, a crash or a hang cannot take the others down, and
 * --profile can give each its own CPU profile. Reports over IPC; run by hand
 * (`npx tsx test/bench/child.ts <id> [--quick]`) it prints the report instead.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { benchmarks } from './benches/index.js'
import type { ChildReport } from './lib/types.js'

const args = process.argv.slice(2)
const id = args.find(a => !a.startsWith('--')) ?? ''
const quick = args.includes('--quick')
const bench = benchmarks.find(b => b.id === id)
const started = performance.now()
const elapsed = (): number => (performance.now() - started) / 1000
const progress = (message: string): void => { process.stderr.write(`[${id} ${elapsed().toFixed(1)}s] ${message}\n`) }

// libp2p can reject a stray promise while nodes shut down; say so, but let the benchmark finish.
process.on('unhandledRejection', (reason) => {
  progress(`unhandled rejection (ignored): ${reason instanceof Error ? `${reason.name}: ${reason.message}` : String(reason)}`)
})

async function main (): Promise<ChildReport> {
  if (bench == null) return { ok: false, id, seconds: 0, error: { name: 'UnknownBenchmark', message: `no benchmark '${id}' (have: ${benchmarks.map(b => b.id).join(', ')})` } }
  const dir = await mkdtemp(join(tmpdir(), `dak-bench-${id}-`))
  try {
    const result = await bench.run({ quick, progress, tmpDir: dir })
    return { ok: true, id, seconds: elapsed(), result }
  } catch (err) {
    const e = err instanceof Error ? err : new Error(String(err))
    return { ok: false, id, seconds: elapsed(), error: { name: e.name, message: e.message, stack: e.stack } }
  } finally {
    await rm(dir, { recursive: true, force: true }).catch(() => undefined)
  }
}

const report = await main()
if (process.send != null) {
  // exit explicitly: a libp2p timer left behind must not hold the process (and --cpu-prof writes on exit)
  process.send(report, () => process.exit(0))
} else {
  process.stdout.write(JSON.stringify(report, null, 2) + '\n')
  process.exit(report.ok ? 0 : 1)
}
