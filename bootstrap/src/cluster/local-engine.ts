import { execFile, spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { appendFile, chown, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { DakError } from '@dak/protocol'

/**
 * A local PostgreSQL replica set for development and tests (`npm run cluster`,
 * the scaled tests): a primary and streaming replicas in temporary
 * directories on 127.0.0.1, from the Debian binaries (`postgresql` package).
 * PostgreSQL refuses to run as root, so as root every server command runs as
 * the `postgres` system user (runuser). Not for production: trust auth.
 */

const run = promisify(execFile)

/** PostgreSQL is not installed, or cannot be run here. */
export class EngineNotInstalledError extends DakError { override name = 'EngineNotInstalledError' }

export interface EngineServer {
  name: string
  /** The address it listens on: 127.0.0.1, or its network namespace's address (`placement`). */
  host: string
  port: number
  dataDir: string
  role: 'primary' | 'replica' | 'dead'
}

export interface LocalEngine {
  /** postgres://dak@127.0.0.1:p1,127.0.0.1:p2,…/dak: every server, the client finds the primary. */
  url: string
  servers: EngineServer[]
  primary: () => EngineServer
  /** SIGKILL a server's postmaster and every backend of it: a machine dying, as far as the clients see. */
  kill: (name: string) => Promise<void>
  /** Promote the replica that received the most WAL and point the other replicas at it; returns it. */
  failover: () => Promise<EngineServer>
  /**
   * Bring a dead former primary back as a replica of the current primary:
   * pg_rewind throws away the WAL it wrote that the new timeline does not have
   * (commits that were never acknowledged), then it streams and is a
   * synchronous candidate again.
   */
  rejoin: (name: string) => Promise<void>
  /** Run one statement with psql on the primary, or on the named server (diagnostics): its rows, tab-separated. */
  psql: (query: string, server?: string) => Promise<string>
  /** Number of standbys the primary is streaming to now. */
  standbys: () => Promise<number>
  stop: () => Promise<void>
}

export interface LocalEngineOptions {
  replicas?: number
  /** COMMIT waits until one standby flushed the WAL (ANY 1): an acknowledged write survives losing the primary. */
  synchronous?: boolean
  /** Parent of the temporary directories. */
  baseDir?: string
  /**
   * Where each server runs (default: 127.0.0.1 in this network namespace):
   * the address it listens on and a command prefix its postmaster starts
   * under, e.g. `ip netns exec <ns>` (the scaled partition test).
   */
  placement?: (name: string) => ServerPlacement
}

export interface ServerPlacement { host: string, exec: string[] }

export function postgresBinDir (): string | undefined {
  const fromEnv = process.env.DAK_PG_BIN
  if (fromEnv != null && existsSync(join(fromEnv, 'initdb'))) return fromEnv
  const root = '/usr/lib/postgresql'
  if (!existsSync(root)) return undefined
  const versions = spawnSync('ls', [root], { encoding: 'utf8' }).stdout.split('\n').filter(v => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a))
  for (const version of versions) if (existsSync(join(root, version, 'bin', 'initdb'))) return join(root, version, 'bin')
  return undefined
}

const asRoot = process.getuid?.() === 0

/** Run a PostgreSQL program, as the postgres user when we are root. */
async function pg (bin: string, program: string, args: string[], prefix: string[] = []): Promise<string> {
  const file = join(bin, program)
  const command = [...prefix, ...(asRoot ? ['runuser', '-u', 'postgres', '--'] : []), file, ...args]
  const [cmd, argv] = [command[0]!, command.slice(1)]
  try {
    const { stdout } = await run(cmd, argv, { timeout: 60_000, maxBuffer: 4 * 1024 * 1024 })
    return stdout
  } catch (err) {
    const e = err as { stderr?: string, message: string }
    throw new EngineNotInstalledError(`${program} ${args.join(' ')} failed: ${(e.stderr ?? '').trim() || e.message}`)
  }
}

async function freePort (): Promise<number> {
  return await new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => { typeof address === 'object' && address != null ? resolve(address.port) : reject(new Error('no port')) })
    })
  })
}

async function ownDir (dir: string): Promise<void> {
  if (!asRoot) return
  const id = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' })
  const gid = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' })
  if (id.status !== 0) throw new EngineNotInstalledError('running as root, and there is no postgres system user to run PostgreSQL as')
  await chown(dir, Number(id.stdout.trim()), Number(gid.stdout.trim()))
}

