import type { Run } from '../command.js'
import { EXIT } from '../exit-codes.js'
import { withSession } from '../session.js'

/** Compare these digits with the other officer, in person or on a call you trust. */
export const safetyNumber: Run = async (ctx) => {
  const [handle] = ctx.args.positionals as [string]
  return await withSession(ctx, 5, async (session) => {
    await session.goOnline()
    const number = await session.messenger.safetyNumber(handle)
    session.out.result({ handle, ...number }, number.digits)
    return EXIT.ok
  })
}
