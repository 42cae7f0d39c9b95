import { mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { homedir } from 'node:os'
import { join } from 'node:path'
import { BadConfigError } from './errors.js'

/**
 * The data directory: DIR/db is the device's classic-level store (identity,
 * conversations, outbox), DIR/config.json says how to reach the network.
 * `dak init` writes the config; a device provisioned another way (a LAN with
 * no department node) may have none, and then the defaults apply.
 */

export interface DakConfig {
  /** The department node's web address (enrolment and node info). */
  nodeUrl?: string
  /** The department the device enrolled with, for display. */
  department?: string
  /** Department nodes to dial at start: multiaddrs ending in /p2p/<peer id>. */
  bootstrap: string[]
  /** Where this device listens for peers. Port 0: the OS picks a free port each run. */
  listen: string[]
  /** Find officers on the LAN with mDNS (on unless turned off: see checkConfig). */
  mdns: boolean
  /** CONFIG_VERSION when written by this `dak`; absent in configs written before mDNS was on by default. */
  version?: number
}

/**
 * 2: mDNS is on by default. Version 1 configs (no `version` field) said
 * `"mdns": false` because that was `dak init`'s default, not because the
 * officer chose it, so their `false` is read as "not set" (on).
 */
export const CONFIG_VERSION = 2

export const DEFAULT_LISTEN = ['/ip4/0.0.0.0/tcp/0']
/** Overrides config.listen (comma-separated): tests bind to 127.0.0.1 with it. */
export const LISTEN_ENV = 'DAK_LISTEN'
export const DATA_ENV = 'DAK_DATA'
/** Overrides the mDNS service name: devices find only devices with the same one (tests keep their devices apart with it). */
export const MDNS_SERVICE_ENV = 'DAK_MDNS_SERVICE'

export function defaultConfig (): DakConfig {
  return { bootstrap: [], listen: [...DEFAULT_LISTEN], mdns: true }
}

/** --data, else $DAK_DATA, else ~/.dak. */
export function resolveDataDir (flag: string | undefined, env: NodeJS.ProcessEnv): string {
  return flag ?? env[DATA_ENV] ?? join(homedir(), '.dak')
}

export const dbPath = (dir: string): string => join(dir, 'db')
const configPath = (dir: string): string => join(dir, 'config.json')

export async function readConfig (dir: string): Promise<DakConfig> {
  let text: string
  try {
    text = await readFile(configPath(dir), 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return defaultConfig()
    throw err
  }
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    throw new BadConfigError(`${configPath(dir)} is not JSON`)
  }
  return checkConfig(json, configPath(dir))
}

export async function writeConfig (dir: string, config: DakConfig): Promise<void> {
  await mkdir(dir, { recursive: true })
  // write then rename, so a crash never leaves half a config behind
  const temporary = configPath(dir) + '.tmp'
  await writeFile(temporary, JSON.stringify({ version: CONFIG_VERSION, ...config }, null, 2) + '\n', { mode: 0o600 })
  await rename(temporary, configPath(dir))
}

function checkConfig (json: unknown, where: string): DakConfig {
  if (typeof json !== 'object' || json == null || Array.isArray(json)) throw new BadConfigError(`${where}: not an object`)
  const o = json as Record<string, unknown>
  const strings = (key: string, fallback: string[]): string[] => {
    const value = o[key]
    if (value == null) return fallback
    if (!Array.isArray(value) || !value.every(v => typeof v === 'string')) throw new BadConfigError(`${where}: ${key} must be a list of multiaddrs`)
    return value as string[]
  }
  const text = (key: string): string | undefined => {
    const value = o[key]
    if (value == null) return undefined
    if (typeof value !== 'string') throw new BadConfigError(`${where}: ${key} must be a string`)
    return value
  }
  if (o.mdns != null && typeof o.mdns !== 'boolean') throw new BadConfigError(`${where}: mdns must be true or false`)
  if (o.version != null && (typeof o.version !== 'number' || !Number.isSafeInteger(o.version) || o.version < 1)) throw new BadConfigError(`${where}: version must be a whole number`)
  const version = o.version as number | undefined
  // a version 1 config's false was the old default, not a choice (see CONFIG_VERSION)
  const mdns = o.mdns == null || (version == null && o.mdns === false) ? true : o.mdns as boolean
  const nodeUrl = text('nodeUrl')
  const department = text('department')
  return {
    ...(nodeUrl != null ? { nodeUrl } : {}),
    ...(department != null ? { department } : {}),
    bootstrap: strings('bootstrap', []),
    listen: strings('listen', [...DEFAULT_LISTEN]),
    mdns,
    ...(version != null ? { version } : {})
  }
}
