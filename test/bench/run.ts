/**
 * Dak benchmarks: `npm run bench [-- options]`. docs/benchmarks.md says what
 * each figure measures and how to reproduce it.
 *
 *   --quick            small sizes, well under a minute (a smoke run; not appended)
 *   --json             print the report as JSON on stdout instead of the table (not appended)
 *   --append           append to BENCHMARKS.md even with --quick or --json
 *   --no-append        do not append (a full run appends by default)
 *   --only=a,b         run only these benchmarks (ids: --list)
 *   --profile[=dir]    write a V8 CPU profile per benchmark (node --cpu-prof) to dir
 *   --jobs=N           benchmarks run at once (default 1; 2 with --quick, a smoke run
 *                      whose figures are not compared, so it may share the cores)
 *   --list             list the benchmarks and exit
 *
 * Each benchmark runs in its own child process (child.ts). Progress goes to
 * stderr. The exit code is 1 only when a benchmark throws, crashes or runs out
 * of time: a figure missing its target never fails the run.
 */
import { fork } from 'node:child_process'
import { appendFile, mkdir, readFile, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { tmpdir } from 'node:os'
import { fileURLToPath } from 'node:url'
import { benchmarks } from './benches/index.js'
import { describeMachine } from './lib/machine.js'
import { markdownSection, textTable, type RunReport } from './lib/report.js'
import type { Benchmark, ChildReport } from './lib/types.js'

const here = fileURLToPath(new URL('.', import.meta.url))
const root = resolve(here, '../..')
const RESULTS_FILE = join(root, 'BENCHMARKS.md')

interface Options {
  quick: boolean
  json: boolean
  append: boolean
  only?: string[]
  profileDir?: string
  list: boolean
  jobs: number
}

function parse (argv: string[]): Options {
  const options: Options = { quick: false, json: false, append: false, list: false, jobs: 1 }
  let append: boolean | undefined
  let jobs: number | undefined
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? ''
    const [name, inline] = arg.split('=', 2) as [string, string | undefined]
    const value = (): string => {
      if (inline != null) return inline
      const next = argv[i + 1]
      if (next == null || next.startsWith('--')) throw new Error(`${name} needs a value`)
      i++
      return next
    }
    switch (name) {
      case '--quick': options.quick = true; break
      case '--json': options.json = true; break
      case '--append': append = true; break
      case '--no-append': append = false; break
      case '--only': options.only = value().split(',').map(s => s.trim()).filter(Boolean); break
      case '--profile': options.profileDir = inline ?? join(tmpdir(), `dak-bench-profiles-${Date.now()}`); break
      case '--list': options.list = true; break
      case '--jobs': {
        jobs = Number(value())
        if (!Number.isInteger(jobs) || jobs < 1 || jobs > 8) throw new Error('--jobs needs a whole number from 1 to 8')
        break
      }
      case '--help': case '-h':
        process.stderr.write(readHelp())
        process.exit(0)
        break
      default: throw new Error(`unknown option ${arg} (try --help)`)
    }
  }
  options.append = append ?? (!options.quick && !options.json)
  // A full run measures one benchmark at a time: two would take CPU from each other and skew the figures.
  options.jobs = jobs ?? (options.quick ? 2 : 1)
  return options
}

function readHelp (): string {
  return `usage: npm run bench [-- --quick] [--json] [--append|--no-append] [--only=a,b] [--profile[=dir]] [--jobs=N] [--list]
benchmarks: ${benchmarks.map(b => b.id).join(', ')}
see docs/benchmarks.md
`
}

function say (message: string): void {
  process.stderr.write(`${message}\n`)
}

