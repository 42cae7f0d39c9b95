import type { FlagSpec, ParsedArgs } from './args.js'
import type { ExitCode } from './exit-codes.js'
import type { Output } from './output.js'
import type { Host } from './host.js'

/**
 * Where a command's input comes from and its output goes: this process's own
 * stdin/stdout/stderr, or (running mode, running/server.ts) those of a `dak`
 * process connected over the data directory's socket.
 */
export interface CommandIO {
  stdout: (text: string) => void
  stderr: (text: string) => void
  stdin: InputSource
  /** The caller's working directory: relative paths (--file) are resolved against it. */
  cwd: string
}

export interface InputSource {
  /** A terminal: nothing is read from it unless asked for with `-`. */
  isTTY: boolean
  /** Everything on standard input, but never more than `maxBytes` + 1 bytes (so "too long" can be told apart). */
  read: (maxBytes: number) => Promise<Uint8Array>
}

/** What every command gets from dispatch.ts. */
export interface CommandContext {
  args: ParsedArgs
  out: Output
  dataDir: string
  env: NodeJS.ProcessEnv
  /** Aborts on SIGINT/SIGTERM: waits end early and the device is stopped cleanly. */
  signal: AbortSignal
  /** `dak <name> <synopsis>`, for usage errors. */
  usage: string
  io: CommandIO
  /**
   * The device a running `dak listen` or `dak chat` already has open, when
   * the command runs inside that process for a client on the socket; absent
   * when the command opens the device itself (session.ts).
   */
  host?: Host
}

export type Run = (ctx: CommandContext) => Promise<ExitCode>

/**
 * A command as help and the parser see it. The implementation is loaded only
 * when the command runs: libp2p and the protocol take seconds to load, and
 * `dak --help` or a usage error should not wait for them.
 */
export interface CommandSpec {
  /** As typed: 'send', 'chat new'. */
  name: string
  /** The argument synopsis after the name. */
  synopsis: string
  summary: string
  /** Flags beyond the global ones (--data, --json, --help). */
  flags: FlagSpec
  /** How many positional arguments it takes: checked before the implementation loads. */
  arity: [min: number, max: number]
  /** Flags it cannot do without. */
  required?: string[]
  /** Runs in the calling process even while a `dak listen` serves the data directory (init, the interactive chat). */
  local?: true
  load: () => Promise<Run>
}

/** --passphrase-file and --no-passphrase: the storage key's passphrase (passphrase.ts, device-key.ts) for any command that opens the device. */
export const GLOBAL_FLAGS: FlagSpec = { data: 'string', json: 'boolean', help: 'boolean', 'passphrase-file': 'string', 'no-passphrase': 'boolean' }

/** For every command that opens the device and may go online (see session.ts). */
export const NETWORK_FLAGS: FlagSpec = { wait: 'string', listen: 'list', peer: 'list', mdns: 'boolean', 'no-mdns': 'boolean' }

export const usageOf = (command: CommandSpec): string => `dak ${command.name}${command.synopsis === '' ? '' : ' ' + command.synopsis}`
