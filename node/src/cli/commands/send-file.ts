import { readFile, stat } from 'node:fs/promises'
import { basename } from 'node:path'
import type { MessageState } from '../../messenger/api.js'
import type { Run } from '../command.js'
import { UsageError } from '../errors.js'
import { EXIT } from '../exit-codes.js'
import { formatSize, mediaTypeOf } from '../media-type.js'
import { resolveConversation } from '../resolve.js'
import { withSession } from '../session.js'
import { until } from '../wait.js'

const CONFIRMED = new Set<MessageState>(['stored', 'delivered', 'read'])

/**
 * Send a file (docs/files.md). The device encrypts it and keeps it first,
 * then sends its manifest as a message and uploads the encrypted chunks to
 * the department node. Exit 0 once the message is stored or delivered and
 * the node holds every chunk (or a recipient confirmed it); 3 when either is
 * still on this device only: the next `dak listen` or command that reaches
 * the network finishes it, and until then members fetch it from this device.
 */
export const sendFile: Run = async (ctx) => {
  const [reference, path] = ctx.args.positionals as [string, string]
  const info = await stat(path).catch(() => undefined)
  if (info == null || !info.isFile()) throw new UsageError(`${path} is not a file`)
  const name = ctx.args.strings.get('name') ?? basename(path)
  const mediaType = ctx.args.strings.get('type') ?? mediaTypeOf(path)
  return await withSession(ctx, 30, async (session) => {
    const { messenger, device } = session
    await session.goOnline()
    const conversation = await resolveConversation(messenger, reference)
    const bytes = new Uint8Array(await readFile(path))
    const seen: Array<{ id: string, state: MessageState, previousId?: string }> = []
    let wake = (): void => {}
    const off = messenger.on('message-state', (event) => { seen.push(event); wake() })
    try {
      const message = await messenger.sendFile(conversation.id, { bytes, name, mediaType })
      const fileId = message.attachment?.fileId ?? ''
      let id = message.id
      let state = message.state
      const done = async (): Promise<boolean> => {
        for (const event of seen.splice(0)) {
          if (event.previousId === id) id = event.id
          if (event.id === id) state = event.state
        }
        if (!CONFIRMED.has(state)) return false
        return state !== 'stored' || ((await device.store.files.get(fileId))?.uploadedTo.length ?? 0) > 0
      }
      const confirmed = await until(done, { deadline: session.deadline, signal: session.signal, subscribe: (w) => { wake = w; return () => { wake = () => {} } } })
      const result = { id, fileId, conversationId: conversation.id, conversation: conversation.title, name, mediaType, size: bytes.length, state }
      session.out.result(result, `${confirmed ? state : `queued (${state})`}: ${id}  ${name} (${formatSize(bytes.length)}, ${mediaType})`)
      if (!confirmed) session.out.note('the file is not yet stored at a department node: it stays on this device and goes out with the next `dak listen` or command that reaches the network')
      return confirmed ? EXIT.ok : EXIT.queuedOnly
    } finally {
      off()
    }
  })
}
