import type { Run } from '../command.js'
import { EXIT } from '../exit-codes.js'
import { officerLine } from '../format.js'
import { withSession } from '../session.js'

/** Officers this device knows: met on the network, in a conversation, or in the department's directory. */
export const contacts: Run = async (ctx) => {
  return await withSession(ctx, 5, async (session) => {
    await session.goOnline()
    const list = await session.messenger.contacts()
    session.out.result(list, list.length === 0 ? '(no contacts yet)' : list.map(officerLine).join('\n'))
    return EXIT.ok
  })
}
