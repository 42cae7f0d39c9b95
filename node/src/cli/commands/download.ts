import { rename, stat, writeFile } from 'node:fs/promises'
import type { ChatMessage } from '../../messenger/api.js'
import type { DakMessenger } from '../../messenger/messenger.js'
import { MAX_HISTORY_LIMIT } from '../../storage/constants.js'
import type { Run } from '../command.js'
import { UsageError } from '../errors.js'
import { EXIT } from '../exit-codes.js'
import { formatSize, safeFileName } from '../media-type.js'
import { withSession } from '../session.js'

/** Shortest message-id prefix accepted: 8 hex digits name one message among thousands. */
const MIN_PREFIX = 8
/** Progress lines on stderr: at most one per this long. */
const PROGRESS_EVERY_MS = 1_000

/** The file message named by a full id or a unique prefix of one (as `dak history` prints it). */
async function findFileMessage (messenger: DakMessenger, reference: string): Promise<ChatMessage> {
  const prefix = reference.toLowerCase()
  if (!/^[0-9a-f]+$/.test(prefix) || prefix.length < MIN_PREFIX) throw new UsageError(`a message id is at least ${MIN_PREFIX} hex digits (dak history shows them beside each file)`)
  const found: ChatMessage[] = []
  for (const conversation of await messenger.conversations()) {
    const page = await messenger.history(conversation.id, { limit: MAX_HISTORY_LIMIT })
    found.push(...page.messages.filter(m => m.attachment != null && m.id.startsWith(prefix)))
  }
  if (found.length === 0) throw new UsageError(`no file message ${reference} on this device`)
  if (found.length > 1) throw new UsageError(`${reference} names ${found.length} file messages: give more digits`)
  return found[0]!
}

/**
 * Fetch a message's file (docs/files.md) from whoever holds it, resuming
 * from the chunks this device kept last time, with progress on stderr; it is
 * checked against its manifest and decrypted, then written to --out (or the
 * file's own name in the current directory). An existing file is never
 * overwritten. Exit 0 when saved, 2 when it could not be fetched whole
 * (FileUnavailableError: what arrived is kept for the next try).
 */
export const download: Run = async (ctx) => {
  const [reference] = ctx.args.positionals as [string]
  return await withSession(ctx, 120, async (session) => {
    const { messenger, out } = session
    await session.goOnline()
    const message = await findFileMessage(messenger, reference)
    const attachment = message.attachment!
    const path = ctx.args.strings.get('out') ?? safeFileName(attachment.name)
    if (await stat(path).then(() => true, () => false)) throw new UsageError(`${path} exists: give another --out`)
    let lastNote = 0
    const off = messenger.on('file-progress', (p) => {
      if (p.messageId !== message.id || p.state !== 'downloading' || Date.now() - lastNote < PROGRESS_EVERY_MS) return
      lastNote = Date.now()
      out.note(`${attachment.name}: ${Math.floor(100 * p.held / p.total)}% (${p.held}/${p.total} chunks)`)
    })
    const timeout = AbortSignal.timeout(Math.max(1, session.deadline - Date.now()))
    try {
      const file = await messenger.download(message.id, { signal: AbortSignal.any([session.signal, timeout]) })
      const partial = `${path}.part`
      await writeFile(partial, file.bytes, { flag: 'wx', mode: 0o600 })
      await rename(partial, path)
      out.result({ id: message.id, fileId: attachment.fileId, name: file.name, mediaType: file.mediaType, size: file.bytes.length, path }, `saved ${path} (${formatSize(file.bytes.length)}, ${file.mediaType})`)
      return EXIT.ok
    } finally {
      off()
    }
  })
}
