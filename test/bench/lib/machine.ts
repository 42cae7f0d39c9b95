import { execFileSync } from 'node:child_process'
import { cpus, freemem, loadavg, platform, release, totalmem } from 'node:os'

/** Where a run happened: results are only comparable on the same machine. */
export interface Machine {
  cpu: string
  cores: number
  memoryGiB: number
  freeMemoryGiB: number
  /** 1-minute load average when the run started: other work on the machine skews timings. */
  load1: number
  os: string
  node: string
  date: string
  /** Commit the run was made from, with `+dirty` when the tree had uncommitted changes. */
  commit: string
}

function gitCommit (): string {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim()
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() !== ''
    return dirty ? `${head}+dirty` : head
  } catch {
    return 'unknown'
  }
}

export function describeMachine (): Machine {
  const list = cpus()
  return {
    cpu: list[0]?.model.trim() ?? 'unknown',
    cores: list.length,
    memoryGiB: Math.round(totalmem() / 2 ** 30 * 10) / 10,
    freeMemoryGiB: Math.round(freemem() / 2 ** 30 * 10) / 10,
    load1: Math.round((loadavg()[0] ?? 0) * 100) / 100,
    os: `${platform()} ${release()}`,
    node: process.version,
    date: new Date().toISOString(),
    commit: gitCommit()
  }
}
