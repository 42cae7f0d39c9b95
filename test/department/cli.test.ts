import { execFile, spawn, type ChildProcess } from 'node:child_process'
import { access, mkdtemp, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { afterEach, describe, expect, it } from 'vitest'

/**
 * `dak-node` as department IT runs it: `start` in the foreground, the other
 * commands through its admin API while it runs and on the database once it
 * has stopped. Started as `node --import tsx` so a signal reaches the node
 * itself, not a wrapper.
 */

const BIN = resolve(import.meta.dirname, '../../bootstrap/src/bin/dak-node.ts')
const run = promisify(execFile)
const children: ChildProcess[] = []
const dirs: string[] = []

afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode == null) child.kill('SIGKILL')
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true })
})

function env (dataDir: string): NodeJS.ProcessEnv {
  return { ...process.env, DAK_DATA_DIR: dataDir, DAK_TCP_PORT: '0', DAK_WS_PORT: '0', DAK_WEBRTC_DIRECT_PORT: '0', DAK_HTTP_PORT: '0', DAK_DEPARTMENT: 'mof.budget' }
}

async function cli (dataDir: string, ...args: string[]): Promise<unknown> {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', BIN, ...args, '--json'], { env: env(dataDir) })
  return JSON.parse(stdout)
}

/** The first line `start --json` prints: the node is up by then. */
async function firstLine (child: ChildProcess): Promise<string> {
  return await new Promise((resolve, reject) => {
    let text = ''
    child.stdout?.on('data', (chunk: Buffer) => {
      text += chunk.toString()
      const end = text.indexOf('\n')
      if (end >= 0) resolve(text.slice(0, end))
    })
    child.once('exit', (code) => { reject(new Error(`dak-node exited with ${code} before printing`)) })
  })
}

describe('dak-node', () => {
  it('starts, invites through the admin API while running, stops on SIGTERM, and administers the database when stopped', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'dak-node-cli-'))
    dirs.push(dataDir)
    const child = spawn(process.execPath, ['--import', 'tsx', BIN, 'start', '--json'], { env: env(dataDir), stdio: ['ignore', 'pipe', 'pipe'] })
    children.push(child)
    const started = JSON.parse(await firstLine(child)) as { webUrl: string, peerId: string, invite?: { handle: string, code: string }, invitePng?: string }
    expect(started.invite?.handle).toBe('admin')
    expect(started.invite?.code).toMatch(/^DAK-/)
    expect((await stat(join(dataDir, 'invite-admin.png'))).mode & 0o777).toBe(0o600)
    expect((await stat(join(dataDir, 'admin.json'))).mode & 0o777).toBe(0o600)
    expect(await (await fetch(new URL('/health', started.webUrl))).json()).toMatchObject({ ok: true })

    const invite = await cli(dataDir, 'invite', '--handle', 'ravi.k', '--name', 'Ravi K', '--title', 'Section Officer') as { handle: string, link: string }
    expect(invite.handle).toBe('ravi.k')
    expect(invite.link.startsWith(started.webUrl)).toBe(true)
    expect(await cli(dataDir, 'status')).toMatchObject({ running: true, peerId: started.peerId, department: 'mof.budget' })
    await expect(cli(dataDir, 'revoke', '--handle', 'nobody')).rejects.toMatchObject({ code: 2 })

    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve))
    child.kill('SIGTERM')
    expect(await exited).toBe(0)
    await expect(access(join(dataDir, 'admin.json'))).rejects.toMatchObject({ code: 'ENOENT' })
    expect(await cli(dataDir, 'status')).toMatchObject({ running: false, peerId: started.peerId })
    expect(await cli(dataDir, 'devices')).toEqual([])
  }, 180_000) // six CLI processes, each compiling TypeScript at start

  it('tls init makes the department CA once and prints its fingerprint; tls renew issues a new certificate', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'dak-node-tls-'))
    dirs.push(dataDir)
    const made = await cli(dataDir, 'tls', 'init', '--public-host', 'dak.example.gov', '--names', 'dak-alt.example.gov') as { fingerprint: string, names: string[], caKey: string, key: string, cert: string }
    expect(made.fingerprint).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/)
    expect(made.names).toEqual(expect.arrayContaining(['dak.example.gov', 'dak-alt.example.gov', '127.0.0.1']))
    expect((await stat(made.caKey)).mode & 0o777).toBe(0o600)
    expect((await stat(made.key)).mode & 0o777).toBe(0o600)
    await expect(run(process.execPath, ['--import', 'tsx', BIN, 'tls', 'init', '--json'], { env: env(dataDir) })).rejects.toMatchObject({ code: 2, stdout: expect.stringContaining('TlsAlreadyInitialisedError') })
    expect(await cli(dataDir, 'tls', 'renew')).toEqual({ renewed: true })
    await expect(run(process.execPath, ['--import', 'tsx', BIN, 'tls'])).rejects.toMatchObject({ code: 1 })
  })

  it('refuses unknown commands and options with the usage exit code', async () => {
    await expect(run(process.execPath, ['--import', 'tsx', BIN, 'frobnicate'])).rejects.toMatchObject({ code: 1 })
    await expect(run(process.execPath, ['--import', 'tsx', BIN, 'devices', '--colour'])).rejects.toMatchObject({ code: 1 })
  })
})
