import { isPrecedence, PRECEDENCES } from '@dak/protocol'
import type { Precedence } from '../messenger/api.js'
import type { CommandContext } from './command.js'
import { UsageError } from './errors.js'

/**
 * `--precedence flash|immediate|routine` (issue 11 part 4) for `dak send` and
 * `dak directive send`: absent means routine; anything else, including another
 * case, is a usage error (exit 1) before the device opens.
 */
export function precedenceFlag (ctx: CommandContext): Precedence | undefined {
  const value = ctx.args.strings.get('precedence')
  if (value == null) return undefined
  if (!isPrecedence(value)) throw new UsageError(`--precedence is one of ${PRECEDENCES.join(', ')}, not '${value}': ${ctx.usage}`)
  return value
}
