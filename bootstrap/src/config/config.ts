import { readFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { InvalidArgumentError } from '@dak/protocol'

/** Everything department IT can set. Defaults give a working development department. */
export interface DepartmentConfig {
  /** Where the authority key, the store and the registries live. */
  dataDir: string
  /** Department id carried in certificates, e.g. "mof.budget". */
  department: string
  /** Human name shown to officers. */
  departmentName: string
  /** Address to listen on. 127.0.0.1 by default: exposing a node is a decision, not an accident. */
  host: string
  /** Address officers' devices use to reach the node (put into invites). Defaults to `host`. */
  publicHost: string
  tcpPort: number
  wsPort: number
  /**
   * UDP port for WebRTC-Direct, or 'off' for a node that offers browsers
   * WebSockets only (a firewall that drops UDP; or a node restarted inside one
   * process, where node-datachannel aborts the process: test/cli/department-node.ts).
   */
  webrtcDirectPort: number | 'off'
  httpPort: number
  /** Envelopes older than this are purged: officers who were away longer re-sync from peers. */
  retentionDays: number
  /**
   * Disappearing messages: the department's maximum retention on devices, in
   * days (fractions allowed); 0 = none. Sent to devices in /api/info: they cap
   * every conversation's timer to it and apply it where no timer is set.
   */
  maxMessageDays: number
  /** Per device per day: keeps one runaway or stolen device from filling the disk. */
  quotaEnvelopesPerDay: number
  quotaBytesPerDay: number
  /** Attachments (docs/files.md): encrypted file chunks are kept this long after their upload. */
  fileRetentionDays: number
  /** Attachments: bytes of encrypted file chunks held at once per uploading device. */
  fileQuotaBytesPerDevice: number
  certificateValidityDays: number
  inviteValidityHours: number
  /** Circuit relay v2 limits: browsers and NATed devices need relays, not unlimited ones. */
  relayMaxReservations: number
  /** How long after sending an officer may edit or delete a message (given to devices; at most a week). */
  editWindowMinutes: number
  /** Issue 14: a browser whose officer set a PIN locks after this long without use (given to devices; more than 0, at most a day). */
  lockAfterMinutes: number
  /** Issue 15: incoming files up to this many MB are fetched by devices without asking (0: never; an officer may choose otherwise on their device). */
  autoDownloadMB: number
  /**
   * Issue 14: every browser of the department must have a PIN lock before it
   * shows a conversation, and may not remove it; `lockAfterMinutes` is then the
   * longest an officer may choose (given to devices over /dak/settings).
   */
  requirePin: boolean
  /** The built web client to serve; absent means no web client. */
  webRoot?: string
  /**
   * PEM certificate (chain) and key for HTTPS and wss. Unset on a loopback
   * host: plain HTTP (localhost is a secure context). Unset on any other
   * host: the department CA's certificate in <dataDir>/tls, made on first start.
   */
  tlsCert?: string
  tlsKey?: string
  /**
   * The https:// address officers open when a reverse proxy in front of the
   * node terminates TLS (the node stays on loopback): invite links name it,
   * and browsers are given wss through it.
   */
  publicUrl?: string
  /**
   * Where the department's state lives. Unset: the embedded LevelDB in
   * <dataDir>/db (one process). A postgres:// URL (several hosts for a replica
   * set): the shared engine of a scaled department, whose department-node
   * processes all use it (docs/scaled.md).
   */
  store?: string
}

/** Settings that have no default: absent means "not used". */
const OPTIONAL = new Set(['webRoot', 'tlsCert', 'tlsKey', 'publicUrl', 'store'])

export const DEFAULT_CONFIG: DepartmentConfig = {
  dataDir: '.dak/department',
  department: 'dev.department',
  departmentName: 'Development Department',
  host: '127.0.0.1',
  publicHost: '127.0.0.1',
  tcpPort: 9101,
  wsPort: 9102,
  webrtcDirectPort: 9103,
  httpPort: 8080,
  retentionDays: 90,
  maxMessageDays: 0,
  quotaEnvelopesPerDay: 50_000,
  quotaBytesPerDay: 500 * 1024 * 1024,
  fileRetentionDays: 30,
  fileQuotaBytesPerDevice: 2 * 1024 * 1024 * 1024,
  certificateValidityDays: 365,
  inviteValidityHours: 72,
  relayMaxReservations: 512,
  editWindowMinutes: 15,
  lockAfterMinutes: 5,
  autoDownloadMB: 1,
  requirePin: false
}

const ENV: Record<string, keyof DepartmentConfig> = {
  DAK_DATA_DIR: 'dataDir',
  DAK_DEPARTMENT: 'department',
  DAK_DEPARTMENT_NAME: 'departmentName',
  DAK_HOST: 'host',
  DAK_PUBLIC_HOST: 'publicHost',
  DAK_TCP_PORT: 'tcpPort',
  DAK_WS_PORT: 'wsPort',
  DAK_WEBRTC_DIRECT_PORT: 'webrtcDirectPort',
  DAK_HTTP_PORT: 'httpPort',
  DAK_RETENTION_DAYS: 'retentionDays',
  DAK_MAX_MESSAGE_DAYS: 'maxMessageDays',
  DAK_FILE_RETENTION_DAYS: 'fileRetentionDays',
  DAK_FILE_QUOTA_BYTES: 'fileQuotaBytesPerDevice',
  DAK_EDIT_WINDOW_MINUTES: 'editWindowMinutes',
  DAK_LOCK_AFTER_MINUTES: 'lockAfterMinutes',
  DAK_AUTO_DOWNLOAD_MB: 'autoDownloadMB',
  DAK_REQUIRE_PIN: 'requirePin',
  DAK_WEB_ROOT: 'webRoot',
  DAK_TLS_CERT: 'tlsCert',
  DAK_TLS_KEY: 'tlsKey',
  DAK_PUBLIC_URL: 'publicUrl',
  DAK_STORE: 'store'
}

function coerce (key: keyof DepartmentConfig, value: unknown, source: string): unknown {
  const expected = typeof DEFAULT_CONFIG[key]
  if (OPTIONAL.has(key)) {
    if (typeof value !== 'string' || value.length === 0) throw new InvalidArgumentError(`${source}: ${key} must be a non-empty string`)
    if (key === 'publicUrl' && !/^https:\/\/[^/]+/.test(value)) throw new InvalidArgumentError(`${source}: publicUrl must be an https:// address`)
    if (key === 'store' && !/^postgres(ql)?:\/\/[^/]+/.test(value)) throw new InvalidArgumentError(`${source}: store must be a postgres:// URL (unset for the embedded store)`)
    return value
  }
  if (key === 'webrtcDirectPort' && value === 'off') return value
  if (expected === 'boolean') {
    // JSON true/false; in the environment 1/0, true/false, yes/no
    if (typeof value === 'boolean') return value
    const word = typeof value === 'string' ? value.trim().toLowerCase() : ''
    if (['1', 'true', 'yes'].includes(word)) return true
    if (['0', 'false', 'no'].includes(word)) return false
    throw new InvalidArgumentError(`${source}: ${key} must be true or false (1/0, yes/no in the environment)`)
  }
  if (expected === 'number') {
    const n = typeof value === 'number' ? value : Number(value)
    if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError(`${source}: ${key} must be a non-negative number${key === 'webrtcDirectPort' ? ' or "off"' : ''}`)
    return n
  }
  if (typeof value !== 'string' || value.length === 0) throw new InvalidArgumentError(`${source}: ${key} must be a non-empty string`)
  return value
}

function apply (config: DepartmentConfig, values: Record<string, unknown>, source: string): void {
  for (const [key, value] of Object.entries(values)) {
    if (!Object.hasOwn(DEFAULT_CONFIG, key) && !OPTIONAL.has(key)) throw new InvalidArgumentError(`${source}: unknown setting "${key}"`)
    if (value === undefined) continue
    ;(config as unknown as Record<string, unknown>)[key] = coerce(key as keyof DepartmentConfig, value, source)
  }
}

/** Defaults, then the config file (JSON), then DAK_* environment variables, then explicit overrides. */
export async function loadConfig (options: { file?: string, env?: Record<string, string | undefined>, overrides?: Partial<DepartmentConfig> } = {}): Promise<DepartmentConfig> {
  const config: DepartmentConfig = { ...DEFAULT_CONFIG }
  if (options.file != null) {
    let parsed: unknown
    try {
      parsed = JSON.parse(await readFile(options.file, 'utf8'))
    } catch (err) {
      throw new InvalidArgumentError(`config file ${options.file}: ${(err as Error).message}`)
    }
    if (typeof parsed !== 'object' || parsed == null || Array.isArray(parsed)) throw new InvalidArgumentError(`config file ${options.file}: expected a JSON object`)
    apply(config, parsed as Record<string, unknown>, `config file ${options.file}`)
  }
  const env = options.env ?? {}
  const fromEnv: Record<string, unknown> = {}
  for (const [name, key] of Object.entries(ENV)) if (env[name] != null && env[name] !== '') fromEnv[key] = env[name]
  apply(config, fromEnv, 'environment')
  apply(config, { ...options.overrides }, 'options')
  if (options.overrides?.publicHost == null && env.DAK_PUBLIC_HOST == null && config.publicHost === DEFAULT_CONFIG.publicHost) config.publicHost = config.host === '0.0.0.0' ? '127.0.0.1' : config.host
  if (config.editWindowMinutes > 7 * 24 * 60) throw new InvalidArgumentError('editWindowMinutes is at most a week (10080)')
  // at least a second once in ms (fractions allowed, e.g. for a test), at most a day (what a device accepts)
  if (!(config.lockAfterMinutes * 60_000 >= 1_000) || config.lockAfterMinutes > 24 * 60) throw new InvalidArgumentError('lockAfterMinutes is more than 0 (at least a second) and at most a day (1440)')
  if (config.autoDownloadMB > 100) throw new InvalidArgumentError('autoDownloadMB is at most 100 (what a device accepts)')
  if ((config.tlsCert == null) !== (config.tlsKey == null)) throw new InvalidArgumentError('tlsCert and tlsKey go together: give both or neither')
  config.dataDir = resolve(config.dataDir)
  if (config.tlsCert != null) config.tlsCert = resolve(config.tlsCert)
  if (config.tlsKey != null) config.tlsKey = resolve(config.tlsKey)
  return config
}
