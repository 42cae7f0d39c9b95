import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

/**
 * Real `dak` processes for the CLI tests: the bin launcher (node/src/cli/dak.mjs)
 * run by this test's Node.js, bound to 127.0.0.1. Every process started here
 * is remembered, so afterEach can kill whatever a failed test left running.
 */

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const LAUNCHER = join(ROOT, 'node/src/cli/dak.mjs')
const running = new Set<ChildProcess>()

/** A parsed line of --json output. */
export type Line = Record<string, any>

export interface DakResult {
  code: number | null
  stdout: string
  stderr: string
  /** stdout's lines parsed as JSON (the --json contract: one object per line). */
  lines: Line[]
}

/**
 * mDNS is on by default: each process gets a service name of its own, so test
 * devices never find each other (or another run's) on the LAN unless a test
 * gives two of them the same DAK_MDNS_SERVICE.
 */
export const lonelyMdns = (): string => `_dak-test-${randomBytes(6).toString('hex')}._udp.local`

/**
 * Every test device's storage key is wrapped under this passphrase (given as
 * DAK_PASSPHRASE), with the cheap Argon2id parameters only tests ask for
 * (DAK_TEST_CHEAP_KDF, node/src/cli/keyfile.ts). A test about passphrases
 * overrides either in its own env.
 */
export const TEST_PASSPHRASE = 'test passphrase, not a secret'

function start (args: string[], env: Record<string, string>, stdin: 'ignore' | 'pipe' = 'ignore'): ChildProcess {
  const child = spawn(process.execPath, [LAUNCHER, ...args], {
    cwd: ROOT,
    env: { ...process.env, DAK_LISTEN: '/ip4/127.0.0.1/tcp/0', DAK_MDNS_SERVICE: lonelyMdns(), DAK_PASSPHRASE: TEST_PASSPHRASE, DAK_TEST_CHEAP_KDF: '1', ...env },
    stdio: [stdin, 'pipe', 'pipe']
  })
  running.add(child)
  child.on('exit', () => { running.delete(child) })
  return child
}

/** Run a command to its end; fails (and kills it) if it is not done by the deadline. */
export async function dak (dataDir: string | undefined, args: string[], options: { timeoutMs?: number, env?: Record<string, string>, input?: string | Uint8Array } = {}): Promise<DakResult> {
  const child = start(dataDir != null ? ['--data', dataDir, ...args] : args, options.env ?? {}, options.input != null ? 'pipe' : 'ignore')
  if (options.input != null) {
    // a command may stop reading early (a message over the limit): that is not the test's failure
    child.stdin?.on('error', () => {})
    child.stdin?.end(options.input)
  }
  let stdout = ''
  let stderr = ''
  child.stdout?.on('data', (chunk: Buffer) => { stdout += chunk.toString() })
  child.stderr?.on('data', (chunk: Buffer) => { stderr += chunk.toString() })
  const code = await new Promise<number | null>((resolve, reject) => {
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`dak ${args.join(' ')} did not finish in time\nstdout: ${stdout}\nstderr: ${stderr}`)) }, options.timeoutMs ?? 45_000)
    child.on('exit', (exitCode) => { clearTimeout(timer); resolve(exitCode) })
  })
  return { code, stdout, stderr, lines: parseLines(stdout) }
}

export interface LongRunning {
  lines: Line[]
  stderr: () => string
  /** The first --json line (seen so far or to come) that `match` accepts. */
  waitFor: (what: string, match: (line: Line) => boolean, timeoutMs?: number) => Promise<Line>
  /** Send a signal and resolve with the exit code. */
  stop: (signal?: NodeJS.Signals, timeoutMs?: number) => Promise<number | null>
  /** Resolve with the exit code once it ends by itself (killed and failed after `timeoutMs`). */
  exited: (timeoutMs?: number) => Promise<number | null>
  /** Type into its standard input (started with `stdin: true`). */
  type: (text: string) => void
  /** Close its standard input, and resolve with the exit code once it has ended by itself. */
  endInput: (timeoutMs?: number) => Promise<number | null>
  pid: number | undefined
}

