import type { ConnectionStatus, MessengerEvents } from '../../messenger/api.js'
import type { CommandContext, Run } from '../command.js'
import { EXIT, type ExitCode } from '../exit-codes.js'
import { openHost } from '../host.js'
import { serveRunningMode } from '../running/server.js'
import { revokedMessage } from '../../messenger/closed.js'
import { conversationLine, historyLine, messageLine, statusLine } from '../format.js'
import type { Session } from '../session.js'
import { withSession } from '../session.js'
import { aborted } from '../wait.js'

/**
 * Stay online until SIGINT/SIGTERM: print what arrives as it arrives (one
 * JSON object per line with --json, each with an `event` field), while the
 * messenger delivers the outbox and catches up. The first line is
 * `listening`, with the addresses other devices can dial (--peer).
 * Meanwhile it serves the data directory's socket (running mode): `dak send`,
 * `history` and the rest run here, on this open device, in an instant.
 */
export const listen: Run = async (ctx) => {
  // Run on a device already open (this listen came over a running dak's socket: it prints that
  // process's events), or open it here and serve the socket, so other dak commands run through this one.
  if (ctx.host != null) return await listenOn(ctx)
  const host = await openHost(ctx)
  try {
    const server = await serveRunningMode(host, { env: ctx.env, out: ctx.out })
    try {
      return await listenOn({ ...ctx, host })
    } finally {
      await server?.close()
    }
  } finally {
    await host.stop()
  }
}

async function listenOn (ctx: CommandContext): Promise<ExitCode> {
  return await withSession(ctx, 10, async (session) => {
    const { messenger, device } = session
    const me = messenger.whoami()
    const addresses = device.libp2p.getMultiaddrs().map(a => a.toString())
    session.out.result({ event: 'listening', handle: me.handle, peerId: device.libp2p.peerId.toString(), addresses },
      `listening as ${me.handle} on ${addresses.join(' ')}`)
    const off = printEvents(session)
    const stopDialling = session.keepConnected()
    try {
      await session.goOnline()
      await Promise.race([aborted(session.signal), session.wiped])
    } finally {
      stopDialling()
      off()
    }
    return EXIT.ok
  })
}

function printEvents (session: Session): () => void {
  const { messenger, out } = session
  const titles = new Map<string, string>()
  const titleOf = async (conversationId: string): Promise<string> => {
    if (!titles.has(conversationId)) for (const c of await messenger.conversations()) titles.set(c.id, c.title)
    return titles.get(conversationId) ?? conversationId
  }
  // one chain, so lines come out in the order the events did even when a title must be looked up
  let printing = Promise.resolve()
  const print = (line: () => Promise<void> | void): void => { printing = printing.then(line).catch(() => undefined) }
  // notices go to stderr in text mode so stdout carries only messages and conversations
  const notice = (value: unknown, text: string): void => { out.json ? out.result(value, text) : out.note(text) }
  let lastStatus = ''

  const handlers: { [K in keyof MessengerEvents]: (detail: MessengerEvents[K]) => void } = {
    message: (message) => { print(async () => { const conversation = await titleOf(message.conversationId); out.result({ event: 'message', conversation, message }, messageLine(message, conversation)) }) },
    'message-state': (detail) => { print(() => { notice({ event: 'message-state', ...detail }, `message ${detail.id.slice(0, 12)} ${detail.state}`) }) },
    conversation: (conversation) => { titles.set(conversation.id, conversation.title); print(() => { out.result({ event: 'conversation', conversation }, conversationLine(conversation)) }) },
    'conversation-removed': (detail) => { print(() => { notice({ event: 'conversation-removed', ...detail }, `${detail.conversationId}: ${detail.reason === 'left' ? 'you left' : 'you were removed'}`) }) },
    status: (status: ConnectionStatus) => {
      // the messenger reports status after every outbox pass: print changes only
      const key = JSON.stringify(status)
      if (key === lastStatus) return
      lastStatus = key
      print(() => { notice({ event: 'status', status }, statusLine(status)) })
    },
    revoked: (detail) => { print(() => { notice({ event: 'revoked', ...detail }, revokedMessage(detail)) }) },
    'messages-expired': (detail) => { print(() => { notice({ event: 'messages-expired', ...detail }, `${detail.ids.length} message(s) disappeared (timer)`) }) },
    'file-progress': (p) => { if (p.state !== 'downloading') print(() => { notice({ event: 'file-progress', ...p }, `file ${p.fileId.slice(0, 12)} ${p.state}${p.error != null ? `: ${p.error.message}` : ''}`) }) },
    sync: (sync) => { if (sync.finished) print(() => { notice({ event: 'sync', ...sync }, `caught up: ${sync.done} envelope(s)`) }) },
    // issue 16
    'message-changed': (message) => { print(async () => { const conversation = await titleOf(message.conversationId); out.result({ event: 'message-changed', conversation, message }, messageLine(message, conversation)) }) },
    'directive-reminder': (detail) => {
      print(() => { notice({ event: 'directive-reminder', ...detail }, `reminder: directive ${detail.id.slice(0, 12)} is due ${new Date(detail.deadline).toISOString()}${detail.pending != null ? `; not yet acknowledged by ${detail.pending.map(o => o.displayName).join(', ')}` : ': acknowledge it with dak directive ack'}`) })
    },
    // linked devices: the history of a conversation coming from, or going to, another device of this officer
    'history-transfer': (t) => { print(async () => { notice({ event: 'history-transfer', ...t }, historyLine(t, await titleOf(t.conversationId))) }) },
    'history-sent': (s) => { print(async () => { notice({ event: 'history-sent', ...s }, `${await titleOf(s.conversationId)}: history (${s.messages} message(s), ${s.parts} part(s)) queued for your device ${s.device.slice(0, 12)}`) }) },
    // text mode: the session already notes errors on stderr
    error: (error) => { if (out.json) print(() => { out.result({ event: 'error', error }, '') }) }
  }
  const subscribe = <K extends keyof MessengerEvents>(name: K): () => void => messenger.on(name, handlers[name])
  const offs = (Object.keys(handlers) as Array<keyof MessengerEvents>).map(subscribe)
  return () => { for (const off of offs) off() }
}
