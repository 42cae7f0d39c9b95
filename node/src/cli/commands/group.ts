import type { Run } from '../command.js'
import { UsageError } from '../errors.js'
import { EXIT } from '../exit-codes.js'
import { conversationLine } from '../format.js'
import { resolveConversation } from '../resolve.js'
import { withSession } from '../session.js'
import { freshSummary, reportPending } from './after-change.js'

/**
 * Group conversations. Each change is a membership commit through the
 * conversation's sequencer; like `chat new`, these wait (--wait) for the
 * department node or the members' devices, and leave what could not be done
 * yet in the outbox.
 */

export const groupCreate: Run = async (ctx) => {
  const [title] = ctx.args.positionals
  const members = ctx.args.lists.get('members')
  if (members == null) throw new UsageError(`--members is required: ${ctx.usage}`)
  return await withSession(ctx, 10, async (session) => {
    await session.goOnline({ handles: members })
    const created = await session.messenger.createGroup(title as string, members)
    const pending = await session.settle()
    reportPending(session.out, pending)
    // as it is now: with the members the settled commit added
    const now = await freshSummary(session, created)
    session.out.result({ ...now, pending }, `${now.id}\n${conversationLine(now)}`)
    return EXIT.ok
  })
}

export const groupAdd: Run = async (ctx) => {
  const [reference, ...handles] = ctx.args.positionals
  return await withSession(ctx, 10, async (session) => {
    await session.goOnline({ handles })
    const conversation = await resolveConversation(session.messenger, reference as string)
    await session.messenger.addMembers(conversation.id, handles)
    const pending = await session.settle()
    reportPending(session.out, pending)
    session.out.result({ conversationId: conversation.id, added: handles, pending }, `adding ${handles.join(', ')} to ${conversation.title}`)
    return EXIT.ok
  })
}

export const groupRemove: Run = async (ctx) => {
  const [reference, handle] = ctx.args.positionals as [string, string]
  return await withSession(ctx, 10, async (session) => {
    await session.goOnline()
    const conversation = await resolveConversation(session.messenger, reference)
    if (!conversation.members.some(m => m.handle === handle)) throw new UsageError(`${handle} is not a member of ${conversation.title}`)
    await session.messenger.removeMember(conversation.id, handle)
    const pending = await session.settle()
    reportPending(session.out, pending)
    session.out.result({ conversationId: conversation.id, removed: handle, pending }, `removing ${handle} from ${conversation.title}`)
    return EXIT.ok
  })
}
