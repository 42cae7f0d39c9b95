import type { Run } from '../command.js'
import { EXIT } from '../exit-codes.js'
import { conversationLine } from '../format.js'
import { withSession } from '../session.js'

export const conversations: Run = async (ctx) => {
  return await withSession(ctx, 5, async (session) => {
    // online first: catching up may bring Welcomes to conversations this device has not seen
    await session.goOnline()
    const list = await session.messenger.conversations()
    session.out.result(list, list.length === 0 ? '(no conversations yet)' : list.map(conversationLine).join('\n'))
    return EXIT.ok
  })
}
