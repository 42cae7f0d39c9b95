import type { MessageState } from '../../messenger/api.js'
import { precedenceFlag } from '../precedence-flag.js'
import type { Run } from '../command.js'
import { EXIT } from '../exit-codes.js'
import { messageText } from '../message-input.js'
import { resolveConversation } from '../resolve.js'
import { resolveMessage } from '../message-ref.js'
import { withSession } from '../session.js'
import { until } from '../wait.js'

/** States that mean someone else holds the message: a department node's store receipt or the recipient's. */
const CONFIRMED = new Set<MessageState>(['stored', 'delivered', 'read'])

/**
 * Send one message (the text from the command line, standard input or
 * --file: message-input.ts). The messenger writes it to disk first, so it is never
 * lost; this command then waits (--wait) for a store or delivery receipt.
 * Exit 0 when one came, EXIT.queuedOnly when the message is only in the
 * outbox (the next `dak listen` or command with the network delivers it).
 */
export const send: Run = async (ctx) => {
  const [reference, argument] = ctx.args.positionals as [string, string | undefined]
  // read and checked before the device opens: a bad message or precedence is refused at once
  const precedence = precedenceFlag(ctx)
  const text = await messageText(ctx, argument)
  return await withSession(ctx, 10, async (session) => {
    const { messenger } = session
    await session.goOnline()
    const conversation = await resolveConversation(messenger, reference)

    // The id changes once, when the message is sealed (previousId): follow it.
    // Events are recorded from before send() so none is missed while it returns.
    const seen: Array<{ id: string, state: MessageState, previousId?: string }> = []
    let wake = (): void => {}
    const off = messenger.on('message-state', (event) => { seen.push(event); wake() })
    try {
      const replyTo = ctx.args.strings.get('reply-to') // issue 16: answer a message, quoting it
      const message = await messenger.send(conversation.id, text, {
        ...(replyTo != null ? { replyTo: (await resolveMessage(messenger, replyTo, conversation.id)).id } : {}),
        ...(precedence != null ? { precedence } : {})
      })
      let id = message.id
      let state = message.state
      const follow = (): boolean => {
        for (const event of seen.splice(0)) {
          if (event.previousId === id) id = event.id
          if (event.id === id) state = event.state
        }
        return CONFIRMED.has(state)
      }
      const confirmed = await until(follow, { deadline: session.deadline, signal: session.signal, subscribe: (w) => { wake = w; return () => { wake = () => {} } } })
      const result = { id, conversationId: conversation.id, conversation: conversation.title, text, sentAt: message.sentAt, state, precedence: precedence ?? 'routine' }
      session.out.result(result, confirmed ? `${state}: ${id}` : `queued (${state}): ${id}`)
      if (!confirmed) session.out.note(`no department node or recipient confirmed the message in time: it stays in the outbox and goes out with the next \`dak listen\` or command that reaches the network`)
      return confirmed ? EXIT.ok : EXIT.queuedOnly
    } finally {
      off()
    }
  })
}
