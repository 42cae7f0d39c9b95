import { readFile, stat } from 'node:fs/promises'
import { resolve } from 'node:path'
import { MAX_TEXT_BYTES } from '@dak/protocol'
import type { CommandContext } from './command.js'
import { MessageTooLongError, UsageError } from './errors.js'

/**
 * The text of `dak send`: the TEXT argument; standard input with `-`, or when
 * no TEXT is given and stdin is not a terminal (`echo hi | dak send Bala`); or
 * --file PATH. A shell refuses an argument of a megabyte ("Argument list too
 * long"); stdin and --file have no such limit, so the protocol's own limit
 * (MAX_TEXT_BYTES of UTF-8) is checked here, with a typed error, before
 * anything is written to the outbox. One trailing newline of stdin or a file
 * is dropped: `echo` and editors add it, no one means it.
 */
export async function messageText (ctx: CommandContext, text: string | undefined): Promise<string> {
  const file = ctx.args.strings.get('file')
  if (file != null && text != null) throw new UsageError(`give the message as TEXT, as - (standard input) or with --file, not two of them: ${ctx.usage}`)
  let message: string
  if (file != null) {
    message = dropNewline(decode(await readMessageFile(resolve(ctx.io.cwd, file)), `--file ${file}`))
  } else if (text === '-' || (text == null && !ctx.io.stdin.isTTY)) {
    // room for the trailing newline (\r\n) that is dropped
    const bytes = await ctx.io.stdin.read(MAX_TEXT_BYTES + 2)
    if (bytes.length > MAX_TEXT_BYTES + 2) throw tooLong(`the message on standard input is over ${MAX_TEXT_BYTES} bytes`)
    message = dropNewline(decode(bytes, 'standard input'))
  } else if (text == null) {
    throw new UsageError(`no message: ${ctx.usage} (or pipe it in, or --file PATH)`)
  } else {
    message = text
  }
  if (message === '') throw new UsageError('the message is empty: there is nothing to send')
  const size = Buffer.byteLength(message, 'utf8')
  if (size > MAX_TEXT_BYTES) throw tooLong(`the message is ${size} bytes`)
  return message
}

async function readMessageFile (path: string): Promise<Uint8Array> {
  try {
    // a file too big is refused by its size, unread
    const { size } = await stat(path)
    if (size > MAX_TEXT_BYTES + 2) throw tooLong(`${path} is ${size} bytes`)
    return await readFile(path)
  } catch (err) {
    if (err instanceof MessageTooLongError) throw err
    throw new UsageError(`cannot read --file ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`)
  }
}

function tooLong (what: string): MessageTooLongError {
  return new MessageTooLongError(`${what}; one message holds at most ${MAX_TEXT_BYTES} bytes (${MAX_TEXT_BYTES / 1024} KiB) of text: split it, or share the document another way`)
}

function decode (bytes: Uint8Array, where: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    throw new UsageError(`${where} is not UTF-8 text`)
  }
}

function dropNewline (text: string): string {
  return text.endsWith('\r\n') ? text.slice(0, -2) : text.endsWith('\n') ? text.slice(0, -1) : text
}