/** Start a long-running command (`dak listen`, `dak chat`) and follow its --json lines. */
export function dakInBackground (dataDir: string, args: string[], options: { stdin?: boolean, env?: Record<string, string> } = {}): LongRunning {
  const child = start(['--data', dataDir, ...args], options.env ?? {}, options.stdin === true ? 'pipe' : 'ignore')
  const lines: Line[] = []
  let stderr = ''
  let partial = ''
  const waiters = new Set<() => void>()
  let exited: number | null | undefined
  child.stdout?.on('data', (chunk: Buffer) => {
    partial += chunk.toString()
    const complete = partial.split('\n')
    partial = complete.pop() ?? ''
    lines.push(...parseLines(complete.join('\n')))
    for (const wake of waiters) wake()
  })
  child.stderr?.on('data', (chunk: Buffer) => { stderr += chunk.toString() })
  const exit = new Promise<number | null>((resolve) => { child.on('exit', (code) => { exited = code; for (const wake of waiters) wake(); resolve(code) }) })
  return {
    lines,
    stderr: () => stderr,
    async waitFor (what, match, timeoutMs = 45_000) {
      return await new Promise<Line>((resolve, reject) => {
        const check = (): void => {
          const found = lines.find(match)
          if (found != null) { done(); resolve(found); return }
          if (exited !== undefined) { done(); reject(new Error(`dak exited (${String(exited)}) before ${what}\nstderr: ${stderr}`)) }
        }
        const timer = setTimeout(() => { done(); reject(new Error(`timed out waiting for ${what}\nlines: ${JSON.stringify(lines)}\nstderr: ${stderr}`)) }, timeoutMs)
        const done = (): void => { clearTimeout(timer); waiters.delete(check) }
        waiters.add(check)
        check()
      })
    },
    async stop (signal = 'SIGINT', timeoutMs = 20_000) {
      if (exited === undefined) child.kill(signal)
      const timer = setTimeout(() => { child.kill('SIGKILL') }, timeoutMs)
      try {
        return await exit
      } finally {
        clearTimeout(timer)
      }
    },
    async exited (timeoutMs = 30_000) {
      let timer: ReturnType<typeof setTimeout> | undefined
      const late = new Promise<never>((_resolve, reject) => { timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`dak ${args.join(' ')} did not end by itself\nstderr: ${stderr}`)) }, timeoutMs) })
      try {
        return await Promise.race([exit, late])
      } finally {
        clearTimeout(timer)
      }
    },
    type: (text) => { child.stdin?.write(text) },
    async endInput (timeoutMs = 30_000) {
      child.stdin?.end()
      let timer: ReturnType<typeof setTimeout> | undefined
      const late = new Promise<never>((_resolve, reject) => { timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`dak ${args.join(' ')} did not end after its input closed\nstderr: ${stderr}`)) }, timeoutMs) })
      try {
        return await Promise.race([exit, late])
      } finally {
        clearTimeout(timer)
      }
    },
    pid: child.pid
  }
}

/** For afterEach: whatever is still running is killed and waited for. */
export async function killAll (): Promise<void> {
  await Promise.all([...running].map(async (child) => {
    const gone = new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) resolve()
      else child.on('exit', () => { resolve() })
    })
    child.kill('SIGKILL')
    await gone
  }))
}

/** A config.json for a device with no department node (a LAN): what `dak init` would write, minus the node. */
export async function writeLanConfig (dataDir: string): Promise<void> {
  await writeFile(join(dataDir, 'config.json'), JSON.stringify({ version: 2, bootstrap: [], listen: ['/ip4/127.0.0.1/tcp/0'], mdns: false }))
}

function parseLines (text: string): Line[] {
  return text.split('\n').filter(l => l.trim() !== '').map((l) => {
    try {
      return JSON.parse(l) as Line
    } catch {
      return { unparsed: l }
    }
  })
}
