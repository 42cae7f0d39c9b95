import { UsageError } from './errors.js'

/**
 * A small argument parser for `dak`. node:util's parseArgs cannot take a list
 * after one flag (`--members asha bala`), which the group commands want, so
 * the CLI has its own: flags are declared per command, `--flag=value` and
 * `--flag value` both work, and anything undeclared is a usage error.
 */

export type FlagKind = 'string' | 'boolean' | 'list'
export type FlagSpec = Record<string, FlagKind>

export interface ParsedArgs {
  positionals: string[]
  strings: Map<string, string>
  booleans: Set<string>
  lists: Map<string, string[]>
}

export function parseArgs (argv: readonly string[], spec: FlagSpec): ParsedArgs {
  const parsed: ParsedArgs = { positionals: [], strings: new Map(), booleans: new Set(), lists: new Map() }
  let onlyPositionals = false
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i] as string
    if (onlyPositionals || !token.startsWith('--') || token === '--') {
      if (token === '--' && !onlyPositionals) { onlyPositionals = true; continue }
      parsed.positionals.push(token)
      continue
    }
    const eq = token.indexOf('=')
    const name = token.slice(2, eq === -1 ? undefined : eq)
    const inline = eq === -1 ? undefined : token.slice(eq + 1)
    const kind = spec[name]
    if (kind == null) throw new UsageError(`unknown option --${name}`)
    if (kind === 'boolean') {
      if (inline != null) throw new UsageError(`--${name} takes no value`)
      parsed.booleans.add(name)
      continue
    }
    if (kind === 'string') {
      const value = inline ?? argv[++i]
      if (value == null || (inline == null && value.startsWith('--'))) throw new UsageError(`--${name} needs a value`)
      parsed.strings.set(name, value)
      continue
    }
    // a list: an inline value (comma-separated), else every following token up to the next flag
    const values = parsed.lists.get(name) ?? []
    if (inline != null) {
      values.push(...inline.split(',').filter(v => v !== ''))
    } else {
      while (i + 1 < argv.length && !(argv[i + 1] as string).startsWith('--')) values.push(argv[++i] as string)
    }
    if (values.length === 0) throw new UsageError(`--${name} needs at least one value`)
    parsed.lists.set(name, values)
  }
  return parsed
}

/** A non-negative number (whole when `integer`), at least `min` and at most `max`, or a usage error naming the flag. */
export function numberFlag (args: ParsedArgs, name: string, fallback: number, options: { min?: number, max?: number, integer?: boolean } = {}): number {
  const text = args.strings.get(name)
  if (text == null) return fallback
  const pattern = options.integer === true ? /^\d+$/ : /^\d+(\.\d+)?$/
  if (!pattern.test(text)) throw new UsageError(`--${name} must be a ${options.integer === true ? 'whole ' : ''}number, got "${text}"`)
  const value = Number(text)
  if (value < (options.min ?? 0)) throw new UsageError(`--${name} must be at least ${options.min ?? 0}`)
  if (options.max != null && value > options.max) throw new UsageError(`--${name} must be at most ${options.max}, got ${text}`)
  return value
}
