import { clearLine, createInterface, cursorTo } from 'node:readline'
import type { ChatMessage } from '../../messenger/api.js'
import type { CommandContext, Run } from '../command.js'
import { EXIT, type ExitCode } from '../exit-codes.js'
import { messageLine } from '../format.js'
import { openHost, type Host } from '../host.js'
import { connectRunning } from '../running/client.js'
import { lineSplitter, localRunner, remoteRunner, type CommandRunner } from '../running/runner.js'
import { serveRunningMode, type RunningServer } from '../running/server.js'

/** How many earlier messages the chat shows when it opens (and /history without a number). */
const OPENING_HISTORY = 20
const HELP = '/history [N]  the last N messages (default 20, at most 500)\n/quit         leave the chat (Ctrl-D and Ctrl-C too)'

/**
 * `dak chat CONVERSATION`: a conversation in the terminal. Messages print as
 * they arrive, above the line being typed; each line typed is sent. It is
 * made of the other commands: `history`, `listen --json` (the arriving
 * messages) and `send CONVERSATION -`, run on a device through a
 * CommandRunner — the running dak's when one serves the data directory,
 * else this process's own, which then serves the socket itself so other dak
 * commands work meanwhile.
 */
export const chat: Run = async (ctx) => {
  const [reference] = ctx.args.positionals as [string]
  const probe = await connectRunning(ctx.dataDir)
  probe?.destroy()
  if (probe != null) return await chatWith(ctx, reference, remoteRunner(ctx.dataDir))
  const host = await openHost(ctx)
  let server: RunningServer | undefined
  try {
    server = await serveRunningMode(host, { env: ctx.env, out: ctx.out })
    return await chatWith(ctx, reference, localRunner(host, ctx.env, ctx.dataDir), host)
  } finally {
    await server?.close()
    await host.stop()
  }
}

async function chatWith (ctx: CommandContext, reference: string, runner: CommandRunner, host?: Host): Promise<ExitCode> {
  const tty = process.stdin.isTTY === true && process.stdout.isTTY === true
  const network = networkArgs(ctx)
  const stop = new AbortController()
  const stopOnSignal = (): void => { stop.abort() }
  ctx.signal.addEventListener('abort', stopOnSignal)
  const rl = createInterface({ input: process.stdin, ...(tty ? { output: process.stdout, prompt: '> ' } : {}), terminal: tty })
  let closed = false
  rl.once('close', () => { closed = true })
  // lines typed (or piped) before the conversation is open wait for it
  const early: string[] = []
  let takeLine = (line: string): void => { early.push(line) }
  rl.on('line', (line) => { takeLine(line) })
  // one line at a time above the prompt, which is drawn again with what was typed so far
  const show = (text: string): void => {
    const prompting = tty && !closed
    if (prompting) { clearLine(process.stdout, 0); cursorTo(process.stdout, 0) }
    process.stdout.write(text + '\n')
    if (prompting) rl.prompt(true)
  }
  const json = ctx.out.json
  const showMessage = (message: ChatMessage): void => { show(json ? JSON.stringify({ event: 'message', message }) : messageLine(message)) }
  const showError = (text: string): void => { if (tty) show(text); else process.stderr.write(text + '\n') }

  // arriving messages: `listen --json` on the device, from now until the chat ends (held back until the history is out)
  let conversationId: string | undefined
  const arrivedEarly: ChatMessage[] = []
  const shown = new Set<string>()
  const onEvent = (line: string): void => {
    const event = parseLine(line)
    if (event?.event === 'message') {
      const message = event.message as ChatMessage
      if (conversationId == null) { arrivedEarly.push(message); return }
      if (message.conversationId !== conversationId || message.fromMe || shown.has(message.id)) return
      shown.add(message.id)
      showMessage(message)
    } else if (event?.event === 'conversation-removed' && event.conversationId === conversationId) {
      show(`* ${event.reason === 'left' ? 'you left this conversation' : 'you were removed from this conversation'}: it is read-only now`)
    }
  }
  const listening = runner.run(['listen', '--json', ...network], { onStdout: lineSplitter(onEvent), onStderr: () => {}, signal: stop.signal })
    .then((code) => code, (err: unknown) => { showError(`error: ${describe(err)}`); return EXIT.failed })
  let ended: ExitCode = EXIT.ok
  void listening.then((code) => {
    // the running dak stopped under us: nothing more can be sent or received
    if (!stop.signal.aborted) { showError('the device stopped: leaving the chat'); ended = code === EXIT.ok ? EXIT.failed : code as ExitCode; rl.close() }
  })

  try {
    const opening = await historyOf(runner, reference, OPENING_HISTORY, network, stop.signal)
    if ('error' in opening) { showError(opening.error); ended = opening.code; return ended }
    conversationId = opening.conversationId
    if (!json) show(`— ${opening.title} — ${host != null ? 'on this device' : `through ${runner.where}`}; type a message and Enter to send, /help for commands`)
    for (const message of opening.messages) { shown.add(message.id); showMessage(message) }
    for (const message of arrivedEarly.splice(0)) onEvent(JSON.stringify({ event: 'message', message }))

    // each line typed: sent in order, one after the other
    let sending = Promise.resolve()
    const onLine = async (line: string): Promise<void> => {
      const text = line.trim()
      if (text === '') return
      if (text === '/quit') { rl.close(); return }
      if (text === '/help') { show(HELP); return }
      if (text.startsWith('/history')) {
        const page = await historyOf(runner, conversationId as string, Number(text.split(/\s+/)[1] ?? OPENING_HISTORY), [], stop.signal)
        if ('error' in page) showError(page.error)
        else for (const message of page.messages) showMessage(message)
        return
      }
      if (text.startsWith('/')) { showError(`unknown command ${text.split(/\s+/)[0] ?? ''}: ${HELP}`); return }
      // At a terminal, --wait 0: the message is on disk when send answers and the device delivers it
      // from its outbox while the chat goes on. Piped in, each line waits for its receipt like `dak send`,
      // so a chat that ends with its input has delivered what it was given (or says it could not).
      const wait = tty ? ['--wait', '0'] : (ctx.args.strings.has('wait') ? ['--wait', ctx.args.strings.get('wait') as string] : [])
      const sent = await capture(runner, ['send', conversationId as string, '-', '--json', ...wait], stop.signal, line)
      if (sent.code === EXIT.queuedOnly && !tty) showError(`queued, not yet delivered: ${line.slice(0, 60)}`)
      else if (sent.code !== EXIT.ok && sent.code !== EXIT.queuedOnly) showError(`not sent: ${sent.error ?? `exit ${sent.code}`}`)
    }
    const handle = async (line: string): Promise<void> => {
      await onLine(line)
      if (tty && !closed) rl.prompt(true)
    }
    takeLine = (line) => { sending = sending.then(async () => { await handle(line) }, async () => { await handle(line) }) }
    for (const line of early.splice(0)) takeLine(line)
    rl.on('SIGINT', () => { rl.close() })
    if (tty) rl.prompt()
    await new Promise<void>((resolve) => {
      if (closed) { resolve(); return }
      rl.once('close', resolve)
      stop.signal.addEventListener('abort', () => { rl.close() })
    })
    // what was typed before Ctrl-D is sent before the chat ends
    await sending
    return ended
  } finally {
    ctx.signal.removeEventListener('abort', stopOnSignal)
    rl.close()
    stop.abort()
    await listening
  }
}