/** Run one benchmark in a child process; a crash, a hang or a throw becomes a failed report. */
async function runChild (bench: Benchmark, options: Options): Promise<ChildReport> {
  const budget = options.quick ? bench.budgetSeconds.quick : bench.budgetSeconds.full
  const limitMs = (budget * 3 + 30) * 1000
  const execArgv = ['--import', 'tsx', '--expose-gc']
  if (options.profileDir != null) execArgv.push('--cpu-prof', `--cpu-prof-dir=${options.profileDir}`, `--cpu-prof-name=${bench.id}-${Date.now()}.cpuprofile`)
  const started = performance.now()
  const seconds = (): number => (performance.now() - started) / 1000
  return await new Promise<ChildReport>((resolveReport) => {
    let report: ChildReport | undefined
    const child = fork(join(here, 'child.ts'), [bench.id, ...(options.quick ? ['--quick'] : [])], {
      cwd: root,
      execArgv,
      // the child's stdout goes to our stderr: with --json, stdout carries the JSON document only
      stdio: ['ignore', 'pipe', 'inherit', 'ipc']
    })
    child.stdout?.on('data', (chunk: Buffer) => { process.stderr.write(chunk) })
    const timer = setTimeout(() => {
      say(`[${bench.id}] over its time limit of ${limitMs / 1000} s: stopping it`)
      child.kill('SIGKILL')
    }, limitMs)
    child.on('message', (message) => { report = message as ChildReport })
    child.on('exit', (code, signal) => {
      clearTimeout(timer)
      resolveReport(report ?? {
        ok: false,
        id: bench.id,
        seconds: seconds(),
        error: { name: signal === 'SIGKILL' ? 'TimeoutError' : 'ChildProcessError', message: `benchmark process ended (${signal ?? `exit code ${String(code)}`}) without a report` }
      })
    })
  })
}

async function ensureResultsFile (): Promise<void> {
  try {
    await readFile(RESULTS_FILE, 'utf8')
  } catch {
    await writeFile(RESULTS_FILE, '# Dak benchmark results\n\nSee docs/benchmarks.md. Runs are appended below by `npm run bench`.\n\n## Runs\n\n')
  }
}

async function main (): Promise<number> {
  const options = parse(process.argv.slice(2))
  if (options.list) {
    for (const b of benchmarks) process.stdout.write(`${b.id.padEnd(12)} ${b.title} (~${b.budgetSeconds.full} s, quick ~${b.budgetSeconds.quick} s)\n`)
    return 0
  }
  const unknown = (options.only ?? []).filter(id => !benchmarks.some(b => b.id === id))
  if (unknown.length > 0) throw new Error(`unknown benchmark ${unknown.join(', ')} (have: ${benchmarks.map(b => b.id).join(', ')})`)
  const selected = benchmarks.filter(b => options.only == null || options.only.includes(b.id))
  if (options.profileDir != null) await mkdir(options.profileDir, { recursive: true })

  const machine = describeMachine()
  say(`Dak benchmarks (${options.quick ? 'quick' : 'full'}${options.jobs > 1 ? `, ${options.jobs} at a time` : ''}): ${selected.map(b => b.id).join(', ')} — ${machine.cpu}, ${machine.cores} cores, Node ${machine.node}`)
  const started = performance.now()
  const reports = new Array<ChildReport>(selected.length)
  let next = 0
  const worker = async (): Promise<void> => {
    for (let i = next++; i < selected.length; i = next++) {
      const bench = selected[i]!
      say(`▶ ${bench.id}: ${bench.title}`)
      const report = await runChild(bench, options)
      say(report.ok ? `✓ ${bench.id} (${report.seconds.toFixed(1)} s)` : `✗ ${bench.id} failed: ${report.error.name}: ${report.error.message}`)
      if (!report.ok && report.error.stack != null) say(report.error.stack)
      reports[i] = report
    }
  }
  await Promise.all(Array.from({ length: Math.min(options.jobs, selected.length) }, worker))
  const argv = process.argv.slice(2)
  const run: RunReport = {
    mode: options.quick ? 'quick' : 'full',
    command: `npm run bench${argv.length > 0 ? ` -- ${argv.join(' ')}` : ''}`,
    machine,
    seconds: (performance.now() - started) / 1000,
    benchmarks: reports
  }
  if (options.json) process.stdout.write(JSON.stringify(run, null, 2) + '\n')
  else process.stdout.write(textTable(run) + '\n')
  if (options.append) {
    await ensureResultsFile()
    await appendFile(RESULTS_FILE, '\n' + markdownSection(run))
    say(`appended to ${RESULTS_FILE}`)
  }
  if (options.profileDir != null) say(`CPU profiles in ${options.profileDir} (summarise: npx tsx test/bench/profile-summary.ts <file>)`)
  return reports.every(r => r.ok) ? 0 : 1
}

main().then((code) => { process.exitCode = code }, (err: unknown) => {
  say(err instanceof Error ? `${err.name}: ${err.message}` : String(err))
  process.exitCode = 2
})
