import { chmod, unlink } from 'node:fs/promises'
import { createServer, type Server, type Socket } from 'node:net'
import type { CommandIO } from '../command.js'
import { runDak } from '../dispatch.js'
import { EXIT } from '../exit-codes.js'
import type { Host } from '../host.js'
import type { Output } from '../output.js'
import { checkRunRequest, encodeFrame, FrameReader, MAX_FRAME_BYTES, outputFrames, type RunRequest, type ServerFrame } from './frames.js'
import { prepareSocketDir, removeStaleSocket, runningModeUnsupported } from './socket-path.js'

/**
 * Running mode, the serving side: while `dak listen` or `dak chat` has the
 * device open, other `dak` commands on the same data directory connect to
 * DIR/run/dak.sock and send their command line. Each runs here through the
 * same dispatch as on the command line, on this process's open device
 * (CommandContext.host), with its output, its stdin when it asks for it, and
 * its exit code carried over the socket (frames.ts). So a command behaves the
 * same either way, without the seconds of opening the store and the network.
 */

export interface RunningServer {
  path: string
  /** Stop accepting, stop the commands still running (as a signal would) and wait for them, remove the socket. */
  close: () => Promise<void>
}

/** A client has this long to send its command line. */
const REQUEST_TIMEOUT_MS = 10_000
/** How long close() lets aborted commands finish (they stop their waits at once). */
const DRAIN_MS = 15_000

/**
 * Serve the data directory's socket. Returns undefined (after saying why on
 * stderr) when running mode cannot be offered here — the caller goes on
 * without it, as `dak listen` did before running mode.
 */
export async function serveRunningMode (host: Host, options: { env: NodeJS.ProcessEnv, out: Output }): Promise<RunningServer | undefined> {
  const unsupported = runningModeUnsupported(host.dataDir)
  if (unsupported != null) { options.out.note(`note: other dak commands cannot use this process: ${unsupported}`); return undefined }
  let path: string
  try {
    path = await prepareSocketDir(host.dataDir)
    // this process holds the database lock, so any socket left here is a dead process's
    await removeStaleSocket(host.dataDir)
  } catch (err) {
    options.out.note(`warning: other dak commands cannot use this process: ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`)
    return undefined
  }
  const running = new Set<{ abort: () => void, done: Promise<void> }>()
  const server: Server = createServer((socket) => {
    const abort = new AbortController()
    const entry = { abort: () => { abort.abort() }, done: serveConnection(socket, host, options.env, abort.signal) }
    running.add(entry)
    void entry.done.finally(() => { running.delete(entry) })
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(path, () => { server.off('error', reject); resolve() })
  })
  // run/ (0700) already keeps others out; the socket's own mode says the same to anyone who looks
  await chmod(path, 0o600)
  server.on('error', (err) => { options.out.note(`warning: running-mode socket: ${err.message}`) })
  return {
    path,
    async close () {
      const closed = new Promise<void>((resolve) => { server.close(() => { resolve() }) })
      for (const entry of running) entry.abort()
      const drained = Promise.all([...running].map(async e => { await e.done }))
      let timer: ReturnType<typeof setTimeout> | undefined
      await Promise.race([drained, new Promise<void>((resolve) => { timer = setTimeout(resolve, DRAIN_MS) })])
      clearTimeout(timer)
      if (running.size > 0) options.out.note(`warning: ${running.size} command(s) from other dak processes did not finish before this one stopped`)
      await unlink(path).catch((err: NodeJS.ErrnoException) => { if (err.code !== 'ENOENT') options.out.note(`warning: could not remove ${path}: ${err.message}`) })
      await closed
    }
  }
}

/** One client: read its run request, run the command here, stream everything back, end with its exit code. */
async function serveConnection (socket: Socket, host: Host, env: NodeJS.ProcessEnv, hostStopping: AbortSignal): Promise<void> {
  const reader = new FrameReader()
  const command = new AbortController()
  let request: RunRequest | undefined
  let onRequest: (r: RunRequest) => void = () => {}
  let onStdin: ((data: string) => void) | undefined
  let gone = false
  const fail = (err: unknown): void => {
    // a client that breaks the protocol gets one stderr line and an exit frame, then is cut off
    send({ t: 'stderr', data: `error: ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}\n` })
    send({ t: 'exit', code: EXIT.failed })
    socket.end()
    command.abort()
  }
  const send = (frame: ServerFrame): void => { if (!gone && !socket.destroyed) socket.write(encodeFrame(frame)) }
  socket.on('data', (chunk: Buffer) => {
    let frames: unknown[]
    try {
      frames = reader.push(chunk)
    } catch (err) {
      fail(err)
      return
    }
    for (const frame of frames) {
      const type = (frame as { t: string }).t
      try {
        if (request == null) { request = checkRunRequest(frame); onRequest(request); continue }
        if (type === 'signal') command.abort()
        else if (type === 'stdin' && onStdin != null && typeof (frame as { data?: unknown }).data === 'string') onStdin((frame as { data: string }).data)
        else throw new Error(`unexpected ${type} frame`)
      } catch (err) {
        fail(err)
        return
      }
    }
  })
  // the client went away (Ctrl-C'd, killed): stop its command as a signal would
  socket.on('close', () => { gone = true; command.abort(); onStdin?.('') })
  socket.on('error', () => { gone = true; command.abort() })
  const stopping = (): void => { command.abort() }
  hostStopping.addEventListener('abort', stopping)

  try {
    const timer = setTimeout(() => { if (request == null) socket.destroy() }, REQUEST_TIMEOUT_MS)
    const got = await new Promise<RunRequest | undefined>((resolve) => {
      onRequest = resolve
      socket.once('close', () => { resolve(undefined) })
    })
    clearTimeout(timer)
    if (got == null || command.signal.aborted) return
    const io: CommandIO = {
      stdout: (text) => { for (const frame of outputFrames('stdout', text)) send(frame) },
      stderr: (text) => { for (const frame of outputFrames('stderr', text)) send(frame) },
      cwd: got.cwd,
      stdin: {
        isTTY: got.stdinIsTTY,
        read: async (maxBytes) => {
          if (maxBytes + 1 > (MAX_FRAME_BYTES / 2)) throw new RangeError('stdin is read in one frame: ask for less')
          const data = new Promise<string>((resolve) => { onStdin = resolve })
          send({ t: 'read-stdin', max: maxBytes })
          const bytes = Buffer.from(await data, 'base64')
          onStdin = undefined
          return bytes.subarray(0, maxBytes + 1)
        }
      }
    }
    const code = await runDak(got.argv, env, command.signal, { io, host, dataDir: got.dataDir })
    send({ t: 'exit', code })
    socket.end()
  } finally {
    hostStopping.removeEventListener('abort', stopping)
  }
}