type Page = { conversationId: string, title: string, messages: ChatMessage[] } | { error: string, code: ExitCode }

async function historyOf (runner: CommandRunner, reference: string, limit: number, network: string[], signal: AbortSignal): Promise<Page> {
  const result = await capture(runner, ['history', reference, '--json', '--limit', String(Number.isInteger(limit) && limit > 0 ? limit : OPENING_HISTORY), ...network], signal)
  const page = result.lines[0]
  if (result.code !== EXIT.ok || page == null || !Array.isArray(page.messages)) return { error: `error: ${result.error ?? `history exited ${result.code}`}`, code: result.code as ExitCode }
  return { conversationId: page.conversationId as string, title: page.title as string, messages: page.messages as ChatMessage[] }
}

/** Run a command to its end and keep its JSON lines; `error` is its typed error, when it printed one. */
async function capture (runner: CommandRunner, argv: string[], signal: AbortSignal, stdin?: string): Promise<{ code: number, lines: Array<Record<string, unknown>>, error?: string }> {
  const lines: Array<Record<string, unknown>> = []
  let code: number
  try {
    code = await runner.run(argv, { onStdout: lineSplitter((l) => { const v = parseLine(l); if (v != null) lines.push(v) }), onStderr: () => {}, signal, ...(stdin != null ? { stdin } : {}) })
  } catch (err) {
    return { code: EXIT.failed, lines, error: describe(err) }
  }
  const failure = lines.find(l => l.error != null)?.error as { name: string, message: string } | undefined
  return { code, lines, ...(failure != null ? { error: `${failure.name}: ${failure.message}` } : {}) }
}

/** The chat's own network flags, passed on to the commands it runs. */
function networkArgs (ctx: CommandContext): string[] {
  const wait = ctx.args.strings.get('wait')
  const peers = ctx.args.lists.get('peer') ?? []
  return [...(wait != null ? ['--wait', wait] : []), ...(peers.length > 0 ? ['--peer', ...peers] : [])]
}

function parseLine (line: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(line)
    return typeof value === 'object' && value != null ? value as Record<string, unknown> : undefined
  } catch {
    return undefined
  }
}

function describe (err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err)
}
