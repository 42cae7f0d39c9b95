import type { FlagSpec, ParsedArgs } from './args.js'
import type { ExitCode } from './exit-codes.js'
import type { Output } from './output.js'

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
  load: () => Promise<Run>
}

export const GLOBAL_FLAGS: FlagSpec = { data: 'string', json: 'boolean', help: 'boolean' }

/** For every command that opens the device and may go online (see session.ts). */
export const NETWORK_FLAGS: FlagSpec = { wait: 'string', listen: 'list', peer: 'list', mdns: 'boolean' }

export const usageOf = (command: CommandSpec): string => `dak ${command.name}${command.synopsis === '' ? '' : ' ' + command.synopsis}`
