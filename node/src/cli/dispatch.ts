import { parseArgs } from './args.js'
import { GLOBAL_FLAGS, usageOf, type CommandIO, type CommandSpec } from './command.js'
import { COMMANDS } from './commands/index.js'
import { resolveDataDir } from './config.js'
import { exitCodeFor, UsageError } from './errors.js'
import { EXIT, type ExitCode } from './exit-codes.js'
import { helpText } from './help.js'
import type { Host } from './host.js'
import { processIO } from './io.js'
import { createOutput } from './output.js'
import { connectRunning, runThere } from './running/client.js'

export interface RunOptions {
  /** Where input comes from and output goes (default: this process's streams). */
  io?: CommandIO
  /** Run on this already open device (a command that came over the running-mode socket). */
  host?: Host
  /** The data directory as the client named it, for what the command prints. */
  dataDir?: string
}

/**
 * Find the command (one or two words), parse its flags, run it, and turn
 * whatever it throws into a printed typed error and a documented exit code.
 * Global flags (--data, --json, --help) may come before the command name;
 * every other flag comes after it. When a `dak listen` or `dak chat` serves
 * the data directory, the command line is sent there and runs on its open
 * device (running mode: running/); usage errors are still answered here.
 */
export async function runDak (argv: string[], env: NodeJS.ProcessEnv, signal: AbortSignal, options: RunOptions = {}): Promise<ExitCode> {
  const io = options.io ?? processIO()
  // known before parsing, so even a usage error comes out as JSON
  const out = createOutput(argv.includes('--json'), (l) => { io.stdout(l + '\n') }, (l) => { io.stderr(l + '\n') })
  try {
    const { command, rest, word } = splitCommand(argv)
    if (command == null) {
      const text = helpText(COMMANDS)
      if (word === 'help' || (word == null && rest.includes('--help'))) { io.stdout(text + '\n'); return EXIT.ok }
      if (word == null) { io.stderr(text + '\n'); return EXIT.usage }
      throw new UsageError(`unknown command "${word}" (dak --help lists them)`)
    }
    const args = parseArgs(rest, { ...GLOBAL_FLAGS, ...command.flags })
    if (args.booleans.has('help')) {
      io.stdout(`usage: ${usageOf(command)}\n${command.summary}\n`)
      return EXIT.ok
    }
    const [min, max] = command.arity
    if (args.positionals.length < min || args.positionals.length > max) throw new UsageError(`usage: ${usageOf(command)}`)
    for (const flag of command.required ?? []) if (!args.strings.has(flag) && !args.lists.has(flag)) throw new UsageError(`--${flag} is required: ${usageOf(command)}`)
    const dataDir = options.dataDir ?? resolveDataDir(args.strings.get('data'), env)
    if (options.host != null && command.local === true) throw new UsageError(`dak ${command.name} runs in its own process, not in a running dak`)
    if (options.host == null && command.local !== true) {
      const socket = await connectRunning(dataDir)
      if (socket != null) return await runThere(socket, { argv, dataDir }, io, signal) as ExitCode
    }
    const run = await command.load()
    return await run({ args, out, dataDir, env, signal, usage: usageOf(command), io, ...(options.host != null ? { host: options.host } : {}) })
  } catch (err) {
    out.error(err)
    return exitCodeFor(err)
  }
}

/** The command named by the first bare words (after any global flags), and every other argument. */
function splitCommand (argv: string[]): { command?: CommandSpec, rest: string[], word?: string } {
  let i = 0
  while (i < argv.length && (argv[i] as string).startsWith('--')) {
    const flag = argv[i] as string
    i += GLOBAL_FLAGS[flag.slice(2)] === 'string' && !flag.includes('=') ? 2 : 1
  }
  const before = argv.slice(0, i)
  const [first, second] = [argv[i], argv[i + 1]]
  const two = COMMANDS.find(c => c.name === `${first ?? ''} ${second ?? ''}`)
  if (two != null) return { command: two, rest: [...before, ...argv.slice(i + 2)] }
  const one = COMMANDS.find(c => c.name === first)
  if (one != null) return { command: one, rest: [...before, ...argv.slice(i + 1)] }
  if (first != null && COMMANDS.some(c => c.name.startsWith(first + ' '))) {
    throw new UsageError(`"${first}" needs a subcommand: ${COMMANDS.filter(c => c.name.startsWith(first + ' ')).map(c => c.name).join(', ')}`)
  }
  return { rest: argv, ...(first != null ? { word: first } : {}) }
}
