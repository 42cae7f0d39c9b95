import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { DakError } from '@dak/protocol'
import { startLocalEngine, type LocalEngine, type LocalEngineOptions } from './local-engine.js'

/**
 * A scaled department on one machine (docs/scaled.md): a local PostgreSQL
 * replica set and department-node processes sharing it, each `dak-node start
 * --store <url>` in its own data directory holding the department's same two
 * keys. What `npm run cluster` runs, and what the scaled tests kill -9.
 */

const DAK_NODE = fileURLToPath(new URL('../bin/dak-node.ts', import.meta.url))
const REPO = fileURLToPath(new URL('../../../', import.meta.url))

export interface EdgeProcess {
  index: number
  dataDir: string
  child: ChildProcess
  /** What `dak-node start --json` printed: webUrl, peerId, multiaddrs, adminUrl, invite… */
  summary: { webUrl: string, peerId: string, multiaddrs: string[], adminUrl?: string, invite?: { code: string, link?: string } }
  alive: () => boolean
  /** SIGKILL, and wait until it is gone. */
  kill: () => Promise<void>
}

export interface LocalCluster {
  engine: LocalEngine
  nodes: EdgeProcess[]
  /** Start (again) the department-node process `index` on its data directory; the old one must be dead. */
  restart: (index: number) => Promise<EdgeProcess>
  stop: () => Promise<void>
}

export interface LocalClusterOptions {
  nodes?: number
  engine?: LocalEngineOptions
  department?: string
  /** Let the first process make an invite for the first officer (as `dak-node start` does). */
  firstInvite?: boolean
  /** Where the processes' stderr goes (default: discarded, but kept for an error at start). */
  onStderr?: (index: number, text: string) => void
}

/** Start the engine, then the department-node processes one after the other (the first records the department's keys). */
export async function startLocalCluster (options: LocalClusterOptions = {}): Promise<LocalCluster> {
  const engine = await startLocalEngine(options.engine)
  const base = await mkdtemp(join(tmpdir(), 'dak-cluster-'))
  const keys = { 'node.key': randomBytes(32), 'authority.key': randomBytes(32) }
  const nodes: EdgeProcess[] = []
  const cluster: LocalCluster = {
    engine,
    nodes,
    restart: async (index) => {
      const node = await startEdge(index, join(base, `node${index + 1}`), engine.url, options.department ?? 'dev.department', index === 0 && options.firstInvite === true, options.onStderr)
      nodes[index] = node
      return node
    },
    stop: async () => {
      for (const node of nodes) if (node.alive()) await stopEdge(node)
      await engine.stop()
      await rm(base, { recursive: true, force: true })
    }
  }
  try {
    for (let i = 0; i < (options.nodes ?? 3); i++) {
      const dir = join(base, `node${i + 1}`)
      await mkdir(dir, { recursive: true, mode: 0o700 })
      for (const [file, seed] of Object.entries(keys)) await writeFile(join(dir, file), seed, { mode: 0o600 })
      await cluster.restart(i)
    }
  } catch (err) {
    await cluster.stop()
    throw err
  }
  return cluster
}

/**
 * One department-node process on the embedded default (LevelDB in its data
 * directory, no engine): what the scaled benchmark compares the shared
 * engine against. stop() ends it and removes its directory.
 */
export async function startEmbeddedNode (options: { department?: string, onStderr?: (index: number, text: string) => void } = {}): Promise<{ node: EdgeProcess, stop: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'dak-embedded-'))
  try {
    const node = await startEdge(0, dir, undefined, options.department ?? 'dev.department', false, options.onStderr)
    return { node, stop: async () => { if (node.alive()) await stopEdge(node); await rm(dir, { recursive: true, force: true }) } }
  } catch (err) {
    await rm(dir, { recursive: true, force: true })
    throw err
  }
}

async function startEdge (index: number, dataDir: string, store: string | undefined, department: string, invite: boolean, onStderr?: (index: number, text: string) => void): Promise<EdgeProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', DAK_NODE, 'start', '--json', '--data', dataDir, ...(store == null ? [] : ['--store', store]), ...(invite ? [] : ['--no-invite'])], {
    cwd: REPO,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, DAK_DEPARTMENT: department, DAK_HOST: '127.0.0.1', DAK_TCP_PORT: '0', DAK_WS_PORT: '0', DAK_WEBRTC_DIRECT_PORT: '0', DAK_HTTP_PORT: '0' }
  })
  let exited = false
  const gone = new Promise<void>(resolve => child.once('exit', () => { exited = true; resolve() }))
  let stderr = ''
  child.stderr?.on('data', (chunk: Buffer) => {
    const text = chunk.toString()
    if (stderr.length < 20_000) stderr += text
    onStderr?.(index, text)
  })
  const summary = await new Promise<EdgeProcess['summary']>((resolve, reject) => {
    let stdout = ''
    const timer = setTimeout(() => { reject(new DakError(`department-node process ${index + 1} did not start within 60 s: ${stderr.slice(-2000)}`)) }, 60_000)
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString()
      const line = stdout.split('\n').find(l => l.startsWith('{'))
      if (line == null || !stdout.includes('\n')) return
      clearTimeout(timer)
      try { resolve(JSON.parse(line)) } catch (err) { reject(err) }
    })
    void gone.then(() => { clearTimeout(timer); reject(new DakError(`department-node process ${index + 1} exited at start: ${stderr.slice(-2000)}`)) })
  })
  return {
    index,
    dataDir,
    child,
    summary,
    alive: () => !exited,
    kill: async () => {
      if (!exited) child.kill('SIGKILL')
      await gone
    }
  }
}

async function stopEdge (node: EdgeProcess): Promise<void> {
  node.child.kill('SIGTERM')
  const stopped = await Promise.race([
    new Promise<boolean>(resolve => node.child.once('exit', () => { resolve(true) })),
    new Promise<boolean>(resolve => setTimeout(() => { resolve(false) }, 10_000))
  ])
  if (!stopped) await node.kill()
}
