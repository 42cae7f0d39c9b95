import { MAX_HISTORY_LIMIT } from '../../storage/constants.js'
import { numberFlag } from '../args.js'
import type { Run } from '../command.js'
import { EXIT } from '../exit-codes.js'
import { messageLine } from '../format.js'
import { resolveConversation } from '../resolve.js'
import { withSession } from '../session.js'

/**
 * Oldest first, the last --limit messages (1 to 500: one page of the store); catching up from a
 * department node first when one is configured. Exit EXIT.notUpToDate (7), with the reason on
 * stderr, when it could not: the messages shown are then only what the device already had.
 */
export const history: Run = async (ctx) => {
  const [reference] = ctx.args.positionals as [string]
  const limit = numberFlag(ctx.args, 'limit', 50, { min: 1, max: MAX_HISTORY_LIMIT, integer: true })
  return await withSession(ctx, 5, async (session) => {
    await session.goOnline()
    const conversation = await resolveConversation(session.messenger, reference)
    const page = await session.messenger.history(conversation.id, { limit })
    // messages known to be sent and not arrived (a store dropped or withheld them): said after the history, until they come
    const missing = conversation.missing ?? []
    // attachments: whether this device holds the file yet (docs/files.md)
    const held = new Map<string, boolean>()
    for (const m of page.messages) if (m.attachment != null && !m.fromMe) held.set(m.id, (await session.messenger.fileStatus(m.id)).state === 'complete')
    const fileNote = (id: string): string => held.has(id) ? (held.get(id) === true ? ' (downloaded)' : ' (not downloaded: dak download ' + id.slice(0, 12) + ')') : ''
    const ids = ctx.args.booleans.has('ids')
    // linked devices: earlier messages still on their way from another device of this officer
    const transfer = (await session.messenger.historyTransfers()).find(t => t.conversationId === conversation.id && !t.complete)
    const transferNote = transfer == null ? [] : [`* earlier messages are still coming from your device ${transfer.device.slice(0, 12)}${transfer.parts != null ? `: part ${transfer.received} of ${transfer.parts}` : ''}`]
    const lines = [...page.messages.map(m => (ids ? `${m.id.slice(0, 12).padEnd(12)}  ` : '') + messageLine(m) + fileNote(m.id)), ...missing.map(m => `* ${m.text}`), ...transferNote]
    // issue 11: a history read on a dead link must not pass for the whole conversation
    const freshness = session.upToDate()
    session.out.result({ conversationId: conversation.id, title: conversation.title, ...page, missing, upToDate: freshness.upToDate, ...(transfer != null ? { historyTransfer: transfer } : {}) },
      lines.length === 0 ? `(no messages in ${conversation.title})` : lines.join('\n'))
    if (!freshness.upToDate) {
      session.out.note(`not up to date: ${freshness.why}. These are the messages this device already had; there may be newer ones.`)
      return EXIT.notUpToDate
    }
    return EXIT.ok
  })
}
