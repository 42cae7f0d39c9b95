import { numberFlag } from '../args.js'
import type { Run } from '../command.js'
import { UsageError } from '../errors.js'
import { reportPending } from './after-change.js'
import { EXIT } from '../exit-codes.js'
import { messageLine } from '../format.js'
import { formatSize, parseSize } from '../media-type.js'
import { messageText } from '../message-input.js'
import { resolveMessage } from '../message-ref.js'
import { resolveConversation } from '../resolve.js'
import { withSession } from '../session.js'

/**
 * Issue 16 on the command line: edit and delete one's own message, search
 * this device's history, mute a conversation. Edits and deletions go out
 * like any message (the outbox; members offline get them when they catch up).
 */

export const edit: Run = async (ctx) => {
  const [conversationRef, messageRef, argument] = ctx.args.positionals as [string, string, string | undefined]
  const text = await messageText(ctx, argument)
  return await withSession(ctx, 10, async (session) => {
    await session.goOnline()
    const conversation = await resolveConversation(session.messenger, conversationRef)
    const target = await resolveMessage(session.messenger, messageRef, conversation.id)
    const changed = await session.messenger.edit(conversation.id, target.id, text)
    reportPending(session.out, await session.settle())
    session.out.result(changed, `edited: ${messageLine(changed)}`)
    return EXIT.ok
  })
}

export const deleteMessage: Run = async (ctx) => {
  const [conversationRef, messageRef] = ctx.args.positionals as [string, string]
  return await withSession(ctx, 10, async (session) => {
    await session.goOnline()
    const conversation = await resolveConversation(session.messenger, conversationRef)
    const target = await resolveMessage(session.messenger, messageRef, conversation.id)
    const changed = await session.messenger.deleteMessage(conversation.id, target.id)
    reportPending(session.out, await session.settle())
    session.out.result(changed, `deleted for everyone: ${target.id.slice(0, 12)}`)
    return EXIT.ok
  })
}

/** Search on this device only: no network is needed or used (--wait 0 unless given). */
export const search: Run = async (ctx) => {
  const query = (ctx.args.positionals as string[]).join(' ')
  const limit = numberFlag(ctx.args, 'limit', 50, { min: 1, max: 200, integer: true })
  return await withSession(ctx, 0, async (session) => {
    const where = ctx.args.strings.get('in')
    const conversationId = where != null ? (await resolveConversation(session.messenger, where)).id : undefined
    const hits = await session.messenger.search(query, { limit, ...(conversationId != null ? { conversationId } : {}) })
    session.out.result(hits, hits.length === 0 ? `(nothing found for "${query}")` : hits.map(h => `${h.message.id.slice(0, 12)}  ${messageLine(h.message, h.conversationTitle)}`).join('\n'))
    return hits.length === 0 ? EXIT.notFound : EXIT.ok
  })
}

export const mute: Run = async (ctx) => {
  const [conversationRef] = ctx.args.positionals as [string]
  const muted = !ctx.args.booleans.has('off')
  return await withSession(ctx, 0, async (session) => {
    const conversation = await resolveConversation(session.messenger, conversationRef)
    await session.messenger.setMuted(conversation.id, muted)
    session.out.result({ conversationId: conversation.id, muted }, `${conversation.title}: ${muted ? 'muted' : 'not muted'}`)
    return EXIT.ok
  })
}

const SOURCE_TEXT = { officer: 'your choice on this device', department: 'the department\'s setting', default: 'the default' } as const

/** Issue 15: up to which size files are fetched without asking here; the officer's choice wins over the department's (--department goes back to it). */
export const autoDownload: Run = async (ctx) => {
  const [sizeText] = ctx.args.positionals as [string | undefined]
  const followDepartment = ctx.args.booleans.has('department')
  if (sizeText != null && followDepartment) throw new UsageError('give a size or --department, not both')
  const size = sizeText != null ? parseSize(sizeText) : undefined
  if (sizeText != null && size === undefined) throw new UsageError(`"${sizeText}" is not a size: say e.g. 2MB, 500kB, 0 or off`)
  return await withSession(ctx, 0, async (session) => {
    const limit = size !== undefined || followDepartment
      ? await session.messenger.setAutoDownload(size ?? null)
      : await session.messenger.autoDownload()
    const what = limit.bytes === 0 ? 'no file is downloaded without asking' : `files up to ${formatSize(limit.bytes)} are downloaded without asking`
    session.out.result(limit, `${what} (${SOURCE_TEXT[limit.source]})`)
    return EXIT.ok
  })
}
