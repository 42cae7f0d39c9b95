import type { Run } from '../command.js'
import { UsageError } from '../errors.js'
import { EXIT } from '../exit-codes.js'
import { conversationLine } from '../format.js'
import { withSession } from '../session.js'
import { freshSummary, reportPending } from './after-change.js'

/**
 * Start (or find) the 1:1 conversation with an officer. Adding them needs a
 * key package, from the department node or their connected device, so this
 * waits (--wait) for one of those; what could not be done yet stays in the
 * outbox for the next command or `dak listen`.
 */
export const chatNew: Run = async (ctx) => {
  const handle = ctx.args.strings.get('with')
  if (handle == null) throw new UsageError(`--with is required: ${ctx.usage}`)
  return await withSession(ctx, 10, async (session) => {
    await session.goOnline({ handles: [handle] })
    const created = await session.messenger.startDirect(handle)
    const pending = await session.settle()
    reportPending(session.out, pending)
    // as it is now: with the members the settled commit added
    const now = await freshSummary(session, created)
    session.out.result({ ...now, pending }, `${now.id}\n${conversationLine(now)}`)
    return EXIT.ok
  })
}
