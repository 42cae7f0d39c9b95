import { parseArgs } from './args.js'
import { GLOBAL_FLAGS, usageOf, type CommandSpec } from './command.js'
import { COMMANDS } from './commands/index.js'
import { resolveDataDir } from './config.js'
import { exitCodeFor, UsageError } from './errors.js'
import { EXIT, type ExitCode } from './exit-codes.js'
import { helpText } from './help.js'
import { createOutput } from './output.js'

/**
 * Find the command (one or two words), parse its flags, run it, and turn
 * whatever it throws into a printed typed error and a documented exit code.
 * Global flags (--data, --json, --help) may come before the command name;
 * every other flag comes after it.
 */
export async function runDak (argv: string[], env: NodeJS.ProcessEnv, signal: AbortSignal): Promise<ExitCode> {
  // known before parsing, so even a usage error comes out as JSON
  const out = createOutput(argv.includes('--json'))
  try {
    const { command, rest, word } = splitCommand(argv)
    if (command == null) {
      const text = helpText(COMMANDS)
      if (word === 'help' || (word == null && rest.includes('--help'))) { process.stdout.write(text + '\n'); return EXIT.ok }
      if (word == null) { process.stderr.write(text + '\n'); return EXIT.usage }
      throw new UsageError(`unknown command "${word}" (dak --help lists them)`)
    }
    const args = parseArgs(rest, { ...GLOBAL_FLAGS, ...command.flags })
    if (args.booleans.has('help')) {
      process.stdout.write(`usage: ${usageOf(command)}\n${command.summary}\n`)
      return EXIT.ok
    }
    const [min, max] = command.arity
    if (args.positionals.length < min || args.positionals.length > max) throw new UsageError(`usage: ${usageOf(command)}`)
    for (const flag of command.required ?? []) if (!args.strings.has(flag) && !args.lists.has(flag)) throw new UsageError(`--${flag} is required: ${usageOf(command)}`)
    const run = await command.load()
    return await run({ args, out, dataDir: resolveDataDir(args.strings.get('data'), env), env, signal, usage: usageOf(command) })
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