async function serverConf (dir: string, host: string, port: number, extra: string[]): Promise<void> {
  await appendFile(join(dir, 'postgresql.conf'), [
    '', '# dak local engine',
    `listen_addresses = '${host}'`,
    // pg_rewind (rejoin) needs it: a killed primary is brought back as a replica
    'wal_log_hints = on',
    `port = ${port}`,
    // TCP only: a socket file in the data directory would stop pg_rewind copying it (rejoin)
    "unix_socket_directories = ''",
    'max_connections = 200',
    'shared_buffers = 32MB',
    'wal_level = replica',
    'max_wal_senders = 10',
    "wal_keep_size = '256MB'",
    'hot_standby = on',
    'wal_receiver_status_interval = 1s',
    ...extra, ''
  ].join('\n'))
}

export async function startLocalEngine (options: LocalEngineOptions = {}): Promise<LocalEngine> {
  const bin = postgresBinDir()
  if (bin == null) throw new EngineNotInstalledError('PostgreSQL is not installed (apt-get install postgresql, or set DAK_PG_BIN)')
  const base = await mkdtemp(join(options.baseDir ?? tmpdir(), 'dak-pg-'))
  await ownDir(base)
  const replicaNames = Array.from({ length: options.replicas ?? 2 }, (_, i) => `r${i + 1}`)
  const servers: EngineServer[] = []
  const sync = options.synchronous !== false && replicaNames.length > 0
  const syncNames = `ANY 1 (${replicaNames.join(', ')})`
  const place = (name: string): ServerPlacement => options.placement?.(name) ?? { host: '127.0.0.1', exec: [] }
  const psql = async (server: EngineServer, query: string): Promise<string> =>
    (await pg(bin, 'psql', ['-h', server.host, '-p', String(server.port), '-U', 'dak', '-d', 'dak', '-At', '-c', query])).trim()
  const stopAll = async (): Promise<void> => {
    for (const server of servers) {
      if (server.role === 'dead') continue
      await pg(bin, 'pg_ctl', ['-D', server.dataDir, '-m', 'immediate', '-w', 'stop']).catch(() => {})
      server.role = 'dead'
    }
    await rm(base, { recursive: true, force: true })
  }
  try {
    const primary: EngineServer = { name: 'p', host: place('p').host, port: await freePort(), dataDir: join(base, 'p'), role: 'primary' }
    await pg(bin, 'initdb', ['-D', primary.dataDir, '-U', 'dak', '--auth=trust', '--no-sync', '-E', 'UTF8', '--locale=C'])
    // trust from the namespaces' network too (the default pg_hba.conf trusts loopback only); a test engine
    if (options.placement != null) await appendFile(join(primary.dataDir, 'pg_hba.conf'), '\nhost all all 0.0.0.0/0 trust\nhost replication all 0.0.0.0/0 trust\n')
    await serverConf(primary.dataDir, primary.host, primary.port, [])
    servers.push(primary)
    await pg(bin, 'pg_ctl', ['-D', primary.dataDir, '-l', join(base, 'p.log'), '-w', 'start'], place('p').exec)
    await pg(bin, 'createdb', ['-h', primary.host, '-p', String(primary.port), '-U', 'dak', 'dak'])
    for (const name of replicaNames) {
      const replica: EngineServer = { name, host: place(name).host, port: await freePort(), dataDir: join(base, name), role: 'replica' }
      await pg(bin, 'pg_basebackup', ['-h', primary.host, '-p', String(primary.port), '-U', 'dak', '-D', replica.dataDir, '-X', 'stream', '-R', '--no-sync', '-c', 'fast'])
      await appendFile(join(replica.dataDir, 'postgresql.conf'), `\nlisten_addresses = '${replica.host}'\nport = ${replica.port}\n`)
      await appendFile(join(replica.dataDir, 'postgresql.auto.conf'), `\nprimary_conninfo = '${conninfo(primary, name)}'\n`)
      servers.push(replica)
      await pg(bin, 'pg_ctl', ['-D', replica.dataDir, '-l', join(base, `${name}.log`), '-w', 'start'], place(name).exec)
    }
    // Only now: with it set before a standby exists, every commit (createdb's too) would wait for one.
    // Replicas copied the primary's configuration before this, so a promoted one is set again by failover().
    if (sync) await psql(primary, `alter system set synchronous_standby_names = '${syncNames}'`).then(async () => await psql(primary, 'select pg_reload_conf()'))
  } catch (err) {
    await stopAll()
    throw err
  }

  const byName = (name: string): EngineServer => {
    const server = servers.find(s => s.name === name)
    if (server == null) throw new DakError(`no engine server ${name}`)
    return server
  }
  const primary = (): EngineServer => {
    const found = servers.find(s => s.role === 'primary')
    if (found == null) throw new DakError('the engine has no primary')
    return found
  }
  return {
    url: `postgres://dak@${servers.map(s => `${s.host}:${s.port}`).join(',')}/dak`,
    servers,
    primary,
    kill: async (name) => {
      const server = byName(name)
      const pid = Number((await readFile(join(server.dataDir, 'postmaster.pid'), 'utf8')).split('\n')[0])
      const children = await childrenOf(pid)
      for (const id of [pid, ...children]) {
        try { process.kill(id, 'SIGKILL') } catch { /* already gone */ }
      }
      server.role = 'dead'
    },
    failover: async () => {
      const candidates = servers.filter(s => s.role === 'replica')
      if (candidates.length === 0) throw new DakError('no replica left to promote')
      const received = await Promise.all(candidates.map(async s => await psql(s, "select pg_wal_lsn_diff(coalesce(pg_last_wal_receive_lsn(), '0/0'), '0/0')")))
      let best = 0
      received.forEach((lsn, i) => { if (Number(lsn) > Number(received[best])) best = i })
      const chosen = candidates[best]!
      await pg(bin, 'pg_ctl', ['-D', chosen.dataDir, '-w', 'promote'])
      chosen.role = 'primary'
      // The promoted replica's own name must not be waited for; the others will stream from it.
      const others = candidates.filter(s => s !== chosen).map(s => s.name)
      if (sync && others.length > 0) await psql(chosen, `alter system set synchronous_standby_names = 'ANY 1 (${others.join(', ')})'`)
      if (sync && others.length === 0) await psql(chosen, "alter system set synchronous_standby_names = ''")
      await psql(chosen, 'select pg_reload_conf()')
      for (const other of candidates) {
        if (other === chosen) continue
        await psql(other, `alter system set primary_conninfo = '${conninfo(chosen, other.name).replace(/'/g, "''")}'`)
        await psql(other, 'select pg_reload_conf()')
      }
      return chosen
    },
    rejoin: async (name) => {
      const server = byName(name)
      if (server.role !== 'dead') throw new DakError(`engine server ${name} is running; only a dead one rejoins`)
      const current = primary()
      // a promotion does not wait for its checkpoint: until one, the new primary's control file still names
      // the old timeline, and pg_rewind would find "no rewind required" and leave the old primary's own WAL in place
      await psql(current, 'checkpoint')
      // pg_rewind first runs the killed server's crash recovery itself, then rewinds it to the fork point
      await pg(bin, 'pg_rewind', ['--target-pgdata', server.dataDir, '--source-server', conninfo(current, name), '--no-sync'], place(name).exec)
      // the rewound directory carries the new primary's settings: this server's own address, port and socket, as a standby
      await appendFile(join(server.dataDir, 'postgresql.auto.conf'), `\nlisten_addresses = '${server.host}'\nport = ${server.port}\nprimary_conninfo = '${conninfo(current, name)}'\nsynchronous_standby_names = ''\n`)
      await writeFile(join(server.dataDir, 'standby.signal'), '')
      if (asRoot) await ownDir(join(server.dataDir, 'standby.signal'))
      await pg(bin, 'pg_ctl', ['-D', server.dataDir, '-l', join(base, `${name}.log`), '-w', 'start'], place(name).exec)
      server.role = 'replica'
      if (sync) {
        const standbys = servers.filter(s => s.role === 'replica').map(s => s.name)
        await psql(current, `alter system set synchronous_standby_names = 'ANY 1 (${standbys.join(', ')})'`)
        await psql(current, 'select pg_reload_conf()')
      }
    },
    psql: async (query, server) => await psql(server == null ? primary() : byName(server), query),
    standbys: async () => Number(await psql(primary(), 'select count(*) from pg_stat_replication'))
,
    stop: stopAll
  }
}

function conninfo (server: EngineServer, name: string): string {
  return `host=${server.host} port=${server.port} user=dak dbname=dak application_name=${name}`
}

async function childrenOf (pid: number): Promise<number[]> {
  const out: number[] = []
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const stat = await readFile(`/proc/${entry}/stat`, 'utf8')
      // the parent pid is the 2nd field after the ")" closing the command name
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
      if (ppid === pid) out.push(Number(entry))
    } catch { /* the process ended while we looked */ }
  }
  return out
}
