import { spawn, type ChildProcess } from 'node:child_process'
import { createWriteStream } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

/**
 * Every OS process of a field run: started inside a network namespace with
 * `ip netns exec` (which execs in place, so the pid is the program's), in a
 * process group of its own, and remembered so that one call kills them all —
 * on success, on failure and on SIGINT alike.
 */

export const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const DAK = join(ROOT, 'node/src/cli/dak.mjs')
const DAK_NODE = join(ROOT, 'bootstrap/src/bin/dak-node.ts')
const running = new Set<ChildProcess>()

export type Line = Record<string, any>

export interface Followed {
  child: ChildProcess
  lines: Array<{ at: number, line: Line }>
  stderr: () => string
  /** Called with each parsed stdout line as it arrives. */
  onLine: (listener: (line: Line, at: number) => void) => void
  /** The first line (seen or to come) `match` accepts; rejects at the deadline or when the process exits. */
  waitFor: (what: string, match: (line: Line) => boolean, timeoutMs: number) => Promise<Line>
  exited: Promise<number | null>
  /** Signal, wait up to `graceMs`, then SIGKILL the whole group. */
  stop: (signal?: NodeJS.Signals, graceMs?: number) => Promise<number | null>
}

function parse (text: string): Line {
  try { return JSON.parse(text) as Line } catch { return { unparsed: text } }
}

/**
 * Start `argv` inside namespace `ns` and follow its JSON lines. `stderrFile`:
 * also write its whole stderr there (kept after the run: a receiver's debug log).
 */
export function startIn (ns: string, argv: string[], env: Record<string, string> = {}, stdin: 'ignore' | 'pipe' = 'ignore', stderrFile?: string): Followed {
  const child = spawn('ip', ['netns', 'exec', ns, ...argv], {
    cwd: ROOT,
    // dak devices in the harness are unattended: a passphrase from the environment, the tests' cheap KDF (docs/node.md)
    env: { ...process.env, DAK_PASSPHRASE: process.env.DAK_PASSPHRASE ?? 'field-harness-passphrase', DAK_TEST_CHEAP_KDF: '1', ...env },
    stdio: [stdin, 'pipe', 'pipe'],
    detached: true
  })
  running.add(child)
  const lines: Array<{ at: number, line: Line }> = []
  const listeners: Array<(line: Line, at: number) => void> = []
  const waiters = new Set<() => void>()
  let stderr = ''
  let partial = ''
  let exitCode: number | null | undefined
  child.stdout?.on('data', (chunk: Buffer) => {
    partial += chunk.toString()
    const complete = partial.split('\n')
    partial = complete.pop() ?? ''
    const at = Date.now()
    for (const text of complete) {
      if (text.trim() === '') continue
      const line = parse(text)
      lines.push({ at, line })
      for (const l of listeners) l(line, at)
    }
    for (const wake of waiters) wake()
  })
  // keep the tail only: a long run's notes must not grow without bound (the file, if any, has it all)
  const file = stderrFile != null ? createWriteStream(stderrFile, { flags: 'a' }) : undefined
  file?.on('error', (err) => { process.stderr.write(`field: ${stderrFile!}: ${err.message}\n`) })
  child.stderr?.on('data', (chunk: Buffer) => { file?.write(chunk); stderr = (stderr + chunk.toString()).slice(-20_000) })
  child.on('close', () => { file?.end() })
  const exited = new Promise<number | null>((resolve) => {
    child.on('exit', (code, signal) => { running.delete(child); exitCode = code ?? (signal != null ? -1 : null); for (const wake of waiters) wake(); resolve(exitCode) })
  })
  const followed: Followed = {
    child,
    lines,
    stderr: () => stderr,
    onLine: (listener) => { listeners.push(listener) },
    exited,
    async waitFor (what, match, timeoutMs) {
      return await new Promise<Line>((resolve, reject) => {
        const check = (): void => {
          const found = lines.find(l => match(l.line))
          if (found != null) { done(); resolve(found.line); return }
          if (exitCode !== undefined) { done(); reject(new Error(`${argv.join(' ')} exited (${String(exitCode)}) before ${what}\nstderr: ${stderr.slice(-2_000)}`)) }
        }
        const timer = setTimeout(() => { done(); reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}\nstderr: ${stderr.slice(-2_000)}`)) }, timeoutMs)
        const done = (): void => { clearTimeout(timer); waiters.delete(check) }
        waiters.add(check)
        check()
      })
    },
    async stop (signal = 'SIGTERM', graceMs = 10_000) {
      if (exitCode !== undefined) return exitCode
      killGroup(child, signal)
      const timer = setTimeout(() => { killGroup(child, 'SIGKILL') }, graceMs)
      try { return await exited } finally { clearTimeout(timer) }
    }
  }
  return followed
}

function killGroup (child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid == null) return
  try { process.kill(-child.pid, signal) } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ESRCH') process.stderr.write(`field: kill ${child.pid}: ${(err as Error).message}\n`)
  }
}

/** Run to the end; SIGKILLed (and reported as code null with timedOut) at the deadline. */
export async function runIn (ns: string, argv: string[], timeoutMs: number, env: Record<string, string> = {}, stderrFile?: string): Promise<{ code: number | null, timedOut: boolean, lines: Line[], stderr: string, ms: number }> {
  const started = Date.now()
  const followed = startIn(ns, argv, env, 'ignore', stderrFile)
  let timedOut = false
  const timer = setTimeout(() => { timedOut = true; killGroup(followed.child, 'SIGKILL') }, timeoutMs)
  const code = await followed.exited
  clearTimeout(timer)
  return { code: timedOut ? null : code, timedOut, lines: followed.lines.map(l => l.line), stderr: followed.stderr(), ms: Date.now() - started }
}

/** `dak …` (the CLI launcher) on this harness's Node.js. */
export function dakArgv (dataDir: string, args: string[]): string[] {
  return [process.execPath, DAK, '--data', dataDir, ...args]
}

/** `dak-node …` through tsx, as `npm run dak-node` runs it. */
export function dakNodeArgv (args: string[]): string[] {
  return [process.execPath, '--import', 'tsx', DAK_NODE, ...args]
}

/** The forwarder, through tsx. */
export function forwarderArgv (config: unknown): string[] {
  return [process.execPath, '--import', 'tsx', join(ROOT, 'test/field/forwarder.ts'), JSON.stringify(config)]
}

/** SIGKILL every process still running and wait for them: nothing outlives a run. */
export async function killAll (): Promise<void> {
  await Promise.all([...running].map(async (child) => {
    const gone = new Promise<void>((resolve) => { if (child.exitCode !== null || child.signalCode !== null) resolve(); else child.once('exit', () => { resolve() }) })
    killGroup(child, 'SIGKILL')
    await Promise.race([gone, new Promise<void>((resolve) => setTimeout(resolve, 5_000).unref())])
  }))
}
